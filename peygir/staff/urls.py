from django.urls import path

from .views import auth, boards, case, kartable
from .views import feedback as feedback_views

app_name = "staff"

urlpatterns = [
    path("", kartable.kartable, name="kartable"),
    path("login/", auth.sign_in, name="login"),
    path("login/verify/", auth.verify, name="verify"),
    path("2fa/setup/", auth.setup, name="setup"),
    path("logout/", auth.sign_out, name="logout"),
    path("assign/", kartable.bulk_assign, name="bulk_assign"),
    path("notifications/", kartable.notifications, name="notifications"),
    path("notifications/read/", kartable.notifications_read, name="notifications_read"),
    path("cases/<uuid:public_id>/", case.case_detail, name="case"),
    path("cases/<uuid:public_id>/actions/<slug:action>/", case.case_action, name="case_action"),
    path("cases/<uuid:public_id>/photos/<uuid:photo_id>/", case.case_photo, name="case_photo"),
    path("overdue/", boards.overdue, name="overdue"),
    path("returned/", boards.returned, name="returned"),
    path("special/", boards.special, name="special"),
    path("map/", boards.case_map, name="map"),
    path("map/hotspots.json", boards.hotspots_json, name="hotspots"),
    path("map/cases.json", boards.pins_json, name="pins"),
    path("feedback/", feedback_views.feedback_queue, name="feedback_queue"),
    path("cases/<uuid:public_id>/review/", feedback_views.feedback_review, name="feedback_review"),
    path("cases/<uuid:public_id>/special/", feedback_views.case_special, name="case_special"),
    path("special/flag/", feedback_views.special_flag, name="special_flag"),
    path("special/report/", feedback_views.special_report_page, name="special_report"),
]
