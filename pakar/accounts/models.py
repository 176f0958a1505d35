"""Staff users and their roles. Reporters never have accounts."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INTAKE = "intake", _("Intake officer")
    VERIFIER = "verifier", _("Verifier")
    INVESTIGATOR = "investigator", _("Investigator")
    INSPECTOR = "inspector", _("Inspector")
    CUSTODIAN = "custodian", _("Identity custodian")
    CONSULTATION = "consultation", _("Consultation officer")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    team = models.ForeignKey(
        "org.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="members", verbose_name=_("team")
    )
    language = models.CharField(_("language"), max_length=8, default="id")

    def roles(self) -> set[str]:
        cached: set[str] | None = getattr(self, "_role_cache", None)
        if cached is None:
            cached = set(self.role_grants.values_list("role", flat=True)) if self.pk else set()
            self._role_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles() & set(roles))

    def __str__(self) -> str:
        return self.full_name or self.username


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user")]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"
