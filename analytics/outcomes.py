"""Trainee outcomes: did the people a program trained get hired, and did they stay.

Counted as of a date, per provider, program and cohort (or all cohorts pooled):

- completers: participants whose `completed_on` is on or before the date;
- placed: completers with a `hired_on` on or before the date; placement_rate = placed / completers;
- retained at N days (90, 365): of the placed people hired at least N days before the date (the
  eligible), those with no `separated_on` or one at least N days after `hired_on`. People hired
  more recently are not counted either way: their N days have not passed;
- median hourly wage at hire, over placed people with a wage;
- wage gain, where the wage before the program is known: the placements feed has no such field
  (analytics.schemas.PlacementSchema), so it is computed only when a frame carries a
  `prior_hourly_wage` column, and otherwise says "not recorded".

Person-level results rest on few people, so any count under MIN_PEOPLE (10) is withheld, and so
is every rate or median computed from a withheld count; they read FEWER_THAN, never blank. When
one cohort of a program is withheld and the pooled total is shown, a second cohort is withheld
too, so that the first cannot be recovered by subtraction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import polars as pl

from analytics.schemas import (
    OutcomeSchema,
    PathwayRoiSchema,
    PlacementBreakdownSchema,
    RetentionCurveSchema,
)

MIN_PEOPLE = 10
FEWER_THAN = "fewer than 10"
NOT_RECORDED = "not recorded"
RETENTION_DAYS = (90, 365)
CURVE_DAYS = (0, 30, 60, 90, 180, 270, 365)
HOURS_PER_YEAR = 2080
PRIOR_WAGE = "prior_hourly_wage"
OTHER_EMPLOYERS = "Other employers (fewer than 10 placements each)"
OTHER_OCCUPATIONS = "Other occupations (fewer than 10 placements each)"

# Count -> the values computed from it (withheld with it).
_DERIVED: dict[str, tuple[str, ...]] = {
    "completers": ("placement_rate",),
    "placed": ("placement_rate",),
    "eligible_90d": ("retained_90d_rate",),
    "retained_90d": ("retained_90d_rate",),
    "eligible_365d": ("retained_365d_rate",),
    "retained_365d": ("retained_365d_rate",),
    "wage_people": ("median_hourly_wage",),
    "prior_wage_people": ("median_hourly_wage_gain",),
}
_COUNTS = tuple(_DERIVED)
_NOT_YET = frozenset({"eligible_90d", "eligible_365d", "prior_wage_people"})
NOT_YET = "not yet"


def _as_of_frame(placements: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Completers as of the date, one row per person, with what was known of them on that date."""
    hired = pl.col("hired_on").is_not_null() & (pl.col("hired_on") <= as_of)
    frame = placements.filter(pl.col("completed_on") <= as_of)
    if PRIOR_WAGE not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.Float64).alias(PRIOR_WAGE))
    frame = frame.unique(["provider", "program", "cohort", "participant_id"], keep="first")
    columns = [
        hired.alias("is_placed"),
        pl.when(hired).then(pl.col("hourly_wage")).alias("wage"),
        pl.when(hired).then(pl.col("hourly_wage") - pl.col(PRIOR_WAGE)).alias("wage_gain"),
    ]
    for days in RETENTION_DAYS:
        eligible = hired & (pl.col("hired_on") + timedelta(days=days) <= as_of)
        stayed = pl.col("separated_on").is_null() | (
            pl.col("separated_on") >= pl.col("hired_on") + timedelta(days=days)
        )
        columns += [
            eligible.alias(f"eligible_{days}d"),
            (eligible & stayed).alias(f"retained_{days}d"),
        ]
    return frame.with_columns(columns)


def compute_outcomes(
    placements: pl.DataFrame,
    as_of: date,
    by: Sequence[str] = ("provider", "program", "cohort"),
) -> pl.DataFrame:
    """Return outcomes per group (Outcome), nothing withheld: for analysis, not for showing.

    `by` is ("provider", "program", "cohort") or ("provider", "program") (cohort null: all
    cohorts pooled). Groups with no completer as of the date are left out.
    """
    frame = _as_of_frame(placements, as_of)
    keys = list(by)
    agg = frame.group_by(keys).agg(
        pl.len().cast(pl.Int64).alias("completers"),
        pl.col("is_placed").sum().cast(pl.Int64).alias("placed"),
        *[pl.col(f"eligible_{d}d").sum().cast(pl.Int64) for d in RETENTION_DAYS],
        *[pl.col(f"retained_{d}d").sum().cast(pl.Int64) for d in RETENTION_DAYS],
        pl.col("wage").count().cast(pl.Int64).alias("wage_people"),
        pl.col("wage").median().alias("median_hourly_wage"),
        pl.col("wage_gain").count().cast(pl.Int64).alias("prior_wage_people"),
        pl.col("wage_gain").median().alias("median_hourly_wage_gain"),
    )
    if "cohort" not in keys:
        agg = agg.with_columns(pl.lit(None, pl.String).alias("cohort"))
    agg = agg.with_columns(
        _rate("placed", "completers").alias("placement_rate"),
        *[
            _rate(f"retained_{d}d", f"eligible_{d}d").alias(f"retained_{d}d_rate")
            for d in RETENTION_DAYS
        ],
        pl.lit("").alias("suppressed"),
    )
    return OutcomeSchema.validate(agg.sort("provider", "program", "cohort", nulls_last=True))


