from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "peygir.cases"
    label = "cases"
