from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "peygir.portal"
    label = "portal"
