"""Disclosure: the primary rules (also without the viewer) and complementary suppression."""

from __future__ import annotations

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.disclosure import (
    COUNT_RULE,
    EVERY_MEMBER,
    SHOWN,
    SUPPRESSED,
    WAGE_RULE,
    apply_suppression,
    compute_complementary_suppression,
    compute_primary_disclosure,
    recoverable_cells,
    widen_suppression,
)

TOTAL = "total"


def _contributions(cells: dict[str, dict[str, float]]) -> pl.DataFrame:
    rows = [
        {"cell": cell, "member": member, "value": value}
        for cell, by_member in cells.items()
        for member, value in by_member.items()
    ]
    return pl.DataFrame(rows, schema={"cell": pl.String, "member": pl.String, "value": pl.Float64})


def _passes(cells: dict[str, dict[str, float]], **kwargs: object) -> dict[str, bool]:
    frame = compute_primary_disclosure(_contributions(cells), ["cell"], "value", **kwargs)  # type: ignore[arg-type]
    return dict(zip(frame["cell"], frame["passes"], strict=True))


CELLS = {
    "two employers": {"A": 5, "B": 5},
    "three even": {"A": 50, "B": 30, "C": 20},
    "one dominates": {"A": 85, "B": 10, "C": 5},
    "exactly 80%": {"A": 80, "B": 10, "C": 10},
    "four, A small": {"A": 10, "B": 10, "C": 10, "D": 70},
    "four, B large": {"A": 40, "B": 50, "C": 5, "D": 5},
    "zero does not count": {"A": 50, "B": 50, "C": 0},
}


def test_count_rule_for_an_outsider() -> None:
    assert _passes(CELLS) == {
        "two employers": False,
        "three even": True,
        "one dominates": False,
        "exactly 80%": True,
        "four, A small": True,
        "four, B large": True,
        "zero does not count": False,
    }


def test_count_rule_must_hold_without_the_viewer() -> None:
    got = _passes(CELLS, viewer="A")
    # Without A, two employers are left in "three even"; B is 50/60 = 83% of the rest in
    # "four, B large"; in "four, A small" D is 70/90 = 78% of the rest, so it stays.
    assert got["three even"] is False
    assert got["four, B large"] is False
    assert got["four, A small"] is True
    # A viewer that contributes nothing sees what an outsider sees.
    assert _passes(CELLS, viewer="Z") == _passes(CELLS)


def test_every_member_viewing_takes_out_each_employer_in_turn() -> None:
    got = _passes(CELLS, viewer=EVERY_MEMBER)
    # "four, A small": without D, three are left at a third each; without B or C, D is 70/90.
    assert got["four, A small"] is True
    # "four, B large": without A, B is 50/60 of the rest.
    assert got["four, B large"] is False
    assert got["three even"] is False


def test_wage_rule_needs_five_employers_none_above_a_quarter() -> None:
    cells = {
        "five even": {m: 10 for m in "ABCDE"},
        "five, one at 30%": {"A": 30, "B": 20, "C": 20, "D": 15, "E": 15},
        "four": {m: 10 for m in "ABCD"},
        "six even": {m: 10 for m in "ABCDEF"},
    }
    assert _passes(cells, rule=WAGE_RULE) == {
        "five even": True,
        "five, one at 30%": False,
        "four": False,
        "six even": True,
    }
    # Without the viewer, "five even" leaves four employers; "six even" leaves five at 25% each.
    assert _passes(cells, rule=WAGE_RULE, viewer="A") == {
        "five even": False,
        "five, one at 30%": False,
        "four": False,
        "six even": True,
    }
    assert (COUNT_RULE.min_employers, COUNT_RULE.max_share) == (3, 0.80)
    assert (WAGE_RULE.min_employers, WAGE_RULE.max_share) == (5, 0.25)


def test_suppressed_values_read_suppressed_never_a_number() -> None:
    frame = pl.DataFrame({"openings": [12, 7], "hidden": [False, True]})
    out = apply_suppression(frame, "hidden", ["openings"])
    assert out["openings"].to_list() == [12, None]
    assert out["status"].to_list() == [SHOWN, SUPPRESSED]


# --- complementary suppression ---------------------------------------------------------------


def _table(interior: dict[str, list[float]], columns: str = "xyz") -> dict[tuple[str, str], float]:
    cells: dict[tuple[str, str], float] = {}
    for row, values in interior.items():
        for col, value in zip(columns, values, strict=True):
            cells[(row, col)] = value
        cells[(row, TOTAL)] = sum(values)
    for j, col in enumerate(columns):
        cells[(TOTAL, col)] = sum(values[j] for values in interior.values())
    cells[(TOTAL, TOTAL)] = sum(sum(v) for v in interior.values())
    return cells


