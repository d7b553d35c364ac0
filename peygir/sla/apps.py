from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "peygir.sla"
    label = "sla"
