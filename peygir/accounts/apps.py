from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "peygir.accounts"
    label = "accounts"
