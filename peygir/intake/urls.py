"""The intake channels' endpoints (Open311 is mounted on its own at /open311/v2/)."""

from django.urls import include, path  # noqa: F401

app_name = "intake"

urlpatterns: list = [
    # sms
    # bot
]
