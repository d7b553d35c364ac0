"""The project's URLs plus the outbox's webhooks, for tests (the project wiring is the lead's)."""

from django.urls import include, path

urlpatterns = [
    path("notifications/", include("peygir.notifications.urls")),
    # By name, not ROOT_URLCONF: that is this module while a test uses it.
    path("", include("config.urls")),
]
