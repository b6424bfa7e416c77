"""`gapboard refresh` (download mode) with a publisher that is down, slow, or answering garbage.

The last good snapshot stays byte-identical, the command names the dataset that failed and
exits 2 (nothing was updated), and both the command and the Sources page say how old the data
in use is. Publishers are mocked with `responses`, or served from a loopback http.server for
real sockets (refused connection, read timeout); nothing reaches the internet.
"""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http import server as http_server
from pathlib import Path

import openpyxl
import pytest
import requests
import responses
from streamlit.testing.v1 import AppTest

import cli
import workflows
from connectors import catalog, http
from settings import SOURCES_DIR

ROOT = Path(__file__).resolve().parents[2]
EP_URL = "https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx"
CIP_URL = "https://nces.ed.gov/ipeds/cipcode/Files/CIPCode2020.csv"
EP_XLSX = SOURCES_DIR / "bls/ep_occupation_2024-34.xlsx"
DATASETS = ["ep_occupations", "cip_titles"]


@pytest.fixture(scope="module")
def good_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A last good snapshot of two datasets, built once from the shipped publisher files."""
    src = tmp_path_factory.mktemp("sources")
    shutil.copytree(SOURCES_DIR / "bls", src / "bls")
    shutil.copytree(SOURCES_DIR / "crosswalks", src / "crosswalks")
    target = tmp_path_factory.mktemp("good") / "reference"
    result = workflows.refresh(src, only=DATASETS, target_dir=target, progress=False)
    assert result["status"].to_list() == ["updated", "updated"]
    return target


@pytest.fixture
def reference(good_snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "reference"
    shutil.copytree(good_snapshot, target)
    monkeypatch.setattr(workflows.settings, "REFERENCE_DIR", target)
    # one quick retry instead of four with back-off, so a dead publisher fails in well under a second
    monkeypatch.setattr(http, "RETRIES", 1)
    monkeypatch.setattr(http, "BACKOFF_FACTOR", 0.0)
    return target


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def refresh(capsys: pytest.CaptureFixture[str], *sources: str) -> tuple[int, list[dict], str]:
    args = ["refresh", "--quiet", "--format", "json"]
    for name in sources:
        args += ["--source", name]
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def assert_failed_and_kept(
    code: int, rows: list[dict], err: str, reference: Path, before: dict[str, bytes], *why: str
) -> None:
    assert code == 2
    assert "Traceback" not in err and "internal error" not in err
    assert files(reference) == before  # byte-identical: every Parquet file and the manifest
    for row in rows:
        assert row["status"].startswith("failed, kept last good"), row
        assert row["source"] in err  # the failed dataset is named
        for phrase in why:
            assert phrase in row["status"], row
    assert "the last good snapshot is unchanged" in err
    assert "last refreshed" in err and ("ago" in err or "today" in err)


def workbook_with_wrong_columns() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Table 1.2"
    sheet.append(["Region", "Month", "Visitors"])
    sheet.append(["North", "2025-01", 12])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GARBAGE = {
    "html": (
        b"<!DOCTYPE html><html><head><title>Access Denied</title></head><body>"
        b"<h1>Access Denied</h1><p>Reference #18.9e3b1002</p></body></html>",
        "text/html",
        "not an .xlsx workbook",
    ),
    "truncated zip": (
        EP_XLSX.read_bytes()[: EP_XLSX.stat().st_size // 3],
        "application/zip",
        "not an .xlsx workbook",
    ),
    "wrong columns": (workbook_with_wrong_columns(), "application/vnd.ms-excel", "no header row"),
}


@responses.activate
@pytest.mark.parametrize("kind", list(GARBAGE))
def test_publisher_answering_garbage_keeps_the_last_good_snapshot(
    kind: str, reference: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body, content_type, reason = GARBAGE[kind]
    responses.add(responses.GET, EP_URL, body=body, content_type=content_type)
    before = files(reference)
    code, rows, err = refresh(capsys, "ep_occupations")
    assert_failed_and_kept(code, rows, err, reference, before, reason)
    assert [r["source"] for r in rows] == ["ep_occupations"]


@responses.activate
def test_wrong_columns_in_a_csv_keep_the_last_good_snapshot(
    reference: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    responses.add(responses.GET, CIP_URL, body=b"Region,Month,Visitors\r\nNorth,2025-01,12\r\n")
    before = files(reference)
    code, rows, err = refresh(capsys, "cip_titles")
    assert_failed_and_kept(code, rows, err, reference, before)


@responses.activate
@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (requests.ConnectionError("[Errno 111] Connection refused"), "connection failed"),
        (requests.ReadTimeout("Read timed out. (read timeout=60)"), "no answer in time"),
        (requests.ConnectTimeout("timed out"), "could not connect in time"),
    ],
    ids=["refused", "read timeout", "connect timeout"],
)
def test_publisher_down_or_slow_keeps_the_last_good_snapshot(
    failure: Exception, reason: str, reference: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    responses.add(responses.GET, EP_URL, body=failure)
    responses.add(responses.GET, CIP_URL, body=failure)
    before = files(reference)
    code, rows, err = refresh(capsys, *DATASETS)
    assert_failed_and_kept(code, rows, err, reference, before, reason)
    assert {r["source"] for r in rows} == set(DATASETS)


@responses.activate
def test_one_publisher_down_still_updates_the_other(
    reference: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    responses.add(responses.GET, EP_URL, status=503, body="Service Unavailable")
    body = (SOURCES_DIR / "crosswalks/CIPCode2020.csv").read_bytes()
    responses.add(responses.GET, CIP_URL, body=body)
    before = files(reference)
    code, rows, err = refresh(capsys, *DATASETS)
    assert code == 0
    status = {r["source"]: r["status"] for r in rows}
    assert status["cip_titles"] == "updated"
    assert (
        status["ep_occupations"].startswith("failed, kept last good")
        and "503" in status["ep_occupations"]
    )
    assert "ep_occupations" in err
    assert files(reference)["ep_occupations.parquet"] == before["ep_occupations.parquet"]


# --- real sockets on loopback ----------------------------------------------------------------


class _Stalling(http_server.BaseHTTPRequestHandler):
    """Accepts the request, then says nothing for longer than the client waits."""

    def do_GET(self) -> None:  # noqa: N802
        time.sleep(3)
        try:
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"too late")
        except OSError:
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def loopback_publisher(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point ep_occupations' download at a loopback server; yield its base URL."""
    server = http_server.ThreadingHTTPServer(("127.0.0.1", 0), _Stalling)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    yield base
    server.shutdown()
    server.server_close()


