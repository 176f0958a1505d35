"""Small counts are never published: at the boundary, and where a total would reveal them."""

from __future__ import annotations

import pytest

from pakar.reports.suppression import HIDDEN, SMALL, Cell, protect, publish_one


@pytest.mark.parametrize(
    ("count", "shown"), [(0, Cell(None, SMALL)), (4, Cell(None, SMALL)), (5, Cell(5)), (6, Cell(6))]
)
def test_counts_below_five_are_suppressed(count, shown):
    assert publish_one(count) == shown


def test_the_minimum_is_a_setting(settings):
    settings.PAKAR_STATS_MIN_COUNT = 10
    assert publish_one(9).suppressed == SMALL
    assert publish_one(10) == Cell(10)


def test_a_lone_small_cell_next_to_a_total_takes_the_smallest_other_cell_with_it():
    values = {"a": 4, "b": 7, "c": 9, "total": 20}
    cells = protect(values, [["a", "b", "c", "total"]])
    assert cells["a"] == Cell(None, SMALL)
    assert cells["b"] == Cell(None, HIDDEN)  # else 20 - 7 - 9 = 4 would give "a" away
    assert cells["c"] == Cell(9) and cells["total"] == Cell(20)


def test_two_small_cells_protect_each_other():
    cells = protect({"a": 3, "b": 2, "c": 9, "total": 14}, [["a", "b", "c", "total"]])
    assert [cells[k].suppressed for k in ("a", "b", "c", "total")] == [SMALL, SMALL, "", ""]


def test_nothing_is_hidden_when_every_count_is_large_enough():
    cells = protect({"a": 5, "b": 6, "total": 11}, [["a", "b", "total"]])
    assert all(not cell.suppressed for cell in cells.values())


def test_hiding_spreads_along_rows_and_columns_until_no_group_has_a_lone_hidden_cell():
    # A 2x2 table with its margins; only a1 is small. Hiding a2 to protect a1 in its
    # row leaves a lone hidden cell in columns 1 and 2, so b1 and b2 follow.
    values = {
        ("a", 1): 4, ("a", 2): 10, ("a", "t"): 14,
        ("b", 1): 20, ("b", 2): 6, ("b", "t"): 26,
        ("t", 1): 24, ("t", 2): 16, ("t", "t"): 40,
    }  # fmt: skip
    rows = [[(r, c) for c in (1, 2, "t")] for r in ("a", "b", "t")]
    columns = [[(r, c) for r in ("a", "b", "t")] for c in (1, 2, "t")]
    cells = protect(values, rows + columns)
    for group in rows + columns:
        assert sum(1 for key in group if cells[key].suppressed) != 1, group
    assert cells[("a", 1)].suppressed == SMALL
    assert {key for key, cell in cells.items() if cell.suppressed == HIDDEN} == {("a", 2), ("b", 1), ("b", 2)}
    assert all(cells[(r, "t")].value for r in ("a", "b", "t"))
