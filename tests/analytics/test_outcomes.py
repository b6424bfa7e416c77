"""Outcomes: hand-computed small cases for the as-of rule, retention, suppression and ROI."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest

from analytics import outcomes as oc
from analytics.schemas import OutcomeSchema, PlacementSchema

PROVIDER, PROGRAM = "Harborside Community College", "Medical Assistant"
COMPLETED = date(2025, 5, 1)


def person(
    n: int,
    hired: date | None = None,
    wage: float | None = None,
    separated: date | None = None,
    cohort: str = "2025-spring",
    completed: date = COMPLETED,
    program: str = PROGRAM,
    employer: str | None = "Harbor Health",
    soc: str | None = "31-9092",
) -> dict[str, object]:
    return {
        "participant_id": f"P{n:03d}",
        "provider": PROVIDER,
        "program": program,
        "cohort": cohort,
        "completed_on": completed,
        "employer": employer if hired else None,
        "soc_code": soc if hired else None,
        "hired_on": hired,
        "hourly_wage": wage,
        "separated_on": separated,
        "source_file": "test.csv",
        "ingest_id": 1,
        "ingested_at": None,
    }


def frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=PlacementSchema.columns)


JUNE, SEPTEMBER, MARCH = date(2025, 6, 1), date(2025, 9, 15), date(2026, 3, 1)


@pytest.fixture()
def cohort() -> pl.DataFrame:
    """12 completers: 6 hired in June 2025, 2 in September, 2 in March 2026, 2 never."""
    rows = [
        person(0, JUNE, 18.0, separated=JUNE + timedelta(days=45)),
        person(1, JUNE, 19.0, separated=JUNE + timedelta(days=122)),
        person(2, JUNE, 20.0, separated=JUNE + timedelta(days=374)),
        person(3, JUNE, 21.0),
        person(4, JUNE, 22.0),
        person(5, JUNE, 23.0),
        person(6, SEPTEMBER, 24.0),
        person(7, SEPTEMBER, 25.0),
        person(8, MARCH, 26.0),
        person(9, MARCH, None),  # hired, wage not reported
        person(10),
        person(11),
        # Completes after the as-of dates below: not yet a completer.
        person(12, cohort="2026-fall", completed=date(2026, 12, 11)),
    ]
    return frame(rows)


def test_outcomes_by_hand(cohort: pl.DataFrame) -> None:
    got = oc.compute_outcomes(cohort, date(2026, 6, 15))
    assert got.columns == list(OutcomeSchema.columns)
    row = got.row(0, named=True)
    assert got.height == 1  # the 2026-fall cohort has not completed yet
    assert (row["completers"], row["placed"]) == (12, 10)
    assert row["placement_rate"] == pytest.approx(10 / 12)
    # Hired by 2026-03-17 (90 days before 2026-06-15): everyone placed. The 45-day hire left.
    assert (row["eligible_90d"], row["retained_90d"]) == (10, 9)
    assert row["retained_90d_rate"] == pytest.approx(0.9)
    # Hired by 2025-06-15: the six June hires; two left before day 365 (day 45 and day 122),
    # the one who left on day 374 counts as retained.
    assert (row["eligible_365d"], row["retained_365d"]) == (6, 4)
    assert row["retained_365d_rate"] == pytest.approx(4 / 6)
    # Wages of the 9 placed people with a wage: 18..26, median 22.
    assert (row["wage_people"], row["median_hourly_wage"]) == (9, 22.0)
    assert (row["prior_wage_people"], row["median_hourly_wage_gain"]) == (0, None)
    assert row["suppressed"] == ""


def test_as_of_rule_counts_only_what_was_known_then(cohort: pl.DataFrame) -> None:
    row = oc.compute_outcomes(cohort, date(2025, 8, 1)).row(0, named=True)
    # On 2025-08-01 only the June hires are placed, and none was hired 90 days before.
    assert (row["completers"], row["placed"]) == (12, 6)
    assert (row["eligible_90d"], row["retained_90d"], row["retained_90d_rate"]) == (0, 0, None)
    early = oc.compute_outcomes(cohort, date(2025, 9, 5)).row(0, named=True)
    # 2025-09-05 is 96 days after June 1: the six June hires are eligible, one left on day 45.
    assert (early["eligible_90d"], early["retained_90d"]) == (6, 5)
    assert oc.compute_outcomes(cohort, date(2025, 4, 30)).height == 0


def test_pooled_outcomes_have_no_cohort(cohort: pl.DataFrame) -> None:
    pooled = oc.compute_outcomes(cohort, date(2027, 1, 1), by=("provider", "program"))
    row = pooled.row(0, named=True)
    assert row["cohort"] is None
    assert row["completers"] == 13  # the 2026-fall completer counts by 2027


def test_groups_under_ten_read_fewer_than_10(cohort: pl.DataFrame) -> None:
    raw = oc.compute_outcomes(cohort, date(2026, 6, 15))
    shown = oc.suppress_outcomes(raw).row(0, named=True)
    # 12 completers and 10 placed are shown; 9 retained at 90 days and 6 eligible at 365 are
    # not, nor the rates computed from them; 9 wages are too few for a median.
    assert (shown["completers"], shown["placed"]) == (12, 10)
    assert shown["placement_rate"] == pytest.approx(10 / 12)
    for column in ("retained_90d", "retained_90d_rate", "eligible_365d", "retained_365d_rate"):
        assert shown[column] is None, column
        assert column in shown["suppressed"].split(",")
    assert shown["eligible_90d"] == 10
    assert shown["median_hourly_wage"] is None
    text = oc.publish_outcomes(oc.suppress_outcomes(raw), style="people").row(0, named=True)
    assert text == {
        "provider": PROVIDER,
        "program": PROGRAM,
        "cohort": "2025-spring",
        "completers": "12",
        "placed": "10",
        "placement_rate": "83%",
        "retained_90d_rate": "fewer than 10",
        "retained_365d_rate": "fewer than 10",
        "median_hourly_wage": "fewer than 10",
    }


def test_a_small_program_is_withheld_whole() -> None:
    rows = [person(i, JUNE, 20.0) for i in range(9)]
    shown = oc.suppress_outcomes(oc.compute_outcomes(frame(rows), date(2026, 6, 15)))
    row = shown.row(0, named=True)
    assert all(row[c] is None for c in ("completers", "placed", "placement_rate"))
    text = oc.publish_outcomes(shown, ("completers", "placement_rate"), style="plain").row(0)
    assert text[3:] == ("fewer than 10", "fewer than 10")


def test_not_yet_and_not_recorded_are_said_in_words() -> None:
    rows = [person(i, date(2026, 5, 1), 20.0 + i) for i in range(12)]
    shown = oc.suppress_outcomes(oc.compute_outcomes(frame(rows), date(2026, 6, 15)))
    text = oc.publish_outcomes(
        shown,
        ("placed", "retained_90d_rate", "median_hourly_wage", "median_hourly_wage_gain"),
        style="plain",
    ).row(0, named=True)
    assert text["placed"] == "12"
    assert text["retained_90d_rate"] == oc.NOT_YET  # nobody hired 90 days before the date
    assert text["median_hourly_wage"] == "25.50"
    assert text["median_hourly_wage_gain"] == oc.NOT_RECORDED


def test_one_withheld_cohort_takes_a_second_with_it() -> None:
    """Cohorts placing 20, 8 and 15 people: with the total 43 shown, 8 = 43 - 20 - 15."""
    rows, n = [], 0
    for name, placed in (("2024-fall", 20), ("2025-spring", 8), ("2025-fall", 15)):
        for k in range(25):
            rows.append(person(n, JUNE if k < placed else None, 20.0, cohort=name))
            n += 1
    data = frame(rows)
    day = date(2026, 6, 15)
    both = pl.concat(
        [oc.compute_outcomes(data, day), oc.compute_outcomes(data, day, by=("provider", "program"))]
    )
    shown = {r["cohort"]: r for r in oc.suppress_outcomes(both).to_dicts()}
    assert shown[None]["placed"] == 43
    assert shown["2025-spring"]["placed"] is None
    assert shown["2025-fall"]["placed"] is None  # the smaller of the other two
    assert shown["2025-fall"]["placement_rate"] is None
    assert shown["2024-fall"]["placed"] == 20
    assert all(shown[c]["completers"] == 25 for c in ("2024-fall", "2025-spring", "2025-fall"))


def test_prior_wage_gives_a_wage_gain_when_a_feed_carries_it() -> None:
    rows = frame([person(i, JUNE, 20.0 + i) for i in range(10)]).with_columns(
        pl.Series("prior_hourly_wage", [17.0 + i for i in range(10)])
    )
    row = oc.compute_outcomes(rows, date(2026, 6, 15)).row(0, named=True)
    assert (row["prior_wage_people"], row["median_hourly_wage_gain"]) == (10, 3.0)


def test_retention_curve_counts_only_people_hired_long_enough_ago() -> None:
    rows = [
        person(i, JUNE, 20.0, separated=JUNE + timedelta(days=200) if i < 3 else None)
        for i in range(12)
    ]
    rows += [person(20 + i, MARCH, 20.0) for i in range(4)]
    curve = oc.compute_retention_curve(frame(rows), date(2026, 6, 15), days=(0, 90, 180, 270, 365))
    got = {r["days_after_hire"]: r for r in curve.to_dicts()}
    assert (got[0]["eligible"], got[0]["retained"], got[0]["retained_rate"]) == (16, 16, 1.0)
    # From day 180 on, only the 12 June hires count; three left on day 200.
    assert (got[180]["eligible"], got[180]["retained"]) == (12, 12)
    assert got[270]["retained_rate"] is None and got[270]["suppressed"]  # 9 retained
    assert got[270]["eligible"] is None


def test_placements_by_employer_pool_small_ones() -> None:
    rows = [person(i, JUNE, 20.0, employer="Harbor Health") for i in range(12)]
    rows += [person(20 + i, JUNE, 22.0, employer="Kendall Biologics") for i in range(5)]
    rows += [person(40 + i, JUNE, 24.0, employer="Seaport") for i in range(6)]
    table = oc.compute_placement_breakdown(frame(rows), date(2026, 6, 15), "employer")
    assert table.select("label", "placed").rows() == [
        ("Harbor Health", 12),
        (oc.OTHER_EMPLOYERS, 11),
    ]
    assert table["share_of_placed"].to_list() == pytest.approx([12 / 23, 11 / 23])
    few = oc.compute_placement_breakdown(frame(rows[:17]), date(2026, 6, 15), "employer")
    other = few.filter(pl.col("category") == "other").row(0, named=True)
    assert other["placed"] is None and other["suppressed"]
    by_soc = oc.compute_placement_breakdown(
        frame(rows), date(2026, 6, 15), "occupation", {"31-9092": "Medical Assistants"}
    )
    assert by_soc.select("label", "placed").rows() == [("Medical Assistants", 23)]


def test_roi_of_a_front_desk_to_medical_assistant_pathway() -> None:
    programs = pl.DataFrame(
        {
            "provider": [PROVIDER, "Merrimack"],
            "program": [PROGRAM, "Medical Assistant"],
            "cost": [4200.0, 3000.0],
            "completion_rate": [0.62, None],
            "placement_rate": [0.74, 0.5],
        }
    )
    outcomes = pl.DataFrame(
        [
            {"provider": PROVIDER, "program": PROGRAM, "cohort": None,
             "placement_rate": 0.75, "median_hourly_wage": 21.58},
        ]
    )  # fmt: skip
    roi = oc.compute_pathway_roi(
        programs, outcomes, "43-6013", "Medical Secretaries", "31-9092", "Medical Assistants",
        prior_hourly_wage=18.0, prior_wage_source="OEWS median", target_hourly_wage=20.0,
        target_wage_source="OEWS median of the target",
    )  # fmt: skip
    got = {r["provider"]: r for r in roi.to_dicts()}
    mine = got[PROVIDER]
    assert mine["placement_rate_source"] == "placements feed"
    assert mine["cost_per_placement"] == pytest.approx(4200 / (0.62 * 0.75))  # 9,032
    assert mine["annual_wage_gain_per_placed"] == pytest.approx((21.58 - 18.0) * 2080)  # 7,446
    assert mine["annual_wage_gain_per_participant"] == pytest.approx(3.58 * 2080 * 0.62 * 0.75)
    assert mine["payback_months"] == pytest.approx(4200 / (0.62 * 0.75) / (3.58 * 2080 / 12))
    other = got["Merrimack"]
    # No outcomes: the program's reported rate, cost per completer, the target's median wage.
    assert other["placement_rate_source"] == "reported by the program"
    assert other["cost_per_placement"] == pytest.approx(6000.0)
    assert other["hire_wage_source"] == "OEWS median of the target"
    assert other["annual_wage_gain_per_placed"] == pytest.approx(2.0 * 2080)


def test_breakdown_as_text_says_fewer_than_10() -> None:
    rows = [person(i, JUNE, 20.0, employer="Harbor Health") for i in range(12)]
    rows += [person(20 + i, JUNE, 22.0, employer="Kendall Biologics") for i in range(5)]
    table = oc.compute_placement_breakdown(frame(rows), date(2026, 6, 15), "employer")
    assert oc.publish_breakdown(table).rows() == [
        ("Harbor Health", "12", "71%", "$20.00"),
        (oc.OTHER_EMPLOYERS, "fewer than 10", "fewer than 10", "fewer than 10"),
    ]
