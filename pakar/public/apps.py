from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "pakar.public"
    label = "public"

    def ready(self) -> None:
        from pakar.public.pagecache import connect_invalidation

        connect_invalidation()
