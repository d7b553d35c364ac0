from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "peygir.audit"
    label = "audit"
