"""Indeed Hiring Lab postings indexes, values checked against the CSVs."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from connectors import postings
from connectors.errors import SourceError
from settings import SOURCES_DIR

POSTINGS = SOURCES_DIR / "postings"
SECTOR = POSTINGS / "indeed_job_postings_index_by_sector_US_2020-02-01_2024-09-27.csv"
STATE = POSTINGS / "indeed_job_postings_index_by_state_2020-02-01_2026-08-14.csv"
AGGREGATE = POSTINGS / "indeed_job_postings_index_aggregate_US_2020-02-01_2026-08-14.csv"
METRO = POSTINGS / "indeed_job_postings_index_by_metro_ma_il_mi_2020-02-01_2022-03-04.csv"


def _value(frame: pl.DataFrame, day: date, geography: str, series: str, adjustment: str) -> float:
    return frame.filter(
        (pl.col("date") == day)
        & (pl.col("geography") == geography)
        & (pl.col("series") == series)
        & (pl.col("adjustment") == adjustment)
    )["index_value"].item()


def test_sector_index() -> None:
    frame = postings.parse_indeed_sector(SECTOR)
    assert frame.height == 25515 and frame["series"].n_unique() == 15
    assert (frame["date"].min(), frame["date"].max()) == (date(2020, 2, 1), date(2024, 9, 27))
    assert _value(frame, date(2024, 9, 27), "US", "Nursing", "SA") == 123.53
    assert _value(frame, date(2020, 2, 1), "US", "Pharmacy", "SA") == 100.0


def test_state_index() -> None:
    frame = postings.parse_indeed_state(STATE)
    assert frame.height == 33418 and frame["geography"].n_unique() == 14
    assert _value(frame, date(2026, 8, 14), "ma", "total postings", "SA") == 85.22
    assert _value(frame, date(2026, 8, 14), "mi", "total postings", "SA") == 100.74


def test_aggregate_keeps_sa_and_nsa_as_rows() -> None:
    frame = postings.parse_indeed_aggregate(AGGREGATE)
    assert frame.height == 2 * 4774
    day = date(2026, 8, 14)
    assert _value(frame, day, "US", "total postings", "SA") == 101.79
    assert _value(frame, day, "US", "total postings", "NSA") == 105.86
    assert _value(frame, day, "US", "new postings", "NSA") == 104.99


def test_metro_percent_change_becomes_an_index() -> None:
    frame = postings.parse_indeed_metro(METRO)
    assert frame.height == 5341
    assert set(frame["geography"]) >= {"14460", "16980", "19820"}
    # The file says +50.82 % since 2020-02-01 for Boston on 2022-03-04.
    assert _value(frame, date(2022, 3, 4), "14460", "total postings", "SA") == pytest.approx(150.82)
    assert _value(frame, date(2020, 2, 1), "19820", "total postings", "SA") == 100.0


def test_attribution() -> None:
    assert "Indeed Hiring Lab" in postings.INDEED_ATTRIBUTION
    assert "CC BY 4.0" in postings.INDEED_ATTRIBUTION


def test_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="state.csv: file not found"):
        postings.parse_indeed_state(tmp_path / "state.csv")
    path = tmp_path / "aggregate.csv"
    path.write_text(
        "date,jobcountry,indeed_job_postings_index_SA,variable\n2020-02-01,US,100,total postings\n"
    )
    with pytest.raises(
        SourceError, match=r"aggregate.csv: missing column\(s\) 'indeed_job_postings_index_NSA'"
    ):
        postings.parse_indeed_aggregate(path)
    path = tmp_path / "state.csv"
    path.write_text("date,state,indeed_job_postings_index\n2020-02-31,ma,100\n")
    with pytest.raises(SourceError, match="state.csv: 1 row.*readable date.*'2020-02-31'"):
        postings.parse_indeed_state(path)
    path.write_text("date,state,indeed_job_postings_index\n2020-02-01,ma,100\n2020-02-01,MA,101\n")
    with pytest.raises(SourceError, match="ma total postings on 2020-02-01 appears more than once"):
        postings.parse_indeed_state(path)
