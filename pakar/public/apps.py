from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "pakar.public"
    label = "public"
