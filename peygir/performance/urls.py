from django.urls import path

from .views import evaluation, live, reports

app_name = "performance"

urlpatterns = [
    path("staff/performance/", evaluation.evaluation, name="evaluation"),
    path("staff/performance/mine/", evaluation.mine, name="mine"),
    path("staff/performance/units/<slug:code>/", evaluation.scorecard, name="scorecard"),
    path("staff/performance/cases/", evaluation.cases, name="cases"),
    path("staff/performance/weights/", evaluation.weights, name="weights"),
    path("staff/performance/dashboard/", live.dashboard, name="dashboard"),
    path("staff/performance/dashboard/live/", live.dashboard_live, name="dashboard_live"),
    path("staff/performance/dashboard/hotspots.json", live.dashboard_hotspots, name="dashboard_hotspots"),
    path("staff/performance/reports/", reports.reports, name="reports"),
    path("staff/performance/reports/new/", reports.report_create, name="report_create"),
    path("staff/performance/reports/<int:pk>/download/", reports.report_download, name="report_download"),
]
