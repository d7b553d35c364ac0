from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "peygir.catalog"
    label = "catalog"
