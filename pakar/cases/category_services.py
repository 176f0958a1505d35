"""Categories of report, edited by an administrator (bilingual, with their rules)."""

from __future__ import annotations

from typing import Any

from pakar.accounts.models import User
from pakar.cases.models import Category

CATEGORY_FIELDS = (
    "code",
    "name_id",
    "name_en",
    "description_id",
    "description_en",
    "severity",
    "evidence_required",
    "anonymous_allowed",
    "is_active",
    "position",
)


def save_category(category: Category | None, *, values: dict[str, Any], actor: User) -> Category:
    data = {name: values[name] for name in CATEGORY_FIELDS if name in values}
    if category is None:
        return Category.objects.create(**data)
    for name, value in data.items():
        setattr(category, name, value)
    category.save(update_fields=list(data))
    return category
