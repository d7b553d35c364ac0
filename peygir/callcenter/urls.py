from django.urls import path

from .views import clinic, console, knowledge, supervisor, webhook

app_name = "callcenter"

urlpatterns = [
    # The agent console.
    path("staff/console/", console.console, name="console"),
    path("staff/console/state/", console.console_state, name="console_state"),
    path("staff/console/events/", console.console_events, name="console_events"),
    path("staff/console/lookup/", console.lookup, name="lookup"),
    path("staff/console/kb/", console.kb_search, name="kb_search"),
    path("staff/console/kb/<uuid:public_id>/use/", console.kb_use, name="kb_use"),
    path("staff/console/calls/<uuid:public_id>/", console.call_panel, name="call_panel"),
    path("staff/console/calls/<uuid:public_id>/case/", console.call_case, name="call_case"),
    path("staff/console/calls/<uuid:public_id>/follow-up/", console.call_follow, name="call_follow"),
    path("staff/console/calls/<uuid:public_id>/transfer/", console.call_transfer_view, name="call_transfer"),
    path("staff/console/calls/<uuid:public_id>/close/", console.call_close_view, name="call_close"),
    # Call records, supervisors' boards.
    path("staff/callcenter/calls/", supervisor.calls, name="calls"),
    path("staff/callcenter/calls/<uuid:public_id>/", supervisor.call_detail, name="call"),
    path("staff/callcenter/wallboard/", supervisor.wallboard, name="wallboard"),
    path("staff/callcenter/wallboard/panel/", supervisor.wallboard_panel, name="wallboard_panel"),
    path("staff/callcenter/kpis/", supervisor.kpis, name="kpis"),
    path("staff/callcenter/agents/", supervisor.agents, name="agents"),
    # Knowledge base (supervisors edit).
    path("staff/callcenter/kb/", knowledge.article_list, name="kb_list"),
    path("staff/callcenter/kb/new/", knowledge.article_edit, name="kb_new"),
    path("staff/callcenter/kb/<uuid:public_id>/edit/", knowledge.article_edit, name="kb_edit"),
    path("staff/callcenter/kb/<uuid:public_id>/", knowledge.article_history, name="kb_history"),
    # Consultation clinic.
    path("staff/callcenter/clinic/", clinic.clinic_admin, name="clinic_admin"),
    path("staff/callcenter/clinic/experts/", clinic.clinic_expert_add, name="clinic_expert_add"),
    path("staff/callcenter/clinic/publish/", clinic.clinic_publish, name="clinic_publish"),
    path("staff/callcenter/clinic/mine/", clinic.clinic_mine, name="clinic_mine"),
    path("staff/callcenter/clinic/book/", clinic.clinic_agent_book, name="clinic_agent_book"),
    path("staff/callcenter/clinic/bookings/<uuid:public_id>/", clinic.clinic_booking, name="clinic_booking"),
    path(
        "staff/callcenter/clinic/bookings/<uuid:public_id>/cancel/",
        clinic.clinic_booking_cancel,
        name="clinic_booking_cancel",
    ),
    path("clinic/", clinic.portal_clinic, name="portal_clinic"),
    path("clinic/book/<uuid:public_id>/", clinic.portal_book, name="portal_book"),
    path("clinic/mine/", clinic.portal_clinic_mine, name="portal_clinic_mine"),
    path(
        "clinic/bookings/<uuid:public_id>/cancel/", clinic.portal_booking_cancel, name="portal_booking_cancel"
    ),
    # CTI for PBXs.
    path("callcenter/cti/webhook/", webhook.cti_webhook, name="cti_webhook"),
    path("callcenter/cti/agents/", webhook.cti_agents, name="cti_agents"),
]
