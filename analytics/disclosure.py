"""Disclosure rules for member aggregates: primary and complementary cell suppression.

A cell (e.g. openings of one occupation in one month) is shown only when enough employers
contribute and none dominates it: the count rule needs at least 3 employers and none above 80%
of the cell, the wage rule at least 5 employers and none above 25%. The rule must also hold for
the other employers once the viewer's own contribution is taken out, because a viewer can
subtract what it sent itself. Complementary suppression then hides further cells so that no
hidden cell can be worked out from the totals that are shown: in a two-way table with its
margins, a hidden cell is recoverable exactly when it is a bridge of the graph whose vertices are
the table's rows and columns (margins included) and whose edges are the hidden cells, so cells
are added until no hidden cell is a bridge (in particular, no row or column holds a single
hidden cell, which is the first thing a reader would try).

Suppressed values are null with status "suppressed", never a number. A member always sees its
own contribution (the callers put it in `own_*` columns).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import polars as pl

SHOWN = "shown"
SUPPRESSED = "suppressed"
# Viewer meaning "any member may be looking" (a shared screen in a consortium meeting): the rule
# must hold once any single employer's contribution is taken out.
EVERY_MEMBER = "*"


@dataclass(frozen=True)
class Rule:
    """A primary suppression rule: minimum contributing employers, largest share allowed (0-1)."""

    name: str
    min_employers: int
    max_share: float


COUNT_RULE = Rule("count", 3, 0.80)
WAGE_RULE = Rule("wage", 5, 0.25)


def compute_primary_disclosure(
    contributions: pl.DataFrame,
    keys: Sequence[str],
    weight: str,
    rule: Rule = COUNT_RULE,
    viewer: str | None = None,
    employer: str = "member",
) -> pl.DataFrame:
    """Return one row per cell (the `keys`) with `passes`: the rule holds, also without the viewer.

    `contributions` holds one or more rows per cell and employer; `weight` is what an employer
    contributes (postings, openings, wage observations). Employers contributing nothing (weight 0
    or null) do not count. With `viewer` = a member, the rule must also hold for the other
    employers of each cell the viewer contributes to; with EVERY_MEMBER, without any one employer.
    Cells whose total is 0 pass (there is nothing to reveal).
    """
    keys = list(keys)
    per = (
        contributions.filter(pl.col(weight).fill_null(0) > 0)
        .group_by([*keys, employer])
        .agg(pl.col(weight).sum().cast(pl.Float64).alias("_w"))
    )
    if viewer is not None and viewer != EVERY_MEMBER:
        viewer_w = pl.when(pl.col(employer) == viewer).then(pl.col("_w")).otherwise(0.0)
    else:
        viewer_w = pl.lit(0.0)
    cells = (
        per.with_columns(viewer_w.alias("_v"))
        .group_by(keys)
        .agg(
            pl.len().alias("_n"),
            pl.col("_w").sum().alias("_t"),
            pl.col("_w").max().alias("_x1"),
            pl.col("_w").sort(descending=True).get(1, null_on_oob=True).fill_null(0.0).alias("_x2"),
            pl.col("_v").sum().alias("_vw"),
            (pl.col("_v") > 0).any().alias("_has_viewer"),
            # the largest contribution of an employer other than the viewer
            pl.when(pl.col("_v") > 0)
            .then(None)
            .otherwise(pl.col("_w"))
            .max()
            .fill_null(0.0)
            .alias("_x1_others"),
        )
    )
    n, t, x1, x2 = pl.col("_n"), pl.col("_t"), pl.col("_x1"), pl.col("_x2")
    k, s = rule.min_employers, rule.max_share
    passes_all = (n >= k) & (x1 <= s * t)
    if viewer == EVERY_MEMBER:
        # Taking out the largest leaves x2 on top; taking out any other leaves x1 on top, worst
        # when the one taken out is the second largest.
        without = (n - 1 >= k) & (x2 <= s * (t - x1)) & (x1 <= s * (t - x2))
    elif viewer is not None:
        rest = t - pl.col("_vw")
        without = (
            pl.when(pl.col("_has_viewer"))
            .then((n - 1 >= k) & (pl.col("_x1_others") <= s * rest))
            .otherwise(True)
        )
    else:
        without = pl.lit(True)
    return cells.select(*keys, (passes_all & without).alias("passes"))


def compute_complementary_suppression(
    table: pl.DataFrame, row: str, col: str, value: str, suppressed: str
) -> pl.DataFrame:
    """Return the table with `suppressed` widened so that no hidden cell follows from the margins.

    `table` is a two-way table with its margins as ordinary cells: one `row` key stands for the
    column totals and one `col` key for the row totals (their corner is the grand total). Cells
    absent from the table are known zeros. Shown cells are hidden too, smallest value first,
    while a row or column holds exactly one hidden cell or a hidden cell is a bridge (it lies on
    no cycle of hidden cells, so the margins pin it down); iterated to a fixed point.
    """
    if table.height == 0:
        return table
    keys = list(zip(table[row].to_list(), table[col].to_list(), strict=True))
    values = [float(v) if v is not None else 0.0 for v in table[value].to_list()]
    hidden = {key for key, flag in zip(keys, table[suppressed].to_list(), strict=True) if flag}
    hidden = widen_suppression(dict(zip(keys, values, strict=True)), hidden)
    return table.with_columns(pl.Series(suppressed, [key in hidden for key in keys], pl.Boolean))


Cell = tuple[Hashable, Hashable]
Node = tuple[str, Hashable]


def widen_suppression(cells: dict[Cell, float], hidden: Iterable[Cell]) -> set[Cell]:
    """Return the hidden cells widened by complementary suppression (see the module docstring).

    `cells` maps (row key, column key) to a non-negative value, margins included. While a hidden
    cell can be worked out (it is alone in its row or column, or more generally lies on no cycle
    of hidden cells), the cheapest shown cells that put it on a cycle are hidden too: one cell
    joining its two sides, or the other three corners of a rectangle through it. Cheapest means
    fewest zeros (a hidden zero protects little), then the smallest total; ties go by the order
    of `cells`.
    """
    hidden = set(hidden) & set(cells)
    order = {key: i for i, key in enumerate(cells)}
    rows = list(dict.fromkeys(r for r, _ in cells))
    cols = list(dict.fromkeys(c for _, c in cells))

    def cost(option: tuple[Cell, ...]) -> tuple[int, float, int, int]:
        added = [c for c in option if c not in hidden]
        return (
            sum(cells[c] == 0 for c in added),
            sum(cells[c] for c in added),
            len(added),
            min((order[c] for c in added), default=-1),
        )

    while True:
        bridges = recoverable_cells(hidden)
        if not bridges:
            return hidden
        r, c = min(bridges, key=lambda cell: order[cell])
        options: list[tuple[Cell, ...]] = [
            ((r, col), (row, c), (row, col))
            for row in rows
            for col in cols
            if row != r
            and col != c
            and (r, col) in cells
            and (row, c) in cells
            and (row, col) in cells
        ]
        graph = _adjacency(hidden - {(r, c)})
        side_r, side_c = _reachable(graph, ("r", r)), _reachable(graph, ("c", c))
        options += [
            (cell,)
            for cell in cells
            if cell not in hidden
            and (
                (("r", cell[0]) in side_r and ("c", cell[1]) in side_c)
                or (("r", cell[0]) in side_c and ("c", cell[1]) in side_r)
            )
        ]
        options = [o for o in options if any(cell not in hidden for cell in o)]
        if not options:
            # Absent cells leave no cycle through it: widen along its row and column.
            options = [
                (cell,) for cell in cells if cell not in hidden and (cell[0] == r or cell[1] == c)
            ]
        if not options:
            options = [(cell,) for cell in cells if cell not in hidden]
        if not options:
            return hidden
        best: tuple[Cell, ...] = min(options, key=cost)
        hidden.update(best)


def recoverable_cells(hidden: Iterable[Cell]) -> set[Cell]:
    """Return the hidden cells that the shown cells and the margins determine exactly.

    Those are the bridges of the row-column graph of hidden cells (Tarjan's algorithm).
    """
    edges = list(dict.fromkeys(hidden))
    graph: dict[Node, list[tuple[Node, int]]] = defaultdict(list)
    for i, (r, c) in enumerate(edges):
        graph[("r", r)].append((("c", c), i))
        graph[("c", c)].append((("r", r), i))
    found: set[Cell] = set()
    entry: dict[Node, int] = {}
    low: dict[Node, int] = {}
    clock = 0
    for root in graph:
        if root in entry:
            continue
        entry[root] = low[root] = clock
        clock += 1
        stack: list[tuple[Node, int, int]] = [(root, -1, 0)]
        while stack:
            node, via, index = stack[-1]
            if index < len(graph[node]):
                stack[-1] = (node, via, index + 1)
                nxt, edge = graph[node][index]
                if edge == via:
                    continue
                if nxt in entry:
                    low[node] = min(low[node], entry[nxt])
                else:
                    entry[nxt] = low[nxt] = clock
                    clock += 1
                    stack.append((nxt, edge, 0))
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > entry[parent]:
                        found.add(edges[via])
    return found


def _adjacency(edges: Iterable[Cell]) -> dict[Node, list[Node]]:
    graph: dict[Node, list[Node]] = defaultdict(list)
    for r, c in edges:
        graph[("r", r)].append(("c", c))
        graph[("c", c)].append(("r", r))
    return graph


def _reachable(graph: dict[Node, list[Node]], start: Node) -> set[Node]:
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in graph.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def apply_suppression(
    frame: pl.DataFrame, flag: str, values: Sequence[str], status: str = "status"
) -> pl.DataFrame:
    """Return the frame with `values` nulled where `flag` is true, and `status` shown/suppressed."""
    hide = pl.col(flag).fill_null(True)
    return frame.with_columns(
        *[pl.when(hide).then(None).otherwise(pl.col(v)).alias(v) for v in values],
        pl.when(hide).then(pl.lit(SUPPRESSED)).otherwise(pl.lit(SHOWN)).alias(status),
    )
