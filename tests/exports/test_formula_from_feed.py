"""A formula-looking title sent in a member feed is plain text in every export that can carry it."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest

import workflows
from exports import tables

FEED = Path(__file__).resolve().parents[1] / "fixtures" / "feeds" / "vacancies_rules_broken.csv"


def test_hyperlink_title_from_a_feed_is_never_a_formula(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GAPBOARD_WAREHOUSE_URL", f"sqlite:///{tmp_path / 'warehouse.sqlite'}")
    summary = workflows.ingest_feed("vacancies", FEED, member="Test Health")
    rejected, _ = workflows.ingest_outcome(summary.ingest_id, workflows.LOCAL_CONVENER)
    formula_rows = rejected.filter(rejected["original"].str.contains("=HYPERLINK", literal=True))
    assert formula_rows.height == 1  # set aside with its reason, nothing lost
    # Stored rows never hold it either.
    from connectors import warehouse

    titles = warehouse.read_vacancies(workflows.open_warehouse())["title"].to_list()
    assert not any(t.startswith("=") for t in titles)

    cells = [
        row
        for row in csv.reader(
            io.StringIO(tables.to_csv_bytes(rejected, "Source: test.").decode("utf-8-sig"))
        )
    ]
    originals = [r[2] for r in cells[1:] if len(r) > 2 and "HYPERLINK" in r[2]]
    assert originals and all(not c.startswith(("=", "+", "-", "@")) for c in originals)

    book = openpyxl.load_workbook(io.BytesIO(tables.to_xlsx_bytes(rejected, "Source: test.")))
    values = [c.value for row in book.worksheets[0].iter_rows() for c in row if c.value]
    hyperlink = [v for v in values if isinstance(v, str) and "HYPERLINK" in v]
    assert hyperlink and all(not v.startswith("=") for v in hyperlink)
    assert all(c.data_type != "f" for row in book.worksheets[0].iter_rows() for c in row)