def _rate(numerator: str, denominator: str) -> pl.Expr:
    return pl.when(pl.col(denominator) > 0).then(pl.col(numerator) / pl.col(denominator))


def suppress_outcomes(outcomes: pl.DataFrame, min_people: int = MIN_PEOPLE) -> pl.DataFrame:
    """Return the outcomes with every count under `min_people`, and what is computed from it, withheld (null).

    `suppressed` names the withheld columns. Where a program has pooled rows (cohort null) beside
    its cohorts, a second cohort is withheld in any count column where exactly one cohort is, so
    that the pooled total does not give it away.
    """
    rows = outcomes.to_dicts()
    hidden: list[set[str]] = []
    for row in rows:
        gone = set()
        for count in _COUNTS:
            value = row[count]
            # Nobody hired long enough ago, or no prior wage in the feed, says nothing about a person.
            if count in _NOT_YET and value == 0:
                continue
            if count.startswith("retained_") and row[count.replace("retained", "eligible")] == 0:
                continue
            if value is not None and value < min_people:
                gone.add(count)
        # A count withheld hides the counts that are parts of it (placed <= completers, ...).
        if "completers" in gone:
            gone |= set(_COUNTS)
        if "placed" in gone:
            gone |= {
                "eligible_90d",
                "retained_90d",
                "eligible_365d",
                "retained_365d",
                "wage_people",
                "prior_wage_people",
            }
        for days in RETENTION_DAYS:
            if f"eligible_{days}d" in gone:
                gone.add(f"retained_{days}d")
        hidden.append(gone)

    groups: dict[tuple[object, object], list[int]] = {}
    for i, row in enumerate(rows):
        groups.setdefault((row["provider"], row["program"]), []).append(i)
    for members in groups.values():
        pooled = [i for i in members if rows[i]["cohort"] is None]
        cohorts = [i for i in members if rows[i]["cohort"] is not None]
        if not pooled or len(cohorts) < 2:
            continue
        for count in _COUNTS:
            if any(count in hidden[i] for i in pooled):
                continue
            withheld = [i for i in cohorts if count in hidden[i]]
            if len(withheld) == 1:
                shown = [
                    i for i in cohorts if count not in hidden[i] and rows[i][count] is not None
                ]
                if shown:
                    smallest = min(shown, key=lambda i: (rows[i][count], str(rows[i]["cohort"])))
                    hidden[smallest].add(count)

    for row, gone in zip(rows, hidden, strict=True):
        derived = {d for count in gone for d in _DERIVED[count]}
        for column in gone | derived:
            row[column] = None
        row["suppressed"] = ",".join(c for c in OutcomeSchema.columns if c in gone | derived)
    frame = pl.DataFrame(rows, schema=OutcomeSchema.columns)
    return OutcomeSchema.validate(frame)


def publish_outcomes(
    outcomes: pl.DataFrame,
    columns: Sequence[str] = (
        "completers",
        "placed",
        "placement_rate",
        "retained_90d_rate",
        "retained_365d_rate",
        "median_hourly_wage",
    ),
    style: str = "plain",
) -> pl.DataFrame:
    """Return suppressed outcomes as text for a table or a file: provider, program, cohort and `columns`.

    Withheld cells read FEWER_THAN; a wage gain with no prior wage reads NOT_RECORDED; retention
    with nobody hired long enough ago reads NOT_YET. Style
    "plain" writes machine-readable numbers (rates 0-1); "people" writes 1,234, 72%, $19.85.
    """
    records = []
    for row in outcomes.iter_rows(named=True):
        hidden = set(filter(None, (row["suppressed"] or "").split(",")))
        out: dict[str, str | None] = {
            "provider": row["provider"],
            "program": row["program"],
            "cohort": row["cohort"] if row["cohort"] is not None else "all cohorts",
        }
        for column in columns:
            value = row[column]
            if column in hidden:
                out[column] = FEWER_THAN
            elif column == "median_hourly_wage_gain" and not row["prior_wage_people"]:
                out[column] = NOT_RECORDED
            elif column.startswith("retained_") and value is None and _eligible(row, column) == 0:
                out[column] = NOT_YET
            else:
                out[column] = _text(column, value, style)
        records.append(out)
    schema = {c: pl.String for c in ("provider", "program", "cohort", *columns)}
    return pl.DataFrame(records, schema=schema)


