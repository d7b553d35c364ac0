from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "peygir.staff"
    label = "staff"
