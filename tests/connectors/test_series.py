"""Monthly CES and JOLTS series: first-of-month dates, values in published thousands."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from connectors import series
from connectors.errors import SourceError
from settings import SOURCES_DIR

SERIES = SOURCES_DIR / "series"
CES_FRED = SERIES / "ces_national_healthcare_monthly_nsa_1939-2019_fred.csv"
CES_STATE = SERIES / "ces_state_total_nonfarm_prof_sci_tech_ma_il_mi_us_2015-2024_sa.csv"
JOLTS = SERIES / "jolts_total_nonfarm_job_openings_JTSJOL_fred.csv"


def _y(frame: pl.DataFrame, series_id: str, ds: date) -> float:
    return frame.filter((pl.col("series_id") == series_id) & (pl.col("ds") == ds))["y"].item()


def test_ces_fred_series() -> None:
    frame = series.parse_ces_fred(CES_FRED)
    assert frame.height == 3783
    lengths = dict(frame.group_by("series_id").len().iter_rows())
    assert lengths["CEU0500000001"] == 969 and lengths["CEU6562000101"] == 357
    assert _y(frame, "CEU6562200001", date(2019, 9, 1)) == 5268.1  # hospitals, thousands
    titles = frame.filter(pl.col("series_id") == "CEU6562200001")["title"].unique().to_list()
    assert titles == [
        "All Employees: Education and Health Services: Hospitals (thousands, not seasonally adjusted)"
    ]
    assert frame["ds"].dt.day().eq(1).all() and frame["ds"].max() == date(2019, 9, 1)


def test_ces_state_series_skip_annual_averages(tmp_path: Path) -> None:
    frame = series.parse_ces_state(CES_STATE)
    assert frame.height == 960 and frame["series_id"].n_unique() == 8
    assert _y(frame, "SMS25000000000000001", date(2024, 1, 1)) == 3725.0
    assert _y(frame, "SMS25000000000000001", date(2024, 12, 1)) == 3722.2
    title = frame.filter(pl.col("series_id") == "CES0000000001")["title"][0]
    assert title == "United States: Total Nonfarm, all employees (thousands, seasonally adjusted)"

    lines = CES_STATE.read_text(encoding="utf-8").splitlines()[:2]
    lines.append(lines[1].replace(",M01,January,", ",M13,Annual,"))
    path = tmp_path / "ces.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert series.parse_ces_state(path).height == 1


def test_jolts_first_of_month() -> None:
    frame = series.parse_jolts(JOLTS)
    assert frame.height == 247
    assert (frame["ds"].min(), frame["ds"].max()) == (date(2001, 1, 1), date(2021, 7, 1))
    assert _y(frame, "JTSJOL", date(2020, 4, 1)) == 4630.0
    assert "thousands" in frame["title"][0]


def test_jolts_spreadsheet_dates_and_fred_gaps(tmp_path: Path) -> None:
    path = tmp_path / "JTSJOL.csv"
    path.write_text("DATE,JTSJOL\n1/1/01,5234.00\n2/1/01,.\n3/1/01,4997.00\n", encoding="utf-8")
    frame = series.parse_jolts(path)
    assert frame["ds"].to_list() == [date(2001, 1, 1), date(2001, 3, 1)]


def test_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="jolts.csv: file not found"):
        series.parse_jolts(tmp_path / "jolts.csv")
    path = tmp_path / "ces.csv"
    path.write_text("series_id,title,value\nCEU1,x,1\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"ces.csv: missing column\(s\) 'observation_date'"):
        series.parse_ces_fred(path)
    path.write_text(
        "series_id,title,observation_date,value\nCEU1,x,2019-13-01,1\n", encoding="utf-8"
    )
    with pytest.raises(SourceError, match="observation_date value.*'2019-13-01'"):
        series.parse_ces_fred(path)
    path.write_text(
        "series_id,title,observation_date,value\nCEU1,x,2019-01-01,1\nCEU1,x,2019-01-01,2\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match="CEU1 has more than one value for 2019-01-01"):
        series.parse_ces_fred(path)
