"""Properties of the feed readers and the row rules, on inputs Hypothesis makes up.

- connectors.feeds.read_feed on arbitrary bytes, under any name a member might give, returns an
  all-text frame or raises FeedError (the documented user error) — never anything else;
- arbitrary CSV text with the required columns is read and validated so that every non-blank
  input row is either accepted or set aside with a reason: accepted + rejected == input rows;
- dates and numbers written the ways members write them read back as the value written, and a
  day that does not exist is set aside, never shifted into the next month.
"""

from __future__ import annotations

import calendar
import csv
import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from analytics import intake
from connectors import feeds, snapshots
from connectors.errors import FeedError
from settings import REFERENCE_DIR

SUFFIXES = [".csv", ".txt", ".tsv", ".json", ".xlsx", ".xlsm", ".xls", "", ".dat"]
COUNTIES = snapshots.read_dataset(REFERENCE_DIR, "counties")
PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(data: bytes, suffix: str) -> pl.DataFrame:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"feed{suffix}"
        path.write_bytes(data)
        return feeds.read_feed(path, "vacancies", require_columns=False, max_bytes=1 << 20)


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


# Bytes that look like the start of a real format, then anything.
PREFIXES = st.sampled_from(
    [b"", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"[", b"{", b'{"a": [',
     b"\xd0\xcf\x11\xe0", b"Req ID,Job Title,Date Posted\r\n", b"\x00\x00"]
)  # fmt: skip


@PROPERTY
@given(prefix=PREFIXES, body=st.binary(max_size=2000), suffix=st.sampled_from(SUFFIXES))
@example(prefix=b"", body=b"", suffix=".csv")
@example(prefix=b"\xff\xfe", body=b"\x00", suffix=".csv")  # half a UTF-16 character
@example(prefix=b'{"a": [', body=b"1, 2]}", suffix=".json")  # an array of numbers
def test_arbitrary_bytes_read_as_text_or_a_feed_error(
    prefix: bytes, body: bytes, suffix: str
) -> None:
    try:
        frame = _read(prefix + body, suffix)
    except FeedError as exc:
        assert str(exc).strip() and "\n" not in str(exc).strip()
        return
    assert all(dtype == pl.String for dtype in frame.schema.values())


@PROPERTY
@given(
    sheet=st.binary(max_size=600),
    extra=st.dictionaries(st.sampled_from(["xl/workbook.xml", "xl/styles.xml", "docProps/app.xml"]), st.binary(max_size=200), max_size=2),
    suffix=st.sampled_from([".xlsx", ".csv", ""]),
)  # fmt: skip
def test_arbitrary_zip_archives_read_or_a_feed_error(
    sheet: bytes, extra: dict[str, bytes], suffix: str
) -> None:
    data = _zip({"xl/worksheets/sheet1.xml": sheet, **extra})
    try:
        _read(data, suffix)
    except FeedError:
        pass


# --- arbitrary CSV text: every row is kept or set aside -----------------------------------------

CELL = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)
DATES = st.one_of(
    st.dates(date(1990, 1, 1), date(2035, 12, 31)).map(date.isoformat),
    st.dates(date(1990, 1, 1), date(2035, 12, 31)).map(lambda d: f"{d.month}/{d.day}/{d.year}"),
    CELL,
)
COUNTY = st.one_of(st.sampled_from(["25025", "17031", "26163", "99999", ""]), CELL)
ROW = st.tuples(CELL, CELL, DATES, COUNTY, st.one_of(st.integers(-3, 20).map(str), CELL))
HEADER = ["Req ID", "Job Title", "Date Posted", "County FIPS", "Openings"]