def _eligible(row: Mapping[str, object], column: str) -> object:
    days = column.split("_")[1]  # retained_90d_rate -> 90d
    return row.get(f"eligible_{days}")


def _text(column: str, value: object, style: str) -> str | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    if column.endswith("_rate"):
        return f"{number:.0%}" if style == "people" else f"{number:.3f}"
    if "wage" in column:
        return f"${number:,.2f}" if style == "people" else f"{number:.2f}"
    return f"{int(number):,}" if style == "people" else str(int(number))


def compute_retention_curve(
    placements: pl.DataFrame,
    as_of: date,
    days: Sequence[int] = CURVE_DAYS,
    by: Sequence[str] = ("provider", "program"),
    min_people: int = MIN_PEOPLE,
) -> pl.DataFrame:
    """Return the share of placed people still employed N days after hire, per group (RetentionCurve).

    At each N only people hired at least N days before the as-of date count. A point resting on
    fewer than `min_people` eligible or retained people is withheld (`retained_rate` null).
    """
    frame = _as_of_frame(placements, as_of).filter(pl.col("is_placed"))
    keys = list(by)
    parts = []
    for n in days:
        eligible = pl.col("hired_on") + timedelta(days=n) <= as_of
        stayed = pl.col("separated_on").is_null() | (
            pl.col("separated_on") >= pl.col("hired_on") + timedelta(days=n)
        )
        parts.append(
            frame.group_by(keys).agg(
                pl.lit(n, pl.Int32).alias("days_after_hire"),
                eligible.sum().cast(pl.Int64).alias("eligible"),
                (eligible & stayed).sum().cast(pl.Int64).alias("retained"),
            )
        )
    if not parts or frame.height == 0:
        return RetentionCurveSchema.empty()
    curve = pl.concat(parts)
    if "program" not in keys:
        curve = curve.with_columns(pl.lit(None, pl.String).alias("program"))
    if "provider" not in keys:
        curve = curve.with_columns(pl.lit(None, pl.String).alias("provider"))
    small = (pl.col("eligible") < min_people) | (pl.col("retained") < min_people)
    curve = curve.with_columns(
        small.alias("suppressed"),
        pl.when(~small).then(pl.col("retained") / pl.col("eligible")).alias("retained_rate"),
        pl.when(~small).then(pl.col("eligible")).alias("eligible"),
        pl.when(~small).then(pl.col("retained")).alias("retained"),
    )
    return RetentionCurveSchema.validate(curve.sort("provider", "program", "days_after_hire"))


def compute_placement_breakdown(
    placements: pl.DataFrame,
    as_of: date,
    by: str,
    titles: Mapping[str, str] | None = None,
    min_people: int = MIN_PEOPLE,
) -> pl.DataFrame:
    """Return placements by employer or by occupation ("employer" or "occupation"; PlacementBreakdown).

    Categories with fewer than `min_people` placements are pooled into one "other" row, shown when
    the pool reaches `min_people` and withheld otherwise.
    """
    if by not in ("employer", "occupation"):
        raise ValueError("by is 'employer' or 'occupation'")
    column = "employer" if by == "employer" else "soc_code"
    frame = _as_of_frame(placements, as_of).filter(pl.col("is_placed"))
    total = frame.height
    counts = (
        frame.with_columns(pl.col(column).fill_null("not given"))
        .group_by(column)
        .agg(
            pl.len().cast(pl.Int64).alias("placed"),
            pl.col("wage").median().alias("median_hourly_wage"),
        )
        .sort("placed", column, descending=[True, False])
    )
    big = counts.filter(pl.col("placed") >= min_people)
    small = frame.filter(~pl.col(column).fill_null("not given").is_in(big[column].implode()))
    names = titles or {}
    rows = [
        {
            "by": by,
            "category": key,
            "label": key if by == "employer" else names.get(key, key),
            "placed": placed,
            "share_of_placed": placed / total if total else None,
            "median_hourly_wage": wage,
            "suppressed": False,
        }
        for key, placed, wage in big.iter_rows()
    ]
    if small.height:
        shown = small.height >= min_people
        rows.append(
            {
                "by": by,
                "category": "other",
                "label": OTHER_EMPLOYERS if by == "employer" else OTHER_OCCUPATIONS,
                "placed": small.height if shown else None,
                "share_of_placed": small.height / total if shown and total else None,
                "median_hourly_wage": small["wage"].median() if shown else None,
                "suppressed": not shown,
            }
        )
    return PlacementBreakdownSchema.validate(
        pl.DataFrame(rows, schema=PlacementBreakdownSchema.columns)
    )


