from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "peygir.intake"
    label = "intake"
    verbose_name = "ورودی‌ها"