@PROPERTY
@given(rows=st.lists(ROW, min_size=1, max_size=25), delimiter=st.sampled_from([",", ";", "\t"]))
def test_every_csv_row_is_accepted_or_set_aside(
    rows: list[tuple[str, ...]], delimiter: str
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(HEADER)
    writer.writerows(rows)
    try:
        raw = _read(out.getvalue().encode("utf-8"), ".csv")
    except FeedError as exc:
        # Only refusals the design names: no rows or a file unreadable as CSV.
        assert "empty" in str(exc) or "not a readable CSV" in str(exc), exc
        return
    assert raw.columns == HEADER
    assert raw.height == len(rows)  # quoted delimiters, quotes and line breaks stay in their cell
    mapping = feeds.check_columns(raw, "vacancies")
    result = intake.validate_vacancies(raw, mapping, COUNTIES)
    blank = sum(all(not cell.strip() for cell in row) for row in rows)
    assert result.accepted.height + result.rejected.height == len(rows) - blank
    assert result.rejected["reason"].null_count() == 0
    assert (result.rejected["reason"].str.len_chars() > 0).all()
    kept = set(result.accepted["row_number"]) | set(result.rejected["row_number"])
    assert len(kept) == len(rows) - blank  # each row once, on one side only


# --- dates and numbers read back as written --------------------------------------------------


def _vacancies(**columns: list[str]) -> intake.IntakeResult:
    n = len(next(iter(columns.values())))
    raw = pl.DataFrame(
        {
            "Req ID": [f"R{i}" for i in range(n)],
            "Job Title": ["Medical Assistant"] * n,
            "Date Posted": columns.get("posted", ["2025-01-02"] * n),
            "Pay Min": columns.get("wage", [""] * n),
        },
        schema={c: pl.String for c in ("Req ID", "Job Title", "Date Posted", "Pay Min")},
    )
    return intake.validate_vacancies(raw, feeds.check_columns(raw, "vacancies"), COUNTIES)


DATE_FORMATS = [
    lambda d: d.isoformat(),
    lambda d: f"{d.month}/{d.day}/{d.year}",
    lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
    lambda d: f"{d.isoformat()}T08:30:00Z",
    lambda d: f"{d.isoformat()} 17:05",
    lambda d: f"{d.month}/{d.day}/{d.year} 9:15 AM",
    lambda d: f"{d.month}/{d.day}/{d.year % 100:02d}" if d.year >= 2000 else d.isoformat(),
]


@PROPERTY
@given(days=st.lists(st.dates(date(1950, 1, 1), date(2099, 12, 31)), min_size=1, max_size=20),
       style=st.integers(0, len(DATE_FORMATS) - 1))  # fmt: skip
def test_dates_round_trip(days: list[date], style: int) -> None:
    result = _vacancies(posted=[DATE_FORMATS[style](d) for d in days])
    assert result.rejected.height == 0, result.reasons
    assert result.accepted.sort("row_number")["posted_date"].to_list() == days


@PROPERTY
@given(year=st.integers(1950, 2099), month=st.integers(1, 12), day=st.integers(1, 31),
       us=st.booleans())  # fmt: skip
def test_a_day_that_does_not_exist_is_set_aside(year: int, month: int, day: int, us: bool) -> None:
    text = f"{month}/{day}/{year}" if us else f"{year}-{month:02d}-{day:02d}"
    result = _vacancies(posted=[text])
    if day <= calendar.monthrange(year, month)[1]:
        assert result.accepted["posted_date"].to_list() == [date(year, month, day)]
    else:
        assert result.accepted.height == 0
        assert result.reasons == {"posted_date is not a real date": 1}


def _us(cents: int) -> str:
    return f"{cents // 100:,}.{cents % 100:02d}"


def _comma_decimal(cents: int) -> str:
    return f"{cents // 100:,}".replace(",", ".") + f",{cents % 100:02d}"


NUMBER_FORMATS = [
    lambda c: f"{c / 100:.2f}",
    _us,
    lambda c: f"${_us(c)}",
    lambda c: f"{_us(c)} USD",
    lambda c: f"$ {c / 100:.2f}",
    _comma_decimal,
]


@PROPERTY
@given(cents=st.lists(st.integers(0, 10**9), min_size=1, max_size=20),
       style=st.integers(0, len(NUMBER_FORMATS) - 1))  # fmt: skip
def test_amounts_round_trip(cents: list[int], style: int) -> None:
    result = _vacancies(wage=[NUMBER_FORMATS[style](c) for c in cents])
    assert result.rejected.height == 0, result.reasons
    got = result.accepted.sort("row_number")["wage_min"].to_list()
    assert got == pytest.approx([c / 100 for c in cents], rel=0, abs=1e-6)


@PROPERTY
@given(cents=st.integers(1, 10**9), style=st.integers(0, len(NUMBER_FORMATS) - 1))
def test_a_negative_amount_is_set_aside_never_read_as_positive(cents: int, style: int) -> None:
    text = "-" + NUMBER_FORMATS[style](cents).lstrip("$ ")
    assume(not text.endswith("USD"))
    result = _vacancies(wage=[text])
    assert result.accepted.height == 0
    assert result.reasons == {"wage_min is negative": 1}
