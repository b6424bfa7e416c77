"""The vacancy signal: members' postings by occupation x month in a region, and the market trend.

From the warehouse's vacancies: new postings and their openings per month, postings open at the
month's end, the median days to fill (postings filled in the month) and the median offered wage
(per posting, the midpoint of its range, hourly x 2,080 hours), by SOC x region x month with the
all-occupation rows and the whole-window rows as margins. Nothing leaves compute_vacancy_signal
without passing analytics.disclosure: counts under the count rule plus complementary
suppression, days to fill under the count rule, wages under the wage rule.

The market-wide trend comes from the Indeed Hiring Lab postings index: the health-care sectors
nationally and all postings in the region's states, as monthly means of the daily values.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import polars as pl

from analytics.disclosure import (
    COUNT_RULE,
    EVERY_MEMBER,
    SHOWN,
    SUPPRESSED,
    WAGE_RULE,
    compute_complementary_suppression,
    compute_primary_disclosure,
)
from analytics.intake import STATE_CODES
from analytics.schemas import PostingsTrendSchema, VacancySignalSchema

ALL_OCCUPATIONS = "00-0000"
ALL_OCCUPATIONS_TITLE = "All occupations"
HOURS_PER_YEAR = 2080
# A posting whose wage has no unit: amounts below this are read as hourly, above as annual
# (no hourly wage reaches $1,000 and no annual salary stays under it).
HOURLY_CEILING = 1000.0
# Indeed's health-care and life-science sectors (Indeed's categories, not SOC).
HEALTHCARE_SECTORS: tuple[str, ...] = (
    "Nursing",
    "Medical Technician",
    "Personal Care & Home Health",
    "Pharmacy",
    "Therapy",
    "Physicians & Surgeons",
    "Dental",
    "Medical Information",
    "Scientific Research & Development",
)
TOTAL_POSTINGS = "total postings"
_KEYS = ["soc_code", "month"]


def _month(expr: pl.Expr) -> pl.Expr:
    return expr.dt.truncate("1mo")


def _expand(frame: pl.DataFrame, by_window: bool = True) -> pl.DataFrame:
    """The frame again as the margins: all occupations, whole window (month null), both."""
    parts = [frame, frame.with_columns(pl.lit(ALL_OCCUPATIONS).alias("soc_code"))]
    if by_window:
        parts += [
            frame.with_columns(pl.lit(None, pl.Date).alias("month")),
            frame.with_columns(
                pl.lit(ALL_OCCUPATIONS).alias("soc_code"), pl.lit(None, pl.Date).alias("month")
            ),
        ]
    return pl.concat(parts)


def compute_vacancy_signal(
    vacancies: pl.DataFrame,
    region_id: str,
    region_counties: Iterable[str],
    viewer: str | None = None,
    start: date | None = None,
    end: date | None = None,
    titles: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Return members' postings by occupation x month in the region, disclosure applied (VacancySignal).

    `vacancies` is the warehouse's Vacancy rows (member = employer). Postings without a SOC code
    or a county in the region are left out. The window runs from `start` to `end` (months; by
    default the first and last month with postings). `viewer` is the member looking (its own
    numbers fill the own_* columns and the rules must hold without it), EVERY_MEMBER for a shared
    screen, or None. `titles` (soc_code, title) names the occupations.
    """
    posts = vacancies.filter(
        pl.col("county_fips").is_in(list(region_counties)),
        pl.col("soc_code").is_not_null(),
        pl.col("posted_date").is_not_null(),
    )
    if posts.height == 0:
        return VacancySignalSchema.empty()
    filled = (pl.col("status") == "filled") | (
        pl.col("status").is_null() & pl.col("closed_date").is_not_null()
    )
    closed_without_date = pl.col("closed_date").is_null() & pl.col("status").is_in(
        ["filled", "cancelled"]
    )
    low, high = pl.col("wage_min"), pl.col("wage_max")
    amount = pl.mean_horizontal(low, high)
    hourly = (pl.col("wage_unit") == "hour") | (
        pl.col("wage_unit").is_null() & (amount < HOURLY_CEILING)
    )
    posts = posts.with_columns(
        _month(pl.col("posted_date")).alias("posted_month"),
        _month(pl.col("closed_date")).alias("closed_month"),
        filled.fill_null(False).alias("_filled"),
        # postings closed with no date are open at no month's end
        pl.when(closed_without_date)
        .then(_month(pl.col("posted_date")))
        .otherwise(_month(pl.col("closed_date")))
        .alias("_closed_month"),
        pl.when(hourly).then(amount * HOURS_PER_YEAR).otherwise(amount).alias("_annual_wage"),
        pl.col("openings").fill_null(1).cast(pl.Int64),
    )
    first = start.replace(day=1) if start else posts["posted_month"].min()
    last_seen = posts.select(
        pl.max_horizontal(pl.col("posted_month").max(), pl.col("closed_month").max())
    )
    last = end.replace(day=1) if end else last_seen.item()
    assert isinstance(first, date) and isinstance(last, date)
    months = pl.date_range(first, last, "1mo", eager=True)
    window = months.len()
    in_window = pl.col("month").is_between(first, last)

    new = posts.select(
        "member", "soc_code", pl.col("posted_month").alias("month"), "openings", "_annual_wage"
    ).filter(in_window)
    open_end = (
        posts.with_columns(
            pl.coalesce(pl.col("_closed_month").dt.offset_by("-1mo"), pl.lit(last)).alias("_last")
        )
        .filter(pl.col("_last") >= pl.col("posted_month"))
        .select(
            "member",
            "soc_code",
            pl.date_ranges(pl.col("posted_month"), pl.col("_last"), "1mo").alias("month"),
        )
        .explode("month")
        .filter(in_window)
    )
    done = (
        posts.filter(pl.col("_filled") & pl.col("closed_date").is_not_null())
        .select(
            "member",
            "soc_code",
            pl.col("closed_month").alias("month"),
            (pl.col("closed_date") - pl.col("posted_date")).dt.total_days().alias("_days"),
        )
        .filter(in_window)
    )

    new_x, open_x, done_x = _expand(new), _expand(open_end, by_window=False), _expand(done)
    wages = new_x.filter(pl.col("_annual_wage").is_not_null())

    counts = (
        new_x.group_by(_KEYS)
        .agg(pl.len().alias("new_postings"), pl.col("openings").sum())
        .join(open_x.group_by(_KEYS).agg(pl.len().alias("open_at_month_end")), on=_KEYS, how="full", coalesce=True, nulls_equal=True)
        .join(done_x.group_by(_KEYS).agg(pl.col("_days").median().alias("median_days_to_fill")), on=_KEYS, how="full", coalesce=True, nulls_equal=True)
        .join(wages.group_by(_KEYS).agg(pl.col("_annual_wage").median().alias("median_offered_annual_wage")), on=_KEYS, how="full", coalesce=True, nulls_equal=True)
    )  # fmt: skip
    counts = counts.with_columns(
        pl.col("new_postings", "openings").fill_null(0).cast(pl.Int64),
        pl.when(pl.col("month").is_not_null())
        .then(pl.col("open_at_month_end").fill_null(0))
        .cast(pl.Int64)
        .alias("open_at_month_end"),
    )

    def rule_passes(frame: pl.DataFrame, weight: str | None, rule_name: str) -> pl.DataFrame:
        data = frame.with_columns(pl.lit(1).alias("_one")) if weight is None else frame
        rule = WAGE_RULE if rule_name == "wage" else COUNT_RULE
        checked = compute_primary_disclosure(
            data, _KEYS, weight or "_one", rule=rule, viewer=viewer
        )
        return checked.rename({"passes": f"_ok_{rule_name}"})

    checks = [
        rule_passes(new_x, None, "new"),
        rule_passes(new_x, "openings", "openings"),
        rule_passes(open_x, None, "open"),
        rule_passes(done_x, None, "days"),
        rule_passes(wages, None, "wage"),
    ]
    for check in checks:
        counts = counts.join(check, on=_KEYS, how="left", nulls_equal=True)
    ok = pl.col("_ok_new", "_ok_openings", "_ok_open").fill_null(True)
    counts = counts.with_columns(
        (~pl.all_horizontal(ok)).alias("_hidden"),
    )
    counts = compute_complementary_suppression(
        counts.sort(_KEYS, nulls_last=True), "soc_code", "month", "openings", "_hidden"
    )
    own = _own_counts(new, open_end, viewer)
    counts = counts.join(own, on=_KEYS, how="left", nulls_equal=True)
    hidden = pl.col("_hidden")
    days_hidden = hidden | ~pl.col("_ok_days").fill_null(False)
    wage_hidden = hidden | ~pl.col("_ok_wage").fill_null(False)
    names = (
        titles.select("soc_code", "title").unique("soc_code", keep="first")
        if titles is not None
        else pl.DataFrame(schema={"soc_code": pl.String, "title": pl.String})
    )
    frame = counts.join(names, on="soc_code", how="left").select(
        pl.lit(region_id).alias("region_id"),
        "soc_code",
        pl.when(pl.col("soc_code") == ALL_OCCUPATIONS)
        .then(pl.lit(ALL_OCCUPATIONS_TITLE))
        .otherwise(pl.col("title"))
        .alias("title"),
        "month",
        pl.when(pl.col("month").is_null())
        .then(pl.lit(window))
        .otherwise(pl.lit(1))
        .cast(pl.Int16)
        .alias("months"),
        *[
            pl.when(hidden).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("new_postings", "openings", "open_at_month_end")
        ],
        pl.when(days_hidden).then(None).otherwise(pl.col("median_days_to_fill")).cast(pl.Float64).alias("median_days_to_fill"),
        pl.when(wage_hidden).then(None).otherwise(pl.col("median_offered_annual_wage")).alias("median_offered_annual_wage"),
        _status(hidden).alias("status"),
        _status(days_hidden).alias("days_to_fill_status"),
        _status(wage_hidden).alias("wage_status"),
        "own_new_postings",
        "own_openings",
        "own_open_at_month_end",
    )  # fmt: skip
    return VacancySignalSchema.validate(
        frame.sort(pl.col("soc_code") == ALL_OCCUPATIONS, "soc_code", "month", nulls_last=True)
    )


