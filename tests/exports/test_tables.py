"""Safe CSV/XLSX: text a spreadsheet would run as a formula is neutralized; the source is in the file."""

import csv
import io
from datetime import date

import openpyxl
import polars as pl
import pytest

from exports.tables import neutralize, neutralize_frame, to_csv_bytes, to_xlsx_bytes

ATTACK = '=HYPERLINK("http://x","y")'
SOURCE = "Source: U.S. Bureau of Labor Statistics, OEWS, May 2025 (May 2025 estimates)."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (ATTACK, "'" + ATTACK),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Registered Nurses", "Registered Nurses"),
        ("a=b", "a=b"),
        ("", ""),
        (-5, -5),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_neutralize(value: object, expected: object) -> None:
    assert neutralize(value) == expected


def _frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "title": [ATTACK, "Medical Assistants", None],
            "soc_code": ["=1+1", "31-9092", "29-1141"],
            "annual_openings": [12.0, 1493.0, None],
            "employment": [100, 10750, 64240],
            "posted": [date(2025, 6, 2), None, date(2025, 9, 30)],
            "kind": pl.Series(["@x", "b", "c"], dtype=pl.Categorical),
        }
    )


def test_neutralize_frame_touches_text_only() -> None:
    out = neutralize_frame(_frame())
    assert out["title"].to_list() == ["'" + ATTACK, "Medical Assistants", None]
    assert out["soc_code"].to_list() == ["'=1+1", "31-9092", "29-1141"]
    assert out["kind"].to_list() == ["'@x", "b", "c"]
    assert out["annual_openings"].to_list() == [12.0, 1493.0, None]
    assert out["employment"].dtype == pl.Int64


def test_csv_is_plain_text_with_the_source_as_last_row() -> None:
    data = to_csv_bytes(_frame(), SOURCE)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["title", "soc_code", "annual_openings", "employment", "posted", "kind"]
    assert rows[1][0] == "'" + ATTACK
    assert rows[1][1] == "'=1+1"
    assert rows[2][:4] == ["Medical Assistants", "31-9092", "1493.0", "10750"]
    assert rows[-1] == [SOURCE, "", "", "", "", ""]
    assert len(rows) == 5
    # No cell anywhere starts with a formula character.
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_xlsx_cells_are_strings_and_sources_sheet_names_the_source() -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(_frame(), SOURCE, "Demand")))
    assert book.sheetnames == ["Demand", "Sources"]
    sheet = book["Demand"]
    assert [c.value for c in sheet[1]] == [
        "title", "soc_code", "annual_openings", "employment", "posted", "kind",
    ]  # fmt: skip
    cell = sheet["A2"]
    assert cell.data_type == "s" and cell.value == "'" + ATTACK
    assert sheet["B2"].data_type == "s" and sheet["B2"].value == "'=1+1"
    assert sheet["C3"].value == 1493 and sheet["D4"].value == 64240
    assert sheet["E2"].value.date() == date(2025, 6, 2)
    assert sheet["A4"].value is None and sheet["C4"].value is None
    for row in sheet.iter_rows():
        for c in row:
            assert c.data_type != "f", c.coordinate
    assert SOURCE[:60] in (sheet.oddFooter.left.text or "")
    sources = book["Sources"]
    assert sources["A1"].value == "Source" and sources["B1"].value == SOURCE
    assert sources["B2"].value == date.today().isoformat()


def test_xlsx_of_an_empty_frame_still_carries_the_source() -> None:
    empty = pl.DataFrame(schema={"title": pl.String, "annual_openings": pl.Float64})
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(empty, SOURCE)))
    assert [c.value for c in book["Data"][1]] == ["title", "annual_openings"]
    assert book["Sources"]["B1"].value == SOURCE
    rows = list(csv.reader(io.StringIO(to_csv_bytes(empty, SOURCE).decode("utf-8-sig"))))
    assert rows == [["title", "annual_openings"], [SOURCE, ""]]
