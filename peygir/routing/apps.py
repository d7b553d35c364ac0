from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "peygir.routing"
    label = "routing"
