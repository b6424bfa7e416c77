"""A process killed (SIGKILL) in the middle of an ingest or of a snapshot write leaves no half.

The ingest is a real `gapboard ingest` of a large generated feed, killed once its transaction has
started writing (the SQLite write-ahead log grows); afterwards the warehouse holds all or none of
that ingest's rows. The snapshot write is killed while its Parquet files are being written;
afterwards every file the manifest names is readable Parquet with its old content and checksum.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from connectors import snapshots
from tests.faults.corpus import CORPUS

ROOT = Path(__file__).resolve().parents[2]
ROWS = 300_000

pytestmark = pytest.mark.slow


def big_feed(path: Path, rows: int = ROWS) -> Path:
    titles = [
        "Medical Assistant",
        "Certified Nursing Assistant",
        "Phlebotomist",
        "Registered Nurse",
    ]
    counties = ["25025", "25017", "25021", "25009"]
    pl.DataFrame(
        {
            "Req ID": [f"BIG-{i:07d}" for i in range(rows)],
            "Job Title": [titles[i % 4] for i in range(rows)],
            "Date Posted": [f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(rows)],
            "County FIPS": [counties[i % 4] for i in range(rows)],
            "Openings": [str(1 + i % 3) for i in range(rows)],
        }
    ).write_csv(path)
    return path


def wait_for(condition, process: subprocess.Popen[bytes], timeout: float = 90.0) -> bool:  # type: ignore[no-untyped-def]
    """Poll until condition() holds (True) or the process ends first (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.002)
    raise AssertionError("the process neither started writing nor finished in time")


def table_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("ingests", "vacancies", "rejects")
        }


def test_sigkill_mid_ingest_leaves_all_or_none_of_its_rows(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.sqlite"
    env = {**os.environ, "GAPBOARD_WAREHOUSE_URL": f"sqlite:///{db}"}
    first = subprocess.run(
        [sys.executable, "-m", "cli", "ingest", "vacancies", str(CORPUS / "vacancies_tab.tsv"),
         "--member", "Harbor Health", "--quiet"],
        cwd=ROOT, env=env, capture_output=True, timeout=120,
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = table_counts(db)
    wal = Path(f"{db}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    feed = big_feed(tmp_path / "big.csv")
    child = subprocess.Popen(
        [sys.executable, "-m", "cli", "ingest", "vacancies", str(feed), "--member", "Big Health",
         "--quiet"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    writing = wait_for(lambda: wal.exists() and wal.stat().st_size > (1 << 20), child)
    assert writing, "the ingest finished before it could be killed mid-write"
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL
    after = table_counts(db)  # opening it recovers from the write-ahead log
    assert after == before  # killed mid-transaction: none of its rows, no ingest row
    with sqlite3.connect(db) as con:
        members = {r[0] for r in con.execute("SELECT DISTINCT member FROM vacancies")}
    assert members == {"Harbor Health"}
    # and the warehouse still takes the same feed whole
    again = subprocess.run(
        [sys.executable, "-m", "cli", "ingest", "vacancies", str(feed), "--member", "Big Health",
         "--quiet"],
        cwd=ROOT, env=env, capture_output=True, timeout=300,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert table_counts(db)["vacancies"] == before["vacancies"] + ROWS


WRITER = """
import sys
from pathlib import Path
import polars as pl
from connectors import snapshots
target = Path(sys.argv[1])
small = pl.DataFrame({"code": ["new"], "value": [2.0]})
big = pl.DataFrame({"code": [f"c{i}" for i in range(6_000_000)], "value": pl.Series(range(6_000_000), dtype=pl.Float64)})
snapshots.write_snapshot(target, {"alpha": small, "beta": big}, {"alpha": {"vintage": "new"}, "beta": {"vintage": "new"}})
"""


def test_sigkill_mid_snapshot_write_keeps_the_old_snapshot(tmp_path: Path) -> None:
    target = tmp_path / "reference"
    old = {
        "alpha": pl.DataFrame({"code": ["old"], "value": [1.0]}),
        "beta": pl.DataFrame({"code": ["old", "older"], "value": [1.0, 0.5]}),
    }
    snapshots.write_snapshot(target, old, {n: {"vintage": "old"} for n in old})
    files_before = {p.name: p.read_bytes() for p in target.iterdir()}
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    # The small dataset comes first; kill while the big one is being written.
    def big_one_started() -> bool:
        try:
            return any(p.stat().st_size > (64 << 10) for p in target.glob(".tmp-*.parquet"))
        except FileNotFoundError:  # renamed between the listing and the stat
            return False

    writing = wait_for(big_one_started, child)
    assert writing, "the snapshot write finished before it could be killed"
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL
    manifest = snapshots.read_manifest(target)["datasets"]
    assert {n: e["vintage"] for n, e in manifest.items()} == {"alpha": "old", "beta": "old"}
    for name, frame in old.items():
        path = target / manifest[name]["file"]
        assert path.read_bytes() == files_before[path.name]
        assert snapshots.sha256_file(path) == manifest[name]["sha256"]
        assert snapshots.read_dataset(target, name).equals(frame)
    assert (target / "manifest.json").read_bytes() == files_before["manifest.json"]
    # What the killed writer left behind is only its temporary files, which nothing reads.
    leftovers = {p.name for p in target.iterdir()} - set(files_before)
    assert all(name.startswith(".tmp-") for name in leftovers)
