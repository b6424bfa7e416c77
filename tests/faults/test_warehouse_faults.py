"""The warehouse locked by another process, or unreachable: `gapboard ingest` exits 2 with one line.

Each case runs the real command in a subprocess. A refused ingest leaves the warehouse exactly as
it was: no ingest row, no vacancies, no rejects.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from connectors import warehouse
from tests.faults.corpus import CORPUS

ROOT = Path(__file__).resolve().parents[2]
FEED = CORPUS / "vacancies_tab.tsv"


def ingest(url: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "ingest",
            "vacancies",
            str(FEED),
            "--member",
            "Harbor Health",
        ],
        cwd=ROOT,
        env={**os.environ, "GAPBOARD_WAREHOUSE_URL": url, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_clear_line(done: subprocess.CompletedProcess[str], *phrases: str) -> str:
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for phrase in phrases:
        assert phrase in lines[0]
    return lines[0]


def counts(path: Path) -> tuple[int, int, int]:
    with sqlite3.connect(path) as con:
        return tuple(  # type: ignore[return-value]
            con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("ingests", "vacancies", "rejects")
        )


@pytest.mark.slow
def test_a_locked_sqlite_warehouse_is_one_line_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.sqlite"
    url = f"sqlite:///{path}"
    assert ingest(url).returncode == 0
    before = counts(path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    try:
        started = time.monotonic()
        done = ingest(url, GAPBOARD_WAREHOUSE_LOCK_WAIT="1")
        waited = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
    line = assert_one_clear_line(done, "warehouse", "locked", "nothing was stored")
    assert "try again" in line
    assert waited < 30  # waited the configured second, not the 30 s default
    assert counts(path) == before


@pytest.mark.slow
def test_the_write_lock_is_waited_for_not_refused_at_once(tmp_path: Path) -> None:
    # A lock released within the wait lets the ingest through: writers queue, they do not fail.
    path = tmp_path / "warehouse.sqlite"
    url = f"sqlite:///{path}"
    assert ingest(url).returncode == 0
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    child = subprocess.Popen(
        [sys.executable, "-m", "cli", "ingest", "vacancies", str(CORPUS / "vacancies_semicolon.csv"),
         "--member", "Other Health", "--quiet"],
        cwd=ROOT,
        env={**os.environ, "GAPBOARD_WAREHOUSE_URL": url, "GAPBOARD_WAREHOUSE_LOCK_WAIT": "60"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    time.sleep(4)  # the child starts, reads its file, and waits for the lock
    holder.rollback()
    holder.close()
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert counts(path)[:2] == (2, 6)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_postgresql_on_a_closed_port_is_one_line() -> None:
    url = f"postgresql+psycopg://gapboard:secret-password@127.0.0.1:{closed_port()}/gapboard"
    line = assert_one_clear_line(ingest(url), "cannot open the warehouse", "GAPBOARD_WAREHOUSE_URL")
    assert "secret-password" not in line


def test_sqlite_in_a_folder_that_cannot_be_created_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the warehouse folder should be\n")
    url = f"sqlite:///{blocker / 'data' / 'warehouse.sqlite'}"
    assert_one_clear_line(
        ingest(url), "cannot create the warehouse folder", "GAPBOARD_WAREHOUSE_URL"
    )


def test_sqlite_in_a_read_only_folder_is_one_line(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        folder = Path("/proc/self")  # root writes anywhere on disk; procfs takes no new files
    else:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
    try:
        done = ingest(f"sqlite:///{folder / 'warehouse.sqlite'}")
    finally:
        if folder.is_relative_to(tmp_path):
            folder.chmod(0o755)
    assert_one_clear_line(done, "cannot open the warehouse", "unable to open database file")
    assert not (folder / "warehouse.sqlite").exists()


def test_sqlite_in_a_missing_folder_is_created_on_first_run(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "warehouse.sqlite"
    done = ingest(f"sqlite:///{path}")
    assert done.returncode == 0, done.stderr
    assert counts(path)[:2] == (1, 3)
    warehouse.close_warehouse(f"sqlite:///{path}")
