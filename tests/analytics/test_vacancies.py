"""The vacancy signal (hand-made member postings) and the Indeed trend (the real files)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

from analytics import vacancies
from analytics.disclosure import EVERY_MEMBER, SHOWN, SUPPRESSED, recoverable_cells
from analytics.schemas import VacancySchema, VacancySignalSchema
from connectors import snapshots
from settings import REFERENCE_DIR

ROOT = Path(__file__).resolve().parents[2]
POSTINGS = ROOT / "data" / "sources" / "postings"
MA, CNA, ALL = "31-9092", "31-1131", vacancies.ALL_OCCUPATIONS
JAN, FEB = date(2025, 1, 1), date(2025, 2, 1)


def _posting(
    member: str,
    posting_id: str,
    posted: date,
    closed: date | None = None,
    status: str | None = "open",
    openings: int = 1,
    wage: float | None = None,
    unit: str | None = None,
    soc: str | None = MA,
    county: str = "26163",
) -> dict[str, object]:
    return {
        "member": member, "posting_id": posting_id, "title": "t", "soc_code": soc,
        "soc_confidence": 1.0, "soc_needs_review": False, "soc_method": "given",
        "county_fips": county, "posted_date": posted, "closed_date": closed, "status": status,
        "openings": openings, "wage_min": wage, "wage_max": wage, "wage_unit": unit,
        "education_required": None, "employment_type": None, "source_file": "f.csv",
        "ingest_id": 1, "ingested_at": datetime(2025, 3, 1),
    }  # fmt: skip


BASE = [
    _posting("M1", "P1", date(2025, 1, 2), date(2025, 1, 22), "filled", 1, 18.0, "hour"),
    _posting("M2", "P2", date(2025, 1, 3), date(2025, 2, 12), "filled", 2, 20.0, "hour"),
    _posting("M3", "P3", date(2025, 1, 4), None, "open", 1, 40000.0, "year"),
    _posting("M4", "P4", date(2025, 1, 5), date(2025, 1, 15), "cancelled", 1, 45000.0, "year"),
    _posting("M5", "P5", date(2025, 1, 6), date(2025, 2, 5), "filled", 1, 21.0, None),
    _posting("M1", "P6", date(2025, 2, 1)),
    _posting("M2", "P7", date(2025, 2, 2)),
    _posting("M3", "P8", date(2025, 2, 3)),
    # left out: a county outside the region, and a posting with no occupation
    _posting("M6", "P9", date(2025, 1, 7), county="25025"),
    _posting("M6", "P10", date(2025, 1, 8), soc=None),
]
# Two employers only: the CNA cell must be hidden, and partners with it.
CNA_POSTS = [
    _posting("M1", "C1", date(2025, 1, 10), date(2025, 1, 20), "filled", soc=CNA),
    _posting("M2", "C2", date(2025, 1, 11), date(2025, 1, 21), "filled", soc=CNA),
]


def _signal(rows: list[dict[str, object]], viewer: str | None = None) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema=VacancySchema.columns)
    titles = pl.DataFrame(
        {"soc_code": [MA, CNA], "title": ["Medical Assistants", "Nursing Assistants"]}
    )
    return VacancySignalSchema.validate(
        vacancies.compute_vacancy_signal(frame, "test", ["26163"], viewer=viewer, titles=titles)
    )


def _cell(signal: pl.DataFrame, soc: str, month: date | None) -> dict[str, object]:
    wanted = pl.col("month").is_null() if month is None else pl.col("month") == month
    rows = signal.filter(pl.col("soc_code") == soc, wanted)
    assert rows.height == 1
    return rows.row(0, named=True)


def test_measures_by_hand() -> None:
    signal = _signal(BASE)
    jan = _cell(signal, MA, JAN)
    # Posted in January: P1-P5 (openings 1+2+1+1+1). Open at 31 Jan: P2 (closed 12 Feb), P3
    # (open), P5 (closed 5 Feb). Wages a year: 18x2080, 20x2080, 40,000, 45,000, 21x2080 (no
    # unit, under $1,000, so hourly): median 41,600. Filled in January: P1 only (one employer).
    assert (jan["new_postings"], jan["openings"], jan["open_at_month_end"]) == (5, 6, 3)
    assert jan["median_offered_annual_wage"] == 41600.0
    assert (jan["status"], jan["wage_status"], jan["days_to_fill_status"]) == (
        SHOWN,
        SHOWN,
        SUPPRESSED,
    )
    assert jan["median_days_to_fill"] is None
    assert jan["title"] == "Medical Assistants"
    feb = _cell(signal, MA, FEB)
    # Posted in February: P6-P8. Open at 28 Feb: P3, P6, P7, P8. Filled: P2 and P5 (2 employers).
    assert (feb["new_postings"], feb["openings"], feb["open_at_month_end"]) == (3, 3, 4)
    assert feb["median_days_to_fill"] is None and feb["median_offered_annual_wage"] is None
    window = _cell(signal, MA, None)
    # The window's filled postings: P1 20 days, P2 40, P5 30 (three employers): median 30.
    assert (window["new_postings"], window["openings"], window["months"]) == (8, 9, 2)
    assert window["open_at_month_end"] is None  # a stock does not add up over months
    assert window["median_days_to_fill"] == 30.0
    assert window["median_offered_annual_wage"] == 41600.0
    # One occupation: the all-occupation rows equal it; nothing from outside the region.
    assert _cell(signal, ALL, JAN)["new_postings"] == 5
    assert _cell(signal, ALL, None)["title"] == vacancies.ALL_OCCUPATIONS_TITLE
    assert signal["own_new_postings"].null_count() == signal.height  # no member viewing


def test_a_two_employer_cell_is_hidden_with_partners_and_nothing_is_recoverable() -> None:
    signal = _signal(BASE + CNA_POSTS)
    cna = _cell(signal, CNA, JAN)
    assert cna["status"] == SUPPRESSED
    assert cna["new_postings"] is None and cna["openings"] is None
    hidden = {
        (r["soc_code"], r["month"])
        for r in signal.filter(pl.col("status") == SUPPRESSED).iter_rows(named=True)
    }
    # CNA January and its window total (same two employers), with the cheapest rectangle partners:
    # the MA January and window cells (openings 6 + 9 < the all-occupation 8 + 11).
    assert hidden == {(CNA, JAN), (CNA, None), (MA, JAN), (MA, None)}
    assert recoverable_cells(hidden) == set()
    for row in signal.filter(pl.col("status") == SUPPRESSED).iter_rows(named=True):
        assert row["new_postings"] is None and row["openings"] is None
    # The all-occupation row stays shown: 5 + 2 new postings in January.
    assert _cell(signal, ALL, JAN)["new_postings"] == 7


def test_a_member_sees_its_own_numbers_and_the_rule_holds_without_it() -> None:
    signal = _signal(BASE + CNA_POSTS, viewer="M1")
    cna = _cell(signal, CNA, JAN)
    assert cna["status"] == SUPPRESSED
    assert (cna["own_new_postings"], cna["own_openings"]) == (1, 1)
    ma_feb = _cell(signal, MA, FEB)
    # Without M1, February's new postings come from M2 and M3 only: hidden for M1.
    assert ma_feb["status"] == SUPPRESSED
    assert ma_feb["own_new_postings"] == 1 and ma_feb["own_open_at_month_end"] == 1
    # M4 posted nothing in February: for M4 it is the outsiders' view of that cell.
    assert _cell(_signal(BASE, viewer="M4"), MA, FEB)["status"] == SHOWN
    shared = _signal(BASE, viewer=EVERY_MEMBER)
    assert _cell(shared, MA, FEB)["status"] == SUPPRESSED
    assert shared["own_new_postings"].null_count() == shared.height


def test_vacancy_openings_are_annualised_from_shown_window_rows() -> None:
    got = vacancies.compute_vacancy_openings(_signal(BASE))
    assert got.to_dicts() == [{"soc_code": MA, "vacancy_openings": pytest.approx(9 * 12 / 2)}]
    assert vacancies.compute_vacancy_openings(_signal(BASE + CNA_POSTS)).height == 0


def test_window_can_be_limited() -> None:
    frame = pl.DataFrame(BASE, schema=VacancySchema.columns)
    signal = vacancies.compute_vacancy_signal(frame, "t", ["26163"], start=FEB, end=FEB)
    assert set(signal["month"].drop_nulls().to_list()) == {FEB}
    assert _cell(signal, MA, None)["months"] == 1
    # P3 was posted in January but is still open at the end of February.
    assert _cell(signal, MA, FEB)["open_at_month_end"] == 4


def test_no_postings_in_the_region_gives_an_empty_signal() -> None:
    frame = pl.DataFrame(BASE, schema=VacancySchema.columns)
    assert vacancies.compute_vacancy_signal(frame, "t", ["17031"]).height == 0


# --- the market trend --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trend() -> pl.DataFrame:
    names = ("postings_sector", "postings_state", "postings_national")
    frames = [snapshots.read_dataset(REFERENCE_DIR, n) for n in names]
    return vacancies.compute_postings_trend(*frames, states=["mi"])


def test_trend_has_health_sectors_nationally_and_the_region_state(trend: pl.DataFrame) -> None:
    sectors = set(trend.filter(pl.col("geography") == "US")["series"].to_list())
    assert {
        "Nursing",
        "Medical Technician",
        "Personal Care & Home Health",
        "Pharmacy",
        "Therapy",
    } <= sectors
    assert "Software Development" not in sectors and "Retail" not in sectors
    assert set(trend["geography"].to_list()) == {"US", "mi"}
    assert trend.filter(pl.col("geography") == "mi")["series"].unique().to_list() == [
        "total postings"
    ]
    assert trend["month"].dt.day().unique().to_list() == [1]


def test_trend_monthly_means_match_the_indeed_csv(trend: pl.DataFrame) -> None:
    raw = pl.read_csv(
        POSTINGS / "indeed_job_postings_index_by_sector_US_2020-02-01_2024-09-27.csv",
        infer_schema=False,
    )
    june = raw.filter(
        pl.col("display_name") == "Nursing", pl.col("date").str.starts_with("2023-06")
    )
    expected = june["indeed_job_postings_index"].cast(pl.Float64).mean()
    got = trend.filter(pl.col("series") == "Nursing", pl.col("month") == date(2023, 6, 1)).row(
        0, named=True
    )
    assert got["index_value"] == pytest.approx(expected)
    assert got["days"] == 30
    state = pl.read_csv(
        POSTINGS / "indeed_job_postings_index_by_state_2020-02-01_2026-08-14.csv",
        infer_schema=False,
    )
    mi = state.filter(pl.col("state") == "mi", pl.col("date").str.starts_with("2025-03"))
    got_mi = trend.filter(pl.col("geography") == "mi", pl.col("month") == date(2025, 3, 1))
    assert got_mi["index_value"].item() == pytest.approx(
        mi["indeed_job_postings_index"].cast(pl.Float64).mean()
    )


def test_region_states() -> None:
    assert vacancies.compute_region_states(["26163", "26125"]) == ["mi"]
    assert vacancies.compute_region_states(["25025", "33015"]) == ["ma", "nh"]