HAND = {"a": [1, 8, 9], "b": [6, 2, 7], "c": [5, 4, 3]}


def test_one_hidden_cell_gets_the_cheapest_rectangle() -> None:
    #      x  y  z | total
    #   a  1  8  9 | 18
    #   b  6  2  7 | 15
    #   c  5  4  3 | 12
    # Hiding (a,x) alone: 18 - 8 - 9 gives it back. Rectangles through (a,x) cost
    # (a,y)+(b,x)+(b,y) = 16, (a,y)+(c,x)+(c,y) = 17, (a,z)+(c,x)+(c,z) = 17, (a,z)+(b,x)+(b,z) = 22.
    hidden = widen_suppression(_table(HAND), {("a", "x")})
    assert hidden == {("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")}


def test_two_hidden_cells_share_a_rectangle() -> None:
    # (a,x) and (c,z) together: adding (a,z) = 9 and (c,x) = 5 closes the cycle a-x-c-z.
    hidden = widen_suppression(_table(HAND), {("a", "x"), ("c", "z")})
    assert hidden == {("a", "x"), ("a", "z"), ("c", "x"), ("c", "z")}


def test_a_hidden_total_needs_partners_too() -> None:
    # The row total of b is the sum of shown cells unless something else in its row is hidden.
    hidden = widen_suppression(_table(HAND), {("b", TOTAL)})
    assert ("b", TOTAL) in hidden and not recoverable_cells(hidden)
    assert _lines_ok(_table(HAND), hidden)


def test_a_row_with_a_single_cell_hides_its_total() -> None:
    cells = _table(HAND)
    cells[("d", "x")] = 4.0  # row d has one cell: its total is the cell itself
    cells[("d", TOTAL)] = 4.0
    cells[(TOTAL, "x")] += 4.0
    cells[(TOTAL, TOTAL)] += 4.0
    hidden = widen_suppression(cells, {("d", "x")})
    assert ("d", TOTAL) in hidden
    assert not recoverable_cells(hidden)


def test_bridge_between_two_protected_blocks_is_closed() -> None:
    # Two 4-cycles joined by one hidden cell: every row and column has two hidden cells, yet
    # the joining cell is pinned down by the margins (it is a bridge).
    hidden = {("a", "x"), ("a", "y"), ("b", "x"), ("b", "y"), ("c", "z"), ("c", "w"), ("d", "z"), ("d", "w"), ("b", "z")}  # fmt: skip
    assert recoverable_cells(hidden) == {("b", "z")}
    interior = {"a": [1, 2, 3, 4], "b": [5, 6, 7, 8], "c": [9, 1, 2, 3], "d": [4, 5, 6, 7]}
    widened = widen_suppression(_table(interior, "xyzw"), hidden)
    assert widened > hidden and not recoverable_cells(widened)


def test_frame_wrapper_keeps_rows_and_widens_the_flag() -> None:
    cells = _table(HAND)
    frame = pl.DataFrame(
        {
            "row": [k[0] for k in cells],
            "col": [k[1] for k in cells],
            "value": list(cells.values()),
            "hidden": [k == ("a", "x") for k in cells],
        }
    )
    out = compute_complementary_suppression(frame, "row", "col", "value", "hidden")
    assert out.height == frame.height
    assert set(zip(out.filter("hidden")["row"], out.filter("hidden")["col"], strict=True)) == {
        ("a", "x"), ("a", "y"), ("b", "x"), ("b", "y"),
    }  # fmt: skip


# --- the property: nothing hidden can be recovered from what is shown ------------------------


def _lines_ok(cells: dict[tuple[str, str], float], hidden: set[tuple[str, str]]) -> bool:
    """No row or column (margins included) holds exactly one hidden cell."""
    for axis in (0, 1):
        for key in {k[axis] for k in cells}:
            line = [k for k in cells if k[axis] == key]
            if sum(k in hidden for k in line) == 1:
                return False
    return True


def _determined(
    cells: dict[tuple[str, str], float], hidden: set[tuple[str, str]]
) -> set[tuple[str, str]]:
    """Hidden cells the additive relations fix exactly, by linear algebra (independent of graphs)."""
    unknown = sorted(hidden)
    index = {k: i for i, k in enumerate(unknown)}
    equations = []
    rows = {k[0] for k in cells} - {TOTAL}
    cols = {k[1] for k in cells} - {TOTAL}
    for r in rows | {TOTAL}:  # sum over interior columns = the row's total
        equations.append([(r, c) for c in cols if (r, c) in cells] + [("-", (r, TOTAL))])
    for c in cols | {TOTAL}:
        equations.append([(r, c) for r in rows if (r, c) in cells] + [("-", (TOTAL, c))])
    matrix = []
    for terms in equations:
        coefficients = np.zeros(len(unknown))
        for term in terms:
            sign, key = (-1.0, term[1]) if term[0] == "-" else (1.0, term)
            if key in index:
                coefficients[index[key]] += sign
        matrix.append(coefficients)
    a = np.array(matrix) if unknown else np.zeros((0, 0))
    found = set()
    if not unknown:
        return found
    rank = np.linalg.matrix_rank(a)
    for key, i in index.items():
        unit = np.zeros(len(unknown))
        unit[i] = 1.0
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.add(key)
    return found