def _status(hidden: pl.Expr) -> pl.Expr:
    return pl.when(hidden).then(pl.lit(SUPPRESSED)).otherwise(pl.lit(SHOWN))


def _own_counts(new: pl.DataFrame, open_end: pl.DataFrame, viewer: str | None) -> pl.DataFrame:
    """The viewer's own postings in every cell (a member always sees its own numbers)."""
    schema = {
        "soc_code": pl.String,
        "month": pl.Date,
        "own_new_postings": pl.Int64,
        "own_openings": pl.Int64,
        "own_open_at_month_end": pl.Int64,
    }
    if viewer is None or viewer == EVERY_MEMBER:
        return pl.DataFrame(schema=schema)
    mine_new = _expand(new.filter(pl.col("member") == viewer))
    mine_open = _expand(open_end.filter(pl.col("member") == viewer), by_window=False)
    return (
        mine_new.group_by(_KEYS)
        .agg(pl.len().alias("own_new_postings"), pl.col("openings").sum().alias("own_openings"))
        .join(
            mine_open.group_by(_KEYS).agg(pl.len().alias("own_open_at_month_end")),
            on=_KEYS,
            how="full",
            coalesce=True,
            nulls_equal=True,
        )
        .with_columns(pl.col("own_new_postings", "own_openings").fill_null(0))
        .select(*[pl.col(c).cast(t) for c, t in schema.items()])
    )


