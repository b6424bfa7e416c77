"""Feed ingest and title coding speed.

A generated vacancy CSV of N rows (real-looking healthcare titles, real county codes, dates, wages)
is ingested by one `gapboard ingest vacancies` process into a fresh SQLite warehouse; the same file
is read with Polars and written as Parquet by a bare process for comparison. Each process is timed
whole (start-up included) and its peak resident memory read from the kernel (wait4 rusage).

Each figure is the median of a few runs taken in turn with the bare process (after one warm-up
pair): the machine's speed drifts between runs, and a ratio of neighbours holds where a single
pair does not.

Targets (issue #3): >= 100,000 rows/s, within 5x the bare Polars process, < 1.5 GB, every row coded;
title coding >= 20,000 distinct titles/s.

Run: `python -m bench.ingest [--rows 300000]`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import polars as pl

from settings import ROOT, SAMPLES_DIR

TARGET_ROWS_PER_S = 100_000
TARGET_RATIO = 5.0
TARGET_PEAK_MB = 1536
TARGET_TITLES_PER_S = 20_000

_COUNTIES = [
    "25025",
    "25017",
    "25021",
    "25009",
    "17031",
    "17043",
    "17097",
    "26163",
    "26125",
    "26099",
]
_LEVELS = ["", " I", " II", " III", " - Nights", " - PRN", " (Float Pool)", " - Days", " Per Diem"]
_UNITS = ["", " - Med/Surg", " - ICU", " - Family Medicine", " - SPD", " - Oncology", " - Boston"]


def sample_titles() -> list[str]:
    """Return job titles from the illustrative sample feeds (the vocabulary of the generated feed)."""
    from connectors import feeds

    titles: set[str] = set()
    for path in sorted(SAMPLES_DIR.glob("vacancies_*_illustrative.*")):
        frame = feeds.read_feed(path, "vacancies", require_columns=False)
        mapping = feeds.map_columns(frame.columns, "vacancies")
        column = next((c for c, f in mapping.items() if f == "title"), None)
        if column:
            titles.update(t for t in frame[column].drop_nulls().to_list() if t)
    if not titles:
        titles = {"Medical Assistant", "Certified Nursing Assistant", "Registered Nurse"}
    return sorted(titles)


def write_vacancy_csv(path: Path, rows: int, seed: int = 7) -> Path:
    """Write a vacancy feed of `rows` rows in the member feed format; return its path."""
    rng = random.Random(seed)
    base = sample_titles()
    vocabulary = [b + lv + u for b in base for lv in _LEVELS for u in _UNITS]
    rng.shuffle(vocabulary)
    vocabulary = vocabulary[:5000]
    day = [f"2025-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 29)]
    frame = pl.DataFrame(
        {
            "Req ID": [f"R{i:08d}" for i in range(rows)],
            "Job Title": [vocabulary[rng.randrange(len(vocabulary))] for _ in range(rows)],
            "Date Posted": [day[rng.randrange(len(day))] for _ in range(rows)],
            "County FIPS": [_COUNTIES[rng.randrange(len(_COUNTIES))] for _ in range(rows)],
            "Status": ["open"] * rows,
            "Openings": [str(1 + rng.randrange(3)) for _ in range(rows)],
            "Pay Min": [f"{18 + rng.random() * 20:.2f}" for _ in range(rows)],
            "Pay Unit": ["hour"] * rows,
        }
    )
    frame.write_csv(path)
    return path


# Linux carries a process's memory high-water mark across exec, so a child forked straight from
# a large process (the suite, after the forecast bench) would report the parent's size as its
# own peak. A small launcher process in between starts the command and reports its figures.
_LAUNCHER = """
import os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - started
sys.stderr.write(f"\\n@@measured {wall} {usage.ru_maxrss}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _measured(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a command in a fresh process and return (wall s, its peak RSS MB, stdout)."""
    proc = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *cmd], env=env, capture_output=True, check=False
    )
    err = proc.stderr.decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} failed: {err[-500:]}")
    wall, maxrss_kb = err.rsplit("@@measured ", 1)[1].split()[:2]
    return float(wall), int(maxrss_kb) / 1024, proc.stdout.decode()


