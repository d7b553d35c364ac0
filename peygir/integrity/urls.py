"""Routes of the integrity channel, with their full prefixes (mounted at the site root)."""

from django.urls import path

from .views import handler, ordinary, reporter

app_name = "integrity"

urlpatterns = [
    # The reporter's side.
    path("integrity/", reporter.index, name="index"),
    path("integrity/new/", reporter.new_report, name="new"),
    path("integrity/return/", reporter.return_, name="return"),
    path("integrity/return/change/", reporter.change_receipt, name="change_receipt"),
    path("integrity/report/", reporter.report, name="report"),
    path("integrity/report/message/", reporter.report_message, name="report_message"),
    path("integrity/report/evidence/", reporter.report_evidence, name="report_evidence"),
    path("integrity/report/leave/", reporter.leave, name="leave"),
    # Handlers and custodians.
    path("staff/integrity/", handler.dashboard, name="dashboard"),
    path("staff/integrity/keys/", handler.keys, name="keys"),
    path("staff/integrity/keys/setup/", handler.keys_setup, name="keys_setup"),
    path("staff/integrity/keys/unlock/", handler.keys_unlock, name="keys_unlock"),
    path("staff/integrity/keys/recover/", handler.keys_recover, name="keys_recover"),
    path("staff/integrity/keys/lock/", handler.keys_lock, name="keys_lock"),
    path("staff/integrity/r/<uuid:public_id>/", handler.report_detail, name="report"),
    path("staff/integrity/r/<uuid:public_id>/status/", handler.report_status, name="report_status"),
    path(
        "staff/integrity/r/<uuid:public_id>/message/", handler.report_message, name="report_message_handler"
    ),
    path("staff/integrity/r/<uuid:public_id>/grant/", handler.report_grant, name="report_grant"),
    path("staff/integrity/r/<uuid:public_id>/decision/", handler.report_decision, name="report_decision"),
    path("staff/integrity/r/<uuid:public_id>/identity/", handler.report_identity, name="report_identity"),
    path("staff/integrity/r/<uuid:public_id>/files/<uuid:file_id>/", handler.report_file, name="report_file"),
    path("staff/integrity/custody/", handler.custody, name="custody"),
    path("staff/integrity/custody/<uuid:request_id>/", handler.custody_decide, name="custody_decide"),
    path("staff/integrity/audit/", handler.audit_log, name="audit"),
    # From the ordinary channels.
    path("staff/integrity/phone/", ordinary.phone_report, name="phone"),
    path("staff/integrity/move/<uuid:public_id>/", ordinary.move_case, name="move_case"),
]
