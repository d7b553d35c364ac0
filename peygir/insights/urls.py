from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("staff/insights/cases/<uuid:public_id>/", views.case_panel_view, name="panel"),
    path("staff/insights/cases/<uuid:public_id>/accept/", views.accept_view, name="accept"),
    path("staff/insights/cases/<uuid:public_id>/merge/", views.merge_view, name="merge"),
    path("staff/insights/cases/<uuid:public_id>/assist/", views.assist_view, name="assist"),
    path("staff/insights/accuracy/", views.accuracy_view, name="accuracy"),
    path("staff/insights/trends/", views.trends_view, name="trends"),
    path("staff/insights/suggest/", views.suggest_view, name="suggest"),
    path("insights/check/", views.check_view, name="check"),
]