def compute_vacancy_openings(signal: pl.DataFrame) -> pl.DataFrame:
    """Return disclosed member openings a year per occupation (soc_code, vacancy_openings).

    Taken from the whole-window rows that are shown, scaled to twelve months; suppressed
    occupations are left out.
    """
    return signal.filter(
        pl.col("month").is_null(),
        pl.col("soc_code") != ALL_OCCUPATIONS,
        pl.col("status") == SHOWN,
    ).select(
        "soc_code",
        (pl.col("openings").cast(pl.Float64) * 12 / pl.col("months")).alias("vacancy_openings"),
    )


def compute_region_states(region_counties: Iterable[str]) -> list[str]:
    """Return the lower-case USPS codes of the states the region's counties lie in."""
    by_fips = {fips: code.lower() for code, fips in STATE_CODES.items()}
    return sorted({by_fips[c[:2]] for c in region_counties if c[:2] in by_fips})


def compute_postings_trend(
    sector: pl.DataFrame,
    state: pl.DataFrame,
    national: pl.DataFrame,
    states: Iterable[str],
    sectors: Iterable[str] = HEALTHCARE_SECTORS,
) -> pl.DataFrame:
    """Return the Indeed postings index as monthly means (PostingsTrend).

    The health-care sectors nationally, all postings in each of `states` (lower-case USPS codes),
    and all postings nationally (seasonally adjusted) for comparison. The sector file is Indeed's
    pre-November-2024 seasonal-adjustment vintage and ends in September 2024; the state and
    national files use the current method.
    """
    parts = [
        sector.filter(pl.col("series").is_in(list(sectors)), pl.col("geography") == "US"),
        state.filter(pl.col("geography").is_in(list(states)), pl.col("series") == TOTAL_POSTINGS),
        national.filter(pl.col("series") == TOTAL_POSTINGS, pl.col("adjustment") == "SA"),
    ]
    frame = (
        pl.concat(
            [p.select("date", "geography", "series", "index_value", "adjustment") for p in parts]
        )
        .drop_nulls("index_value")
        .group_by(_month(pl.col("date")).alias("month"), "geography", "series", "adjustment")
        .agg(pl.col("index_value").mean(), pl.len().cast(pl.Int16).alias("days"))
    )
    return PostingsTrendSchema.validate(frame.sort("geography", "series", "month"))
