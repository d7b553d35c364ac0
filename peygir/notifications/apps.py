from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "peygir.notifications"
    label = "notifications"