def _point_at(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    dataset = catalog.DATASETS_BY_NAME["ep_occupations"]
    moved = dataclasses.replace(
        dataset, downloads=tuple(dataclasses.replace(d, url=url) for d in dataset.downloads)
    )
    monkeypatch.setitem(catalog.DATASETS_BY_NAME, "ep_occupations", moved)


@pytest.mark.slow
def test_a_publisher_that_never_answers_times_out(
    reference: Path, loopback_publisher: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    _point_at(monkeypatch, f"{loopback_publisher}/occupation.xlsx")
    monkeypatch.setattr(http, "DEFAULT_TIMEOUT", (2.0, 0.5))
    before = files(reference)
    started = time.monotonic()
    code, rows, err = refresh(capsys, "ep_occupations")
    assert time.monotonic() - started < 10  # gave up after the read timeout and one retry
    assert_failed_and_kept(code, rows, err, reference, before, "no answer in time")


def test_a_refused_connection_on_loopback(
    reference: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _point_at(monkeypatch, f"http://127.0.0.1:{port}/occupation.xlsx")
    before = files(reference)
    code, rows, err = refresh(capsys, "ep_occupations")
    assert_failed_and_kept(code, rows, err, reference, before, "connection failed")
    assert f"127.0.0.1:{port}" in rows[0]["status"]


# --- the age of the data in use is shown ------------------------------------------------------


def test_freshness_says_the_date_and_how_many_days_ago(reference: Path) -> None:
    written = json.loads((reference / "manifest.json").read_text())["written_at"]
    when = datetime.fromisoformat(written)
    assert workflows.snapshot_freshness(when + timedelta(days=12, hours=3)) == (
        f"Reference snapshot last refreshed {when.date().isoformat()} (12 days ago)."
    )
    assert workflows.snapshot_freshness(when + timedelta(hours=1)).endswith("(today).")
    assert workflows.snapshot_freshness(when + timedelta(days=1)).endswith("(1 day ago).")


@pytest.mark.app
def test_the_sources_page_says_how_old_the_snapshot_is() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("views/sources.py")
    at.run()
    assert not at.exception
    written = json.loads((workflows.reference_dir() / "manifest.json").read_text())["written_at"]
    days = (datetime.now(UTC) - datetime.fromisoformat(written)).days
    ago = "today" if days == 0 else "1 day ago" if days == 1 else f"{days:,} days ago"
    captions = " ".join(c.value for c in at.caption)
    assert f"last refreshed {written[:10]} ({ago})" in captions
