"""One-time form tokens: a form sent twice (a double click, a reload, a replay)
creates one case, not two."""

from __future__ import annotations

from django.db import models


class SubmissionToken(models.Model):
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.digest[:12]
