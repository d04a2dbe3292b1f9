from django.apps import AppConfig


class StandardConfig(AppConfig):
    name = "standard"
    verbose_name = "The minimum dataset (reference data, rights, metrics, schemas)"
