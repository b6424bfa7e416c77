"""Every file of the bad-input corpus through `gapboard ingest ... --format json`, as a subprocess.

The expected outcome of each file is the README table of tests/fixtures/bad_inputs: exit 0 with
the good rows stored and the bad ones counted with their reason, or exit 2 with one line on
standard error and nothing stored. Never a traceback, never exit 1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from connectors import warehouse
from tests.faults.corpus import ACCENTED_TITLES, CASES, Case

ROOT = Path(__file__).resolve().parents[2]
MEMBER = "Harbor Health"

pytestmark = pytest.mark.slow


def _ingest(case: Case, url: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "cli", "ingest", case.kind, str(case.path), "--format", "json"]
    args += ["--member", MEMBER, "--quiet"]
    env = {**os.environ, "GAPBOARD_WAREHOUSE_URL": url}
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[str, Any]]]:
    """Run every case once, four at a time, each into a warehouse of its own."""
    root = tmp_path_factory.mktemp("corpus")
    urls = {c.file: f"sqlite:///{root / (c.file + '.sqlite')}" for c in CASES}
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = dict(zip(urls, pool.map(lambda c: _ingest(c, urls[c.file]), CASES), strict=True))
    yield {name: (urls[name], done[name]) for name in urls}
    for url in urls.values():
        warehouse.close_warehouse(url)


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_corpus_file_through_the_command_line(case: Case, outcomes: dict) -> None:
    url, done = outcomes[case.file]
    assert "Traceback" not in done.stderr + done.stdout
    assert done.returncode == case.exit, done.stderr
    engine = warehouse.open_warehouse(url)
    if case.refused:
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith("gapboard ingest: ") and case.file in lines[0]
        assert case.reason in lines[0]
        assert done.stdout == ""
        # refused whole: no ingest row, no data rows, no rejects
        assert warehouse.read_ingests(engine).height == 0
        assert warehouse.read_rows(engine, case.kind).height == 0
        assert warehouse.read_rejects(engine).height == 0
        return
    summary = json.loads(done.stdout)
    assert (summary["accepted"], summary["rejected"]) == (case.accepted, case.rejected)
    assert summary["rows_read"] == summary["accepted"] + summary["rejected"]
    if case.reason:
        assert any(case.reason in reason for reason in summary["reasons"]), summary["reasons"]
    assert warehouse.read_rows(engine, case.kind).height == case.accepted
    rejects = warehouse.read_rejects(engine, summary["ingest_id"])
    assert rejects.height == case.rejected
    assert rejects["reason"].null_count() == 0
    if case.file in ENCODED:
        titles = warehouse.read_vacancies(engine).sort("posting_id")["title"].to_list()
        assert titles == ACCENTED_TITLES


ENCODED = {
    "vacancies_utf16_bom.csv",
    "vacancies_cp1252_accents.csv",
    "vacancies_utf8_bom.csv",
    "vacancies_semicolon.csv",
    "vacancies_tab.tsv",
}


def test_the_readme_covers_every_rule_of_the_feed_formats() -> None:
    # The design's row rules and file rules, each with at least one file in the corpus.
    phrases = {
        "is missing": 0,
        "not a real date": 0,
        "is negative": 0,
        "not a number": 0,
        "before": 0,
        "not a known county": 0,
        "missing required column": 0,
        "not an XLSX workbook": 0,
        "not valid JSON": 0,
        "would inflate": 0,
        "zip bomb": 0,
    }
    for case in CASES:
        for phrase in phrases:
            if phrase in case.reason:
                phrases[phrase] += 1
    assert all(phrases.values()), phrases
