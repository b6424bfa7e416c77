"""The same faults on a PostgreSQL warehouse: a table locked by another session, and a client
killed (SIGKILL) in the middle of its ingest's COPY. Needs GAPBOARD_TEST_POSTGRES_URL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.faults.corpus import CORPUS
from tests.faults.test_kill import ROWS, big_feed, wait_for
from tests.faults.test_warehouse_faults import assert_one_clear_line
from tests.warehouse_backends import NEEDS_POSTGRES, POSTGRES_URL, postgres_schema

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, *NEEDS_POSTGRES]


@pytest.fixture
def schema_url() -> Iterator[tuple[str, str]]:
    """A warehouse in a schema of its own: (URL, schema name)."""
    with postgres_schema("gapboard_fault") as (url, schema):
        yield url, schema


def _ingest(url: str, feed: Path, member: str) -> list[str]:
    return [sys.executable, "-m", "cli", "ingest", "vacancies", str(feed), "--member", member,
            "--quiet"]  # fmt: skip


def _env(url: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "GAPBOARD_WAREHOUSE_URL": url, **extra}


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
                for t in ("ingests", "vacancies", "rejects")
            }
    finally:
        engine.dispose()


def test_a_locked_table_is_one_line_after_the_lock_wait(schema_url: tuple[str, str]) -> None:
    url, _ = schema_url
    feed = CORPUS / "vacancies_tab.tsv"
    first = subprocess.run(_ingest(url, feed, "Harbor Health"), cwd=ROOT, env=_env(url),
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert first.returncode == 0, first.stderr
    before = _counts(url)
    holder = create_engine(url)
    with holder.connect() as conn:
        conn.execute(text("LOCK TABLE vacancies IN ACCESS EXCLUSIVE MODE"))
        started = time.monotonic()
        done = subprocess.run(
            _ingest(url, CORPUS / "vacancies_semicolon.csv", "Other Health"),
            cwd=ROOT, env=_env(url, GAPBOARD_WAREHOUSE_LOCK_WAIT="1"),
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        waited = time.monotonic() - started
        conn.rollback()
    holder.dispose()
    assert_one_clear_line(done, "warehouse", "lock", "nothing was stored", "try again")
    assert waited < 30
    assert _counts(url) == before


def test_sigkill_mid_copy_leaves_none_of_its_rows(
    schema_url: tuple[str, str], tmp_path: Path
) -> None:
    url, schema = schema_url
    first = subprocess.run(_ingest(url, CORPUS / "vacancies_tab.tsv", "Harbor Health"), cwd=ROOT,
                           env=_env(url), capture_output=True, text=True, timeout=120)  # fmt: skip
    assert first.returncode == 0, first.stderr
    before = _counts(url)
    feed = big_feed(tmp_path / "big.csv")
    watcher = create_engine(POSTGRES_URL)

    def copying() -> bool:
        with watcher.connect() as conn:
            return bool(
                conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                        "AND query ILIKE 'COPY%' AND pid <> pg_backend_pid()"
                    )
                ).scalar_one()
            )

    child = subprocess.Popen(_ingest(url, feed, "Big Health"), cwd=ROOT, env=_env(url),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        assert wait_for(copying, child), "the ingest finished before it could be killed mid-COPY"
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        watcher.dispose()
    assert _counts(url) == before  # the server rolled the dead client's transaction back
    again = subprocess.run(_ingest(url, feed, "Big Health"), cwd=ROOT, env=_env(url),
                           capture_output=True, text=True, timeout=300)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert _counts(url)["vacancies"] == before["vacancies"] + ROWS
