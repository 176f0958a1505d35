"""Model pieces shared by several apps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualReference(models.Model):
    """An administrator-editable list entry with an Indonesian and an English
    name and description (report categories, consultation topics)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_id = models.CharField(_("name (Bahasa Indonesia)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    description_id = models.TextField(_("description (Bahasa Indonesia)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id

    @property
    def description(self) -> str:
        return self.description_en if (get_language() or "id").startswith("en") else self.description_id


class EncryptedMessage(models.Model):
    """A message between staff and a reporter or asker; the body is encrypted
    with its case's or consultation's key (subclasses say which)."""

    body = models.BinaryField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        direction = getattr(self, "get_direction_display", lambda: "")()
        return f"{direction} ({self.created_at:%Y-%m-%d})"
