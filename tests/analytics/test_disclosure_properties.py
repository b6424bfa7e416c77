"""No suppressed value can be recovered from what is shown, checked as a linear program.

tests/analytics/test_disclosure.py already shows, by matrix rank, that the shown cells and
totals never pin a hidden cell down exactly. An attacker also knows that counts are never
negative, which can pin a cell where rank alone does not (hidden cells on a line summing to 0 are
all 0). Here, for random tables and random member contributions, every cell withheld by the
primary rule keeps a feasible range of positive width: its smallest and largest values consistent
with every shown cell, every shown total and non-negativity differ (by linear programming).
"""

from __future__ import annotations

import numpy as np
import polars as pl
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from analytics.disclosure import (
    COUNT_RULE,
    apply_suppression,
    compute_complementary_suppression,
    compute_primary_disclosure,
    widen_suppression,
)
from tests.analytics.test_disclosure import TOTAL, tables

Cell = tuple[str, str]


def feasible_range(cells: dict[Cell, float], hidden: set[Cell], cell: Cell) -> tuple[float, float]:
    """Return the least and greatest value of a hidden cell given everything that is shown."""
    unknown = sorted(hidden)
    index = {k: i for i, k in enumerate(unknown)}
    rows = {k[0] for k in cells} - {TOTAL}
    cols = {k[1] for k in cells} - {TOTAL}
    lines = [([(r, c) for c in cols if (r, c) in cells], (r, TOTAL)) for r in rows | {TOTAL}] + [
        ([(r, c) for r in rows if (r, c) in cells], (TOTAL, c)) for c in cols | {TOTAL}
    ]
    a_eq, b_eq = [], []
    for parts, total in lines:
        if total not in cells:
            continue
        coefficients, known = np.zeros(len(unknown)), 0.0
        for key, sign in [*((p, 1.0) for p in parts), (total, -1.0)]:
            if key in index:
                coefficients[index[key]] += sign
            else:
                known += sign * cells[key]
        if coefficients.any():
            a_eq.append(coefficients)
            b_eq.append(-known)
    objective = np.zeros(len(unknown))
    objective[index[cell]] = 1.0
    bounds = [(0, None)] * len(unknown)
    low = linprog(objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
    assert low.status == 0, low.message  # the true table is always feasible
    top = np.inf if high.status == 3 else -high.fun  # status 3: unbounded above
    return float(low.fun), float(top)


@settings(max_examples=300, deadline=None)
@given(tables())
def test_every_primary_cell_keeps_a_range_of_positive_width(
    table: tuple[dict[Cell, float], set[Cell]],
) -> None:
    cells, primary = table
    # The primary rule withholds cells that have contributions (a zero cell passes: nothing to hide).
    primary = {c for c in primary if cells[c] > 0}
    assume(primary)
    hidden = widen_suppression(cells, primary)
    for cell in primary:
        low, high = feasible_range(cells, hidden, cell)
        assert low <= cells[cell] + 1e-6 and cells[cell] <= high + 1e-6
        assert high - low > 1e-6, (cell, cells[cell], low, high, sorted(hidden))


def test_the_check_sees_a_cell_pinned_by_non_negativity() -> None:
    # Rows a, b; columns x, y. Hidden: the rectangle a/b x x/y, but row b's hidden cells are 0,
    # so b's total (0) forces both to 0, then column x gives a/x back exactly.
    cells = {
        ("a", "x"): 5.0, ("a", "y"): 3.0, ("a", TOTAL): 8.0,
        ("b", "x"): 0.0, ("b", "y"): 0.0, ("b", TOTAL): 0.0,
        (TOTAL, "x"): 5.0, (TOTAL, "y"): 3.0, (TOTAL, TOTAL): 8.0,
    }  # fmt: skip
    rectangle = {("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")}
    assert feasible_range(cells, rectangle, ("a", "x")) == (5.0, 5.0)
    assert feasible_range(cells, {("a", "x"), ("a", "y"), ("a", TOTAL), (TOTAL, "x"),
                                  (TOTAL, "y"), (TOTAL, TOTAL)}, ("a", "x"))[1] > 5.0  # fmt: skip


# --- end to end: member contributions -> primary rule -> complementary suppression -----------

CONTRIBUTIONS = st.lists(
    st.tuples(
        st.sampled_from(["31-9092", "31-1131", "29-1141", "31-9097"]),
        st.sampled_from(["25025", "25017", "25021"]),
        st.sampled_from(["A", "B", "C", "D", "E"]),
        st.integers(1, 40),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(CONTRIBUTIONS)
def test_published_table_reveals_no_withheld_cell(posts: list[tuple[str, str, str, int]]) -> None:
    frame = pl.DataFrame(
        posts, schema={"soc": pl.String, "county": pl.String, "member": pl.String, "openings": pl.Float64},
        orient="row",
    )  # fmt: skip
    margins = pl.concat(
        [
            frame,
            frame.with_columns(pl.lit(TOTAL).alias("soc")),
            frame.with_columns(pl.lit(TOTAL).alias("county")),
            frame.with_columns(pl.lit(TOTAL).alias("soc"), pl.lit(TOTAL).alias("county")),
        ]
    )
    checked = compute_primary_disclosure(margins, ["soc", "county"], "openings", COUNT_RULE)
    table = (
        margins.group_by("soc", "county")
        .agg(pl.col("openings").sum())
        .join(checked, on=["soc", "county"])
        .with_columns((~pl.col("passes")).alias("hidden"))
        .sort("soc", "county")
    )
    out = compute_complementary_suppression(table, "soc", "county", "openings", "hidden")
    published = apply_suppression(out, "hidden", ["openings"])
    primary = {(r["soc"], r["county"]) for r in table.filter("hidden").iter_rows(named=True)}
    hidden = {(r["soc"], r["county"]) for r in published.filter(pl.col("openings").is_null()).iter_rows(named=True)}  # fmt: skip
    assert primary <= hidden
    # What a reader has: the published numbers (and that a missing cell is a known zero).
    cells = {(r["soc"], r["county"]): r["openings"] for r in out.iter_rows(named=True)}
    for cell in primary:
        low, high = feasible_range(cells, hidden, cell)
        assert high - low > 1e-6, (cell, cells[cell], low, high)
