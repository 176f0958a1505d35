from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "pakar.reports"
    label = "reports"
    verbose_name = _("Public statistics")

    def ready(self) -> None:
        from pakar.reports import signals

        signals.connect()
