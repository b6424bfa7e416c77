"""Public job boards go through the same ingest path as members' feeds."""

import json
from pathlib import Path

import polars as pl
import pytest
import responses

import cli
import workflows
from connectors import warehouse
from settings import SOURCES_DIR

USAJOBS = SOURCES_DIR / "postings" / "usajobs_healthcare_lifesci_announcements_2025-06_2025-09.csv"
ATS = Path(__file__).resolve().parents[1] / "fixtures" / "ats"


@pytest.fixture(autouse=True)
def _warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAPBOARD_WAREHOUSE_URL", f"sqlite:///{tmp_path / 'warehouse.sqlite'}")


def test_usajobs_announcements_are_stored_coded_and_updated_on_reingest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["ingest-board", "usajobs", str(USAJOBS), "--member", "VA"]
    assert cli.main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["rows_read"] == 4753
    assert first["accepted"] + first["rejected"] == 4753
    assert cli.main(args) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["updated"] == second["accepted"] == first["accepted"]
    rows = warehouse.read_vacancies(workflows.open_warehouse(), member="VA")
    assert rows.height == first["accepted"]
    nurses = rows.filter(pl.col("title") == "Registered Nurse")
    assert nurses.height > 0 and set(nurses["soc_code"]) == {"29-1141"}
    assert rows["soc_code"].is_not_null().mean() > 0.95


@responses.activate
def test_greenhouse_board_is_pulled_into_the_warehouse(
    capsys: pytest.CaptureFixture[str],
) -> None:
    payload = json.loads((ATS / "greenhouse_jobs_content_true.json").read_text())
    responses.add(
        responses.GET,
        "https://boards-api.greenhouse.io/v1/boards/examplebio/jobs",
        json=payload,
    )
    assert cli.main(["ingest-board", "greenhouse", "examplebio", "--member", "Example Bio"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["rows_read"] == len(payload["jobs"])
    assert summary["accepted"] >= 1


def test_unknown_board_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["ingest-board", "monster", "x", "--member", "m"])
    assert exit_info.value.code == 2
