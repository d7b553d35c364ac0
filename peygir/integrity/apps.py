from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "peygir.integrity"
    label = "integrity"
