from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "peygir.feedback"
    label = "feedback"
