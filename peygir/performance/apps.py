from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "peygir.performance"
    label = "performance"
