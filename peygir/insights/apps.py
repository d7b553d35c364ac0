from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "peygir.insights"
    label = "insights"
