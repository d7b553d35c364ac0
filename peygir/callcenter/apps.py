from django.apps import AppConfig


class CallcenterConfig(AppConfig):
    name = "peygir.callcenter"
    label = "callcenter"
