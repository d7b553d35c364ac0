from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "peygir.org"
    label = "org"