@st.composite
def tables(draw: st.DrawFn) -> tuple[dict[tuple[str, str], float], set[tuple[str, str]]]:
    n_rows = draw(st.integers(1, 5))
    n_cols = draw(st.integers(1, 5))
    columns = "vwxyz"[:n_cols]
    interior = {
        f"r{i}": draw(st.lists(st.integers(0, 60), min_size=n_cols, max_size=n_cols))
        for i in range(n_rows)
    }
    cells = _table({k: [float(v) for v in vs] for k, vs in interior.items()}, columns)
    # Some interior cells are structurally absent (known zeros), as in sparse occupation tables.
    absent = draw(st.sets(st.sampled_from([k for k in cells if TOTAL not in k]), max_size=n_rows))
    for key in sorted(absent):
        # A margin always has at least one cell under it (a row with none is not in the table).
        same_row = [k for k in cells if k[0] == key[0] and TOTAL not in k]
        same_col = [k for k in cells if k[1] == key[1] and TOTAL not in k]
        if cells[key] == 0 and len(same_row) > 1 and len(same_col) > 1:
            del cells[key]
    primary = draw(st.sets(st.sampled_from(sorted(cells)), min_size=1, max_size=4))
    return cells, primary


@settings(max_examples=300, deadline=None)
@given(tables())
def test_no_suppressed_value_can_be_recovered(
    table: tuple[dict[tuple[str, str], float], set[tuple[str, str]]],
) -> None:
    cells, primary = table
    hidden = widen_suppression(cells, primary)
    assert primary <= hidden
    # Subtracting the shown cells from a shown total never yields a hidden cell ...
    assert _lines_ok(cells, hidden)
    # ... nor does any combination of the table's sums.
    assert _determined(cells, hidden) == set()
    assert recoverable_cells(hidden) == set()


@settings(max_examples=100, deadline=None)
@given(tables())
def test_bridges_are_exactly_the_cells_linear_algebra_recovers(
    table: tuple[dict[tuple[str, str], float], set[tuple[str, str]]],
) -> None:
    cells, primary = table
    assert recoverable_cells(primary) == _determined(cells, primary)


def test_primary_rule_feeds_complementary_suppression_end_to_end() -> None:
    # Openings by occupation (rows) and county (columns); employer A alone posts CNA in 26163.
    posts = pl.DataFrame(
        {
            "soc": ["CNA", "CNA", "CNA", "CNA", "MA", "MA", "MA", "MA", "MA", "MA"],
            "county": ["26163", "26125", "26125", "26125", "26163", "26163", "26163", "26125", "26125", "26125"],
            "member": ["A", "A", "B", "C", "A", "B", "C", "A", "B", "C"],
            "openings": [5.0, 4, 4, 4, 3, 3, 3, 2, 2, 2],
        }
    )  # fmt: skip
    margins = pl.concat(
        [
            posts,
            posts.with_columns(pl.lit(TOTAL).alias("soc")),
            posts.with_columns(pl.lit(TOTAL).alias("county")),
            posts.with_columns(pl.lit(TOTAL).alias("soc"), pl.lit(TOTAL).alias("county")),
        ]
    )
    checked = compute_primary_disclosure(margins, ["soc", "county"], "openings")
    table = (
        margins.group_by("soc", "county")
        .agg(pl.col("openings").sum())
        .join(checked, on=["soc", "county"])
        .with_columns((~pl.col("passes")).alias("hidden"))
        .sort("soc", "county")
    )
    out = compute_complementary_suppression(table, "soc", "county", "openings", "hidden")
    hidden = {(r["soc"], r["county"]) for r in out.filter("hidden").iter_rows(named=True)}
    assert ("CNA", "26163") in hidden  # one employer
    assert len(hidden) == 4  # and a rectangle of partners
    shown = apply_suppression(out, "hidden", ["openings"])
    assert shown.filter(pl.col("status") == SUPPRESSED)["openings"].null_count() == 4
    # Without the partners, the CNA row total would give the hidden cell back.
    assert not _lines_ok(
        {(r["soc"], r["county"]): r["openings"] for r in table.iter_rows(named=True)},
        {("CNA", "26163")},
    )
