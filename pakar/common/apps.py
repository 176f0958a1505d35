from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "pakar.common"
    label = "common"
