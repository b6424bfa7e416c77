"""A person's CSV of monthly series: accepted layouts, and files refused with a line that says why."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from analytics.schemas import SeriesSchema
from connectors.errors import FeedError
from connectors.series_files import read_series_csv

FIXTURE = Path(__file__).parents[1] / "fixtures" / "forecast" / "monthly_series.csv"


def write(tmp_path: Path, text: str, name: str = "series.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_the_fixture() -> None:
    frame = read_series_csv(FIXTURE)
    assert frame.columns == list(SeriesSchema.columns)
    assert frame["series_id"].unique(maintain_order=True).to_list() == [
        "CEU6562000101", "JTSJOL", "SMS25000000000000001",
    ]  # fmt: skip
    health = frame.filter(pl.col("series_id") == "CEU6562000101")
    assert health.height == 60
    assert health.row(-1) == ("CEU6562000101", "CEU6562000101", date(2019, 9, 1), 16476.9)


def test_accepts_header_synonyms_dates_and_thousands(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Series ID,Month,Value,Title\n"
        'a,2024-01,"1,250",Nurses\n'
        "a,2024/02,1300,Nurses\n"
        "a,2024M03,1310,Nurses\n"
        "b,03/15/2024,7,\n"
        "b,2024-04-30,8,\n",
    )
    frame = read_series_csv(path)
    assert frame["ds"].to_list() == [
        date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1), date(2024, 3, 1), date(2024, 4, 1),
    ]  # fmt: skip
    assert frame["y"].to_list() == [1250.0, 1300.0, 1310.0, 7.0, 8.0]
    assert frame["title"].to_list() == ["Nurses"] * 3 + ["b", "b"]


def test_bad_rows_are_named_not_dropped(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "series_id,period,value\na,2024-13,1\na,2024-02,n/a\n,2024-03,4\na,2024-04,\na,2024-05,2\n",
    )
    with pytest.raises(FeedError) as error:
        read_series_csv(path)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith("series.csv: 4 row(s) cannot be read")
    assert "line 2: period '2024-13' is not a month" in message
    assert "line 3: value 'n/a' is not a number" in message
    assert "line 4: series_id is empty" in message
    assert "(and 1 more)" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("series_id,period\na,2024-01\n", "missing column(s) value"),
        (
            "series_id,period,value\na,2024-01,1\na,2024-01-20,2\n",
            "more than one value for 2024-01 (lines 2, 3)",
        ),
        (
            "series_id,period,value\na,2024-01,1\na,2024-04,2\n",
            "2 missing month(s), the first after 2024-01",
        ),
        ("series_id,period,value\n", "no data rows"),
        ("", "the file is empty"),
    ],
)
def test_refused_files(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(FeedError, match=None) as error:
        read_series_csv(write(tmp_path, text))
    assert expected in str(error.value)
    assert "\n" not in str(error.value)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(FeedError, match="file not found"):
        read_series_csv(tmp_path / "nope.csv")
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(FeedError, match="image.csv"):
        read_series_csv(binary)