def compute_pathway_roi(
    programs: pl.DataFrame,
    outcomes: pl.DataFrame,
    from_soc: str,
    from_title: str,
    to_soc: str,
    to_title: str,
    prior_hourly_wage: float | None,
    prior_wage_source: str,
    target_hourly_wage: float | None = None,
    target_wage_source: str = "",
) -> pl.DataFrame:
    """Return, per program training for the target, what a placement costs and earns (PathwayRoi).

    `programs` are member programs (ProgramSchema) that train for `to_soc`; `cost` is taken as the
    price per participant who starts. `outcomes` are suppressed outcomes pooled by provider and
    program. Placement rate: the placements feed's when shown, else the rate the program reports.
    Cost per placement = cost / (completion rate x placement rate); without a completion rate,
    cost is taken per completer. Hire wage: the program's median at hire when shown, else the
    target's median (`target_hourly_wage`). Prior wage: the feeder occupation's median. Wage gain
    a year = (hire wage - prior wage) x 2080 hours; per participant it is spread over everyone
    who started (x completion rate x placement rate). Payback = cost per placement / monthly gain.
    """
    seen = {
        (r["provider"], r["program"]): r
        for r in outcomes.filter(pl.col("cohort").is_null()).iter_rows(named=True)
    }
    rows = []
    for program in programs.iter_rows(named=True):
        result = seen.get((program["provider"], program["program"]))
        placement = result["placement_rate"] if result else None
        placement_source = "placements feed"
        if placement is None:
            placement = program["placement_rate"]
            placement_source = "reported by the program" if placement is not None else "not known"
        completion = program["completion_rate"]
        cost = program["cost"]
        per_start = (completion or 1.0) * placement if placement else None
        cost_per_placement = cost / per_start if cost is not None and per_start else None
        hire = result["median_hourly_wage"] if result else None
        hire_source = "median at hire (placements feed)"
        if hire is None:
            hire, hire_source = target_hourly_wage, target_wage_source
        gain = (
            (hire - prior_hourly_wage) * HOURS_PER_YEAR
            if hire is not None and prior_hourly_wage is not None
            else None
        )
        per_participant = gain * per_start if gain is not None and per_start else None
        payback = (
            cost_per_placement / (gain / 12)
            if cost_per_placement is not None and gain and gain > 0
            else None
        )
        rows.append(
            {
                "from_soc": from_soc,
                "from_title": from_title,
                "to_soc": to_soc,
                "to_title": to_title,
                "provider": program["provider"],
                "program": program["program"],
                "cost": cost,
                "completion_rate": completion,
                "placement_rate": placement,
                "placement_rate_source": placement_source,
                "cost_per_placement": cost_per_placement,
                "hire_hourly_wage": hire,
                "hire_wage_source": hire_source if hire is not None else None,
                "prior_hourly_wage": prior_hourly_wage,
                "prior_wage_source": prior_wage_source if prior_hourly_wage is not None else None,
                "annual_wage_gain_per_placed": gain,
                "annual_wage_gain_per_participant": per_participant,
                "payback_months": payback,
            }
        )
    frame = pl.DataFrame(rows, schema=PathwayRoiSchema.columns)
    return PathwayRoiSchema.validate(frame.sort("cost_per_placement", "provider", nulls_last=True))


def publish_breakdown(breakdown: pl.DataFrame) -> pl.DataFrame:
    """Return a PlacementBreakdown as text for people: label, placed, share, median wage ("fewer than 10" where withheld)."""
    rows = []
    for row in breakdown.iter_rows(named=True):
        hidden = row["suppressed"]
        rows.append(
            {
                "label": row["label"],
                "placed": FEWER_THAN if hidden else f"{row['placed']:,}",
                "share_of_placed": FEWER_THAN
                if hidden or row["share_of_placed"] is None
                else f"{row['share_of_placed']:.0%}",
                "median_hourly_wage": FEWER_THAN
                if hidden
                else (
                    NOT_RECORDED
                    if row["median_hourly_wage"] is None
                    else f"${row['median_hourly_wage']:,.2f}"
                ),
            }
        )
    schema = {c: pl.String for c in ("label", "placed", "share_of_placed", "median_hourly_wage")}
    return pl.DataFrame(rows, schema=schema)
