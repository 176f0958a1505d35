from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

# Read by the PostgreSQL trigger (see migration 0002): TRUNCATE of the audit
# table is refused unless this session setting is "on".
ALLOW_TRUNCATE_SETTING = "pakar.audit_allow_truncate"


def allow_test_flush(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    # Django empties the test database between transactional tests with one
    # TRUNCATE of every table; without this the append-only trigger would
    # refuse it. Only ever connected when PAKAR_TESTING is set.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET {ALLOW_TRUNCATE_SETTING} = 'on'")


class AuditConfig(AppConfig):
    name = "pakar.audit"
    label = "audit"
    verbose_name = _("Audit trail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        if getattr(settings, "TESTING", False):
            connection_created.connect(allow_test_flush, dispatch_uid="pakar.audit.allow_test_flush")
