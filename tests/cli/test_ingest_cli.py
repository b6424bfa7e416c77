"""The command-line contract for member data: `gapboard ingest`, `code-titles` and `samples`.

Exit 0 with a JSON summary when rows were kept (quarantined rows counted); exit 2 with one line
on stderr and nothing stored when the file is refused; never a traceback. Each test runs on
SQLite and, under the postgres marker, on PostgreSQL (see tests/connectors/test_warehouse.py).
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

import cli
import settings
from connectors import warehouse
from tests.connectors.test_warehouse import warehouse_url  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "feeds"
MEMBER = "Harbor Health"


@pytest.fixture
def url(warehouse_url: str, monkeypatch: pytest.MonkeyPatch) -> str:  # noqa: F811
    monkeypatch.setenv("GAPBOARD_WAREHOUSE_URL", warehouse_url)
    return warehouse_url


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ingest(
    kind: str, name: str, capsys: pytest.CaptureFixture[str], member: str | None = MEMBER
) -> tuple[int, str, str]:
    args = ["ingest", kind, str(FIXTURES / name)] + (["--member", member] if member else [])
    return run(args, capsys)


def stored(url: str) -> dict[str, int]:
    engine = warehouse.open_warehouse(url)
    return {
        "vacancies": warehouse.read_vacancies(engine).height,
        "programs": warehouse.read_programs(engine).height,
        "placements": warehouse.read_placements(engine).height,
        "ingests": warehouse.read_ingests(engine).height,
        "rejects": warehouse.read_rejects(engine).height,
    }


def test_quarantined_rows_are_counted_and_the_rest_stored(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = ingest("vacancies", "vacancies_rules_broken.csv", capsys)
    assert code == 0, err
    summary = json.loads(out)
    assert (summary["accepted"], summary["rejected"], summary["updated"]) == (4, 17, 0)
    assert summary["rows_read"] == 22 and summary["member"] == MEMBER
    assert summary["reasons"]["posted_date is not a real date"] == 1
    assert summary["reasons"]["posting_id repeats an earlier row of this file"] == 1
    assert sum(summary["reasons"].values()) == 17
    assert summary["mapping"]["Req ID"] == "posting_id"
    assert "Traceback" not in err
    assert stored(url) == {
        "vacancies": 4,
        "programs": 0,
        "placements": 0,
        "ingests": 1,
        "rejects": 17,
    }
    engine = warehouse.open_warehouse(url)
    vacancies = warehouse.read_vacancies(engine)
    # Every row ends coded or flagged for review; a code the member gave is kept as given.
    assert vacancies.filter(pl.col("soc_code").is_null() & ~pl.col("soc_needs_review")).height == 0
    given = vacancies.filter(pl.col("posting_id") == "838796500").row(0, named=True)
    assert (given["soc_code"], given["soc_confidence"], given["soc_method"]) == (
        "19-3033",
        1.0,
        "given",
    )
    psychiatrist = vacancies.filter(pl.col("posting_id") == "838781900")["soc_code"].item()
    assert psychiatrist == "29-1223"  # "Chief Psychiatrist (...)" coded by title
    ingest_row = warehouse.read_ingests(engine).row(0, named=True)
    assert (
        ingest_row["file_name"] == "vacancies_rules_broken.csv" and len(ingest_row["sha256"]) == 64
    )


def test_reingesting_a_feed_leaves_the_same_rows(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ingest("vacancies", "vacancies_rules_broken.csv", capsys)[0] == 0
    engine = warehouse.open_warehouse(url)
    first = warehouse.read_vacancies(engine).drop("ingest_id", "ingested_at")
    code, out, _ = ingest("vacancies", "vacancies_rules_broken.csv", capsys)
    assert code == 0
    summary = json.loads(out)
    assert (summary["accepted"], summary["updated"]) == (4, 4)
    assert warehouse.read_vacancies(engine).drop("ingest_id", "ingested_at").equals(first)
    assert stored(url)["ingests"] == 2


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("vacancies_no_posted_date.csv", "missing required column(s) posted_date"),
        ("vacancies_ragged.csv", "not a readable CSV file"),
        ("vacancies_truncated.json", "not valid JSON"),
        ("vacancies_two_arrays.json", "exactly one array"),
        ("not_a_workbook.xlsx", "not an XLSX workbook"),
        ("workbook_named.csv", "zip archive"),
        ("does_not_exist.csv", "no such file"),
    ],
)
def test_a_refused_file_exits_2_with_one_line_and_stores_nothing(
    url: str, name: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = ingest("vacancies", name, capsys)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and name in lines[0]
    assert lines[0].startswith("gapboard ingest: ") and "Traceback" not in err
    assert set(stored(url).values()) == {0}


def test_a_zip_bomb_is_refused_and_nothing_stored(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.connectors.test_feeds import _bomb

    monkeypatch.setenv("GAPBOARD_MAX_UPLOAD_BYTES", str(16 << 20))
    path = _bomb(tmp_path, 32 << 20)
    code, out, err = run(["ingest", "vacancies", str(path), "--member", MEMBER], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "16 MB limit" in err
    assert set(stored(url).values()) == {0}


def test_vacancies_need_a_member(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = ingest("vacancies", "vacancies_utf8_bom.csv", capsys, member=None)
    assert code == 2 and "--member" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        ("vacancies_cp1252_semicolon.csv", 6),
        ("vacancies_utf16_tab.txt", 6),
        ("vacancies_title_rows.xlsx", 8),
        ("vacancies_object.json", 6),
    ],
)
def test_every_format_ingests(
    url: str, name: str, rows: int, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = ingest("vacancies", name, capsys)
    assert code == 0, err
    assert (json.loads(out)["accepted"], json.loads(out)["rejected"]) == (rows, 0)
    assert stored(url)["vacancies"] == rows


def test_programs_and_placements(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = ingest("programs", "programs_rules_broken.csv", capsys, member=None)
    assert code == 0, err
    summary = json.loads(out)
    assert (summary["accepted"], summary["rejected"]) == (10, 8)
    assert summary["reasons"]["cip_code is not a CIP 2020 code"] == 1
    programs = warehouse.read_programs(warehouse.open_warehouse(url))
    assistant = programs.filter(pl.col("cip_code") == "51.0801").row(0, named=True)
    assert assistant["soc_codes"] == "25-1071,31-9092" and assistant["county_fips"] == "25025"
    code, out, err = ingest("placements", "placements_rules_broken.csv", capsys, member=None)
    assert code == 0, err
    assert (json.loads(out)["accepted"], json.loads(out)["rejected"]) == (4, 7)
    assert stored(url)["placements"] == 4


def test_a_members_mapping_is_remembered_for_its_next_feed(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = warehouse.open_warehouse(url)
    warehouse.write_column_mapping(
        engine, MEMBER, "vacancies", {"Vac #": "posting_id", "When": "posted_date"}
    )
    path = tmp_path / "harbor_export.csv"
    path.write_text(
        "Vac #,Job Title,When\nH-17,Registered Nurse - ICU,2025-07-01\n", encoding="utf-8"
    )
    code, out, err = run(["ingest", "vacancies", str(path), "--member", MEMBER], capsys)
    assert code == 0, err
    assert json.loads(out)["mapping"] == {
        "Vac #": "posting_id",
        "Job Title": "title",
        "When": "posted_date",
    }
    # Another member with the same headers has no such mapping: the file lacks required columns.
    code, _, err = run(["ingest", "vacancies", str(path), "--member", "Lakeside Clinics"], capsys)
    assert code == 2 and "posting_id" in err


def test_a_remembered_mapping_wins_over_headers_that_also_fit(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The headers alone give a complete mapping (Job Title -> title); the member's remembered
    # one takes the title from another column, and the rows must be read that way.
    engine = warehouse.open_warehouse(url)
    warehouse.write_column_mapping(
        engine,
        MEMBER,
        "vacancies",
        {"Req ID": "posting_id", "Internal Title": "title", "Date Posted": "posted_date"},
    )
    path = tmp_path / "harbor_export.csv"
    path.write_text(
        "Req ID,Job Title,Internal Title,Date Posted\n"
        "H-17,Nurse,Registered Nurse - ICU,2025-07-01\n"
        "H-18,Tech,Sterile Processing Technician II,2025-07-02\n",
        encoding="utf-8",
    )
    code, out, err = run(["ingest", "vacancies", str(path), "--member", MEMBER], capsys)
    assert code == 0, err
    assert json.loads(out)["mapping"]["Internal Title"] == "title"
    stored_rows = warehouse.read_vacancies(engine, MEMBER).sort("posting_id")
    assert stored_rows["title"].to_list() == [
        "Registered Nurse - ICU",
        "Sterile Processing Technician II",
    ]
    assert stored_rows["soc_code"].to_list() == ["29-1141", "31-9093"]


def test_code_titles_from_standard_input(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    titles = b"Registered Nurse - ICU - Nights\nCNA PRN\nSterile Processing Tech II\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(titles)))
    code, out, err = run(["code-titles", "-", "--format", "json"], capsys)
    assert code == 0, err
    rows = {r["title"]: r for r in json.loads(out)}
    assert rows["Registered Nurse - ICU - Nights"]["soc_code"] == "29-1141"
    assert rows["CNA PRN"]["soc_code"] == "31-1131"
    assert rows["Sterile Processing Tech II"]["soc_code"] == "31-9093"
    assert set(rows["CNA PRN"]) == {"title", "soc_code", "soc_title", "confidence", "needs_review"}


def test_an_accepted_correction_wins_next_time(
    url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import workflows

    path = tmp_path / "titles.txt"
    path.write_text("Unit Secretary - 5 West\n", encoding="utf-8")
    workflows.accept_title_code("Unit Secretary - 5 West", "43-6013")
    code, out, _ = run(["code-titles", str(path), "--format", "csv"], capsys)
    assert code == 0
    assert pl.read_csv(io.StringIO(out))["soc_code"].to_list() == ["43-6013"]


def test_python_m_cli_exit_code_and_no_traceback(url: str, tmp_path: Path) -> None:
    env = {**os.environ, "GAPBOARD_WAREHOUSE_URL": url}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "ingest",
            "vacancies",
            str(FIXTURES / "vacancies_ragged.csv"),
            "--member",
            MEMBER,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert "line 3 has 5 fields" in done.stderr


@pytest.mark.slow
def test_samples_load_if_empty_then_clear(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = json.loads((settings.SAMPLES_DIR / "manifest.json").read_text(encoding="utf-8"))
    code, out, err = run(["samples", "load", "--if-empty", "--format", "json"], capsys)
    assert code == 0, err
    loaded = json.loads(out)
    assert len(loaded) == len(manifest["files"]) and {r["status"] for r in loaded} == {"loaded"}
    counts = stored(url)
    assert counts["vacancies"] > 1000 and counts["programs"] > 10 and counts["placements"] > 100
    members = warehouse.read_members(warehouse.open_warehouse(url))
    assert members["member"].str.contains("(illustrative)", literal=True).all()
    # Loaded once: a second --if-empty leaves the warehouse alone.
    code, out, _ = run(["samples", "load", "--if-empty", "--format", "json"], capsys)
    assert code == 0 and {r["status"] for r in json.loads(out)} == {"skipped: warehouse not empty"}
    assert stored(url) == counts
    # A real member's feed survives clearing the samples.
    assert ingest("vacancies", "vacancies_utf8_bom.csv", capsys)[0] == 0
    code, out, _ = run(["samples", "clear", "--format", "json"], capsys)
    assert code == 0
    removed = {r["table"]: r["rows_removed"] for r in json.loads(out)}
    assert removed["vacancies"] == counts["vacancies"] and removed["programs"] == counts["programs"]
    assert stored(url) == {
        "vacancies": 6,
        "programs": 0,
        "placements": 0,
        "ingests": 1,
        "rejects": 0,
    }


def test_a_confirmed_mapping_is_used_as_given(url: str) -> None:
    import workflows

    path = FIXTURES / "vacancies_utf8_bom.csv"
    chosen = {"Requisition ID": "posting_id", "Job Title": "title", "Posted": "posted_date"}
    summary = workflows.ingest_feed("vacancies", path, member=MEMBER, mapping=chosen)
    assert summary.mapping == chosen and summary.accepted == 6
    stored_rows = warehouse.read_vacancies(warehouse.open_warehouse(url))
    # "Status" and "FIPS Code" were left unmatched on purpose: no synonym brings them back.
    assert stored_rows["status"].null_count() == 6 and stored_rows["county_fips"].null_count() == 6
    assert (
        warehouse.read_column_mapping(warehouse.open_warehouse(url), MEMBER, "vacancies") == chosen
    )


def test_an_ingest_process_ends_with_its_output_written_and_rows_stored(
    url: str, tmp_path: Path
) -> None:
    # Run as its own process the command ends without the interpreter's teardown: the summary,
    # the note on stderr and the stored rows must all be complete when it has exited.
    env = {**os.environ, "GAPBOARD_WAREHOUSE_URL": url}
    feed = str(FIXTURES / "vacancies_rules_broken.csv")

    def ingest(*options: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "cli",
                "ingest",
                "vacancies",
                feed,
                "--member",
                MEMBER,
                *options,
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    done = ingest("--format", "json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["rejected"] > 0
    assert f"see rejects, ingest {summary['ingest_id']}" in done.stderr
    assert stored(url)["vacancies"] == summary["accepted"]
    assert stored(url)["rejects"] == summary["rejected"]
    again = ingest()
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["updated"] == summary["accepted"]
    assert stored(url)["ingests"] == 2
