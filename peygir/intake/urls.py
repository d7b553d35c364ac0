"""The intake channels' endpoints (Open311 is mounted on its own at /open311/v2/)."""

from django.urls import include, path  # noqa: F401

from .channels.bot import views as bot_views
from .channels.sms import views as sms_views

app_name = "intake"

urlpatterns: list = [
    path("intake/sms/inbound/", sms_views.sms_inbound, name="sms_inbound"),
    path("intake/bot/webhook/<str:secret>/", bot_views.bot_webhook, name="bot_webhook"),
]
