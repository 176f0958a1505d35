"""Small-count suppression, so that no published figure singles out a case.

Primary: every count below the minimum (``PAKAR_STATS_MIN_COUNT``, 5 by
default), zero included, is shown as "< 5" — otherwise "0" next to "< 5" would
tell that the small cell holds at least one case.

Complementary: a table that shows a total lets a reader subtract the visible
cells from it. In any group of cells that add up to a shown total, one hidden
cell alone could be worked out exactly, so a second one (the smallest visible)
is hidden too, until every group has none or at least two hidden.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings

SMALL = "small"  # below the minimum
HIDDEN = "hidden"  # at or above the minimum, hidden so a small cell cannot be derived


def min_count() -> int:
    return int(getattr(settings, "PAKAR_STATS_MIN_COUNT", 5))


@dataclass(frozen=True)
class Cell:
    """A published count: the number, or why it is not shown."""

    value: int | None
    suppressed: str = ""

    def as_json(self) -> dict[str, object]:
        if self.suppressed:
            return {"count": None, "suppressed": self.suppressed}
        return {"count": self.value}


def publish_one(value: int, minimum: int | None = None) -> Cell:
    limit = min_count() if minimum is None else minimum
    return Cell(None, SMALL) if value < limit else Cell(value)


def protect(
    values: dict[Hashable, int], groups: Iterable[Sequence[Hashable]], minimum: int | None = None
) -> dict[Hashable, Cell]:
    """Publish every count in ``values``; each group lists the keys of cells that add
    up to a shown total, the total's key included (e.g. one row and its row total)."""
    limit = min_count() if minimum is None else minimum
    hidden = {key for key, value in values.items() if value < limit}
    secondary: set[Hashable] = set()
    groups = [list(group) for group in groups]
    changed = True
    while changed:
        changed = False
        for group in groups:
            if sum(1 for key in group if key in hidden or key in secondary) != 1:
                continue
            visible = [key for key in group if key not in hidden and key not in secondary]
            if visible:
                secondary.add(min(visible, key=lambda key: values[key]))
                changed = True
    return {
        key: Cell(None, SMALL) if key in hidden else Cell(None, HIDDEN) if key in secondary else Cell(value)
        for key, value in values.items()
    }
