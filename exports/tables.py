"""Tables as CSV and XLSX downloads that spreadsheets open as plain data, with their source inside.

Any string cell that begins with ``=``, ``+``, ``-``, ``@``, tab or carriage return is prefixed with an
apostrophe (``neutralize``), so a spreadsheet never evaluates text from a member feed or a publisher
file as a formula (``=HYPERLINK(...)``, ``=cmd|...``). The same function guards the workbook that
python-pptx embeds behind every native chart.

Where the source goes:

* CSV: the last row. Its first cell reads ``Source: ...`` and the other cells are empty, so the
  file stays rectangular: Excel, Numbers and LibreOffice show it under the table, and the header
  stays on the first line where every reader looks for it. Drop the row before analysis (it is the
  only row whose first cell starts with ``Source:``). The file starts with a UTF-8 byte-order mark,
  which Excel needs to show en dashes and accents correctly.
* XLSX: a second sheet, ``Sources``, holds the source line and the export date; the data sheet
  also carries the source in its printed page footer.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

import polars as pl
import xlsxwriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TEXT_TYPES = (pl.String, pl.Categorical, pl.Enum)
# Excel's header/footer text is limited to 255 characters, codes included.
_FOOTER_LIMIT = 240


def neutralize(value: Any) -> Any:
    """Return the value, with an apostrophe in front if it is a string a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralize_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Return the frame with every text cell neutralized (categorical columns come back as text)."""
    exprs = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, _TEXT_TYPES):
            col = pl.col(name).cast(pl.String)
            risky = col.str.contains(r"^[=+\-@\t\r]")
            exprs.append(pl.when(risky).then(pl.lit("'") + col).otherwise(col).alias(name))
    return frame.with_columns(exprs) if exprs else frame


def to_csv_bytes(frame: pl.DataFrame, source_line: str) -> bytes:
    """Return the frame as UTF-8 CSV (with BOM), text cells neutralized, the source as the last row."""
    flat = _flatten(neutralize_frame(frame))
    body = flat.write_csv(include_bom=True)
    tail = io.StringIO()
    writer = csv.writer(tail, lineterminator="\n")
    writer.writerow([neutralize(source_line)] + [""] * (max(flat.width, 1) - 1))
    return (body + tail.getvalue()).encode("utf-8")


def to_xlsx_bytes(frame: pl.DataFrame, source_line: str, sheet_name: str = "Data") -> bytes:
    """Return the frame as an XLSX workbook: a data sheet (text neutralized) and a "Sources" sheet."""
    buffer = io.BytesIO()
    # strings_to_formulas=False is a second lock: even an un-neutralized "=..." stays text.
    workbook = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    header = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
    formats = {
        "int": workbook.add_format({"num_format": "#,##0"}),
        "float": workbook.add_format({"num_format": "#,##0.0##"}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
    }
    sheet = workbook.add_worksheet(_sheet_title(sheet_name))
    data = neutralize_frame(frame)
    for col, name in enumerate(data.columns):
        sheet.write_string(0, col, str(neutralize(name)), header)
        kind = _kind(data.schema[name])
        values = data[name].to_list()
        for row, value in enumerate(values, start=1):
            _write_cell(sheet, row, col, value, kind, formats)
        width = max([len(str(name))] + [len(str(v)) for v in values[:200] if v is not None])
        sheet.set_column(col, col, min(max(width + 2, 8), 60))
    sheet.freeze_panes(1, 0)
    footer = source_line.replace("&", "&&")
    if len(footer) > _FOOTER_LIMIT:
        footer = footer[: _FOOTER_LIMIT - 1] + "…"
    sheet.set_footer(f"&L{footer}")

    sources = workbook.add_worksheet("Sources")
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    sources.set_column(0, 0, 14)
    sources.set_column(1, 1, 110)
    sources.write_string(0, 0, "Source", bold)
    sources.write_string(0, 1, str(neutralize(source_line)), wrap)
    sources.write_string(1, 0, "Exported", bold)
    sources.write_string(1, 1, date.today().isoformat())
    sources.write_string(2, 0, "Note", bold)
    sources.write_string(
        2,
        1,
        "Text cells that began with =, +, -, @, tab or carriage return start with an apostrophe "
        "so that they are never run as formulas.",
        wrap,
    )
    workbook.close()
    return buffer.getvalue()


def _flatten(frame: pl.DataFrame) -> pl.DataFrame:
    """Nested columns (lists, structs) have no CSV form: write them as their text."""
    nested = [n for n, t in frame.schema.items() if t.is_nested()]
    if not nested:
        return frame
    return frame.with_columns(
        pl.col(n).map_elements(str, return_dtype=pl.String).alias(n) for n in nested
    ).pipe(neutralize_frame)


def _kind(dtype: pl.DataType) -> str:
    if dtype.is_integer():
        return "int"
    if dtype.is_float() or dtype.is_decimal():
        return "float"
    if dtype == pl.Date:
        return "date"
    if dtype == pl.Datetime:
        return "datetime"
    if dtype == pl.Boolean:
        return "bool"
    return "text"


def _write_cell(
    sheet: Any, row: int, col: int, value: Any, kind: str, formats: dict[str, Any]
) -> None:
    if value is None:
        return
    if kind in ("int", "float"):
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            return  # NaN and infinities have no spreadsheet form: leave the cell empty
        sheet.write_number(row, col, number, formats[kind])
    elif kind == "date" and isinstance(value, date):
        sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), formats[kind])
    elif kind == "datetime" and isinstance(value, datetime):
        sheet.write_datetime(row, col, value.replace(tzinfo=None), formats[kind])
    elif kind == "bool":
        sheet.write_boolean(row, col, bool(value))
    else:
        sheet.write_string(row, col, str(neutralize(str(value))))


def _sheet_title(name: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\ ."""
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in name).strip("'") or "Data"
    return cleaned[:31]