def measure_ingest(rows: int, runs: int = 3) -> dict[str, Any]:
    """Return ingest speed and memory for a generated feed of `rows` rows, against bare Polars.

    One uncounted warm-up pair, then `runs` pairs in turn (bare Polars, then the ingest into a
    fresh warehouse), so that both see the same machine; times are medians, the ratio is the
    median of the pairs' ratios and the peak is the largest of the runs.
    """
    gapboard = str(Path(sys.executable).parent / "gapboard")
    with tempfile.TemporaryDirectory(prefix="gapboard-bench-") as tmp:
        feed = write_vacancy_csv(Path(tmp) / "vacancies.csv", rows)
        database = Path(tmp) / "warehouse.sqlite"
        env = {**os.environ, "GAPBOARD_WAREHOUSE_URL": f"sqlite:///{database}"}
        bare = (
            "import polars as pl, sys; "
            "pl.read_csv(sys.argv[1], infer_schema=False).write_parquet(sys.argv[2])"
        )
        bare_cmd = [sys.executable, "-c", bare, str(feed), f"{tmp}/bare.parquet"]
        cmd = [
            gapboard, "ingest", "vacancies", str(feed), "--member", "bench", "--format", "json",
            "--quiet",
        ]  # fmt: skip
        pairs = []
        for _ in range(runs + 1):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
            bare_s, bare_mb, _ = _measured(bare_cmd, env)
            ingest_s, ingest_mb, out = _measured(cmd, env)
            pairs.append((bare_s, bare_mb, ingest_s, ingest_mb, json.loads(out)))
        counted = pairs[1:]
    summary = counted[-1][4]
    ingest_s = statistics.median(p[2] for p in counted)
    accepted = int(summary.get("accepted", 0))
    return {
        "rows": rows,
        "runs": len(counted),
        "ingest_s": round(ingest_s, 2),
        "rows_per_s": round(rows / ingest_s),
        "peak_mb": round(max(p[3] for p in counted)),
        "bare_polars_s": round(statistics.median(p[0] for p in counted), 2),
        "bare_polars_peak_mb": round(max(p[1] for p in counted)),
        "ratio_to_bare": round(statistics.median(p[2] / p[0] for p in counted), 2),
        "accepted": accepted,
        "rejected": int(summary.get("rejected", 0)),
        "updated": max(int(p[4].get("updated", 0)) for p in counted),
        "every_row_coded": accepted == rows,
    }


def measure_titles(count: int = 20_000) -> dict[str, Any]:
    """Return title-coding throughput on `count` distinct realistic titles."""
    from analytics import titles
    from workflows import read_reference

    rng = random.Random(11)
    base = sample_titles()
    pool = {
        b + lv + u + (f" - Req {rng.randrange(10_000)}" if rng.random() < 0.3 else "")
        for b in base
        for lv in _LEVELS
        for u in _UNITS
    }
    while len(pool) < count:
        pool.add(f"{rng.choice(base)}{rng.choice(_LEVELS)}{rng.choice(_UNITS)} #{len(pool)}")
    distinct = sorted(pool)[:count]
    started = time.perf_counter()
    index = titles.build_title_index(read_reference("onet_titles"))
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    coded = titles.code_titles(distinct, index)
    code_s = time.perf_counter() - started
    return {
        "titles": count,
        "index_build_s": round(build_s, 2),
        "coding_s": round(code_s, 2),
        "titles_per_s": round(count / code_s),
        "coded_share": round(coded["soc_code"].is_not_null().mean() or 0.0, 3),
    }


def main(argv: list[str] | None = None) -> int:
    """Print the ingest and title-coding figures as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.ingest")
    parser.add_argument("--rows", type=int, nargs="*", default=[300_000])
    args = parser.parse_args(argv)
    result = {
        "ingest": [measure_ingest(n) for n in args.rows],
        "titles": measure_titles(),
        "root": str(ROOT),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
