"""National-scale vacancy feed: generated, stored as hive-partitioned Parquet, aggregated streaming.

The feed covers every county in the geography reference and every detailed occupation (line item)
in the BLS projections reference over 60 months (2021-2025). Occupations are drawn in proportion to
their projected annual openings; counties by a fixed heavy-tailed weight (the reference holds no
population, so the weight is generated: a few large counties, a long tail of small ones). Each
month is generated with numpy and written as one Parquet file under `year=YYYY/month=MM/`, so the
generator never holds more than one month in memory.

Generation and aggregation each run in a fresh child process whose wall time and peak resident
memory come from the kernel (wait4 rusage, or the child's own VmHWM; see `_child`). The aggregation scans the partitioned folder with
Polars' streaming engine into postings and openings by occupation x state x year and by
county x month; both aggregates must add up to exactly the rows generated, or the run fails.

Run: `python -m bench.scale [--rows 24000000] [--keep DIR]`;
the children: `python -m bench.scale --generate DIR --rows N`, `python -m bench.scale --aggregate DIR`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from settings import ROOT

FIRST_YEAR, YEARS = 2021, 5
MONTHS = YEARS * 12
FULL_ROWS = 24_000_000
QUICK_ROWS = 200_000


def _references() -> tuple[list[str], list[str], list[float], list[float]]:
    """Return (county codes, SOC codes, occupation weights, median hourly wages) from the snapshot."""
    import polars as pl

    import settings
    from connectors import snapshots

    counties = snapshots.read_dataset(settings.REFERENCE_DIR, "counties")
    ep = snapshots.read_dataset(settings.REFERENCE_DIR, "ep_occupations").filter(
        pl.col("occupation_type") == "Line item"
    )
    wage = pl.col("median_annual_wage")
    ep = ep.with_columns(
        weight=pl.col("annual_openings").fill_null(0).clip(lower_bound=0.1),
        hourly=(wage.fill_null(wage.median()) / 2080),
    ).sort("ep_code")
    return (
        sorted(counties["county_fips"].to_list()),
        ep["ep_code"].to_list(),
        ep["weight"].to_list(),
        ep["hourly"].to_list(),
    )


def generate(folder: Path, rows: int, seed: int = 17) -> dict[str, Any]:
    """Write `rows` postings as hive-partitioned Parquet (one file a month) under `folder`."""
    import numpy as np
    import polars as pl

    county_codes, soc_codes, soc_weight, soc_hourly = _references()
    rng = np.random.default_rng(seed)
    county_w = rng.lognormal(0.0, 1.6, len(county_codes))
    county_p = county_w / county_w.sum()
    soc_p = np.asarray(soc_weight) / np.sum(soc_weight)
    hourly = np.asarray(soc_hourly, dtype=np.float32)
    counties = pl.Series("county_fips", county_codes)
    socs = pl.Series("soc_code", soc_codes)
    per_month = [rows // MONTHS + (1 if m < rows % MONTHS else 0) for m in range(MONTHS)]
    started = time.perf_counter()
    next_id = 0
    for m, n in enumerate(per_month):
        year, month = FIRST_YEAR + m // 12, m % 12 + 1
        county_i = rng.choice(len(county_codes), size=n, p=county_p)
        soc_i = rng.choice(len(soc_codes), size=n, p=soc_p)
        day = rng.integers(0, 28, size=n, dtype=np.int32)
        frame = pl.DataFrame(
            {
                "posting_id": np.arange(next_id, next_id + n, dtype=np.int64),
                "county_fips": counties.gather(county_i),
                "soc_code": socs.gather(soc_i),
                "posted": pl.Series(day).cast(pl.Int32) + _epoch_day(year, month),
                "openings": rng.geometric(0.7, size=n).clip(1, 10).astype(np.int16),
                "wage_hourly": (hourly[soc_i] * rng.lognormal(0.0, 0.2, n)).astype(np.float32),
            }
        ).with_columns(pl.col("posted").cast(pl.Date))
        part = folder / f"year={year}" / f"month={month:02d}"
        part.mkdir(parents=True, exist_ok=True)
        frame.write_parquet(part / "part-0.parquet", compression="zstd")
        next_id += n
    seconds = time.perf_counter() - started
    files = sorted(folder.rglob("*.parquet"))
    return {
        "rows": next_id,
        "counties": len(county_codes),
        "occupations": len(soc_codes),
        "months": MONTHS,
        "files": len(files),
        "bytes": sum(f.stat().st_size for f in files),
        "generate_s": round(seconds, 2),
        "pid": os.getpid(),
        "own_peak_mb": _own_peak_mb(),
    }


def _epoch_day(year: int, month: int) -> int:
    from datetime import date

    return (date(year, month, 1) - date(1970, 1, 1)).days


def aggregate(folder: Path, engine: str = "streaming") -> dict[str, Any]:
    """Aggregate the partitioned feed (streaming engine by default); return group counts and totals."""
    import polars as pl

    started = time.perf_counter()
    scan = pl.scan_parquet(folder / "**" / "*.parquet", hive_partitioning=True)
    by_occupation = scan.group_by(
        "soc_code", pl.col("county_fips").str.slice(0, 2).alias("state_fips"), "year"
    ).agg(postings=pl.len(), openings=pl.col("openings").cast(pl.Int64).sum())
    by_county = scan.group_by("county_fips", "year", "month").agg(
        postings=pl.len(),
        openings=pl.col("openings").cast(pl.Int64).sum(),
        mean_wage=pl.col("wage_hourly").mean(),
    )
    occupation, county = pl.collect_all([by_occupation, by_county], engine=engine)
    seconds = time.perf_counter() - started
    return {
        "aggregate_s": round(seconds, 2),
        "occupation_state_year_groups": occupation.height,
        "county_month_groups": county.height,
        "occupation_total": int(occupation["postings"].sum()),
        "county_total": int(county["postings"].sum()),
        "openings_total": int(occupation["openings"].sum()),
        "openings_total_by_county": int(county["openings"].sum()),
        "years": sorted(occupation["year"].unique().to_list()),
        "pid": os.getpid(),
        "own_peak_mb": _own_peak_mb(),
    }


def _own_peak_mb() -> float | None:
    """Return this process's peak resident memory since it started its program (Linux VmHWM)."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return None
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), None)
    return int(line.split()[1]) / 1024 if line else None


def _child(args: list[str]) -> tuple[float, float, dict[str, Any]]:
    """Run `python -m bench.scale ARGS` fresh; return (wall s, peak RSS MB, its JSON).

    The peak is the kernel's (wait4 rusage), except that Linux carries the parent's high-water mark
    into a child across fork and exec, so under a large parent (the whole suite) wait4 reports the
    parent's size; there the child's own high-water mark since exec (VmHWM), which it prints, is
    used instead.
    """
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    cmd = [sys.executable, "-m", "bench.scale", *args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise RuntimeError(
            f"bench.scale {args[0]} failed: {stderr.decode(errors='replace')[-500:]}"
        )
    report = json.loads(stdout)
    own = report.get("own_peak_mb")
    return wall, own if own is not None else usage.ru_maxrss / 1024, report


def measure_scale(rows: int, keep: Path | None = None, compare: bool = False) -> dict[str, Any]:
    """Generate `rows` postings and aggregate them streaming, each in a measured child process.

    With `compare`, the same aggregation also runs on Polars' in-memory engine (its peak memory
    grows with the feed, which is what streaming avoids); if that run fails (out of memory on a
    smaller machine, say), the reason is recorded and the streaming figures still stand.
    """
    mem: dict[str, Any] | None = None
    mem_mb, mem_error = 0.0, ""
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="gapboard-scale-"))
    try:
        if folder.exists() and any(folder.iterdir()):
            raise RuntimeError(f"{folder} is not empty")
        gen_wall, gen_mb, made = _child(["--generate", str(folder), "--rows", str(rows)])
        agg_wall, agg_mb, agg = _child(["--aggregate", str(folder)])
        if compare:
            try:
                _, mem_mb, mem = _child(["--aggregate", str(folder), "--engine", "in-memory"])
            except RuntimeError as exc:
                mem_error = str(exc)
    finally:
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    totals_match = (
        agg["occupation_total"] == made["rows"] == rows
        and agg["county_total"] == made["rows"]
        and agg["openings_total"] == agg["openings_total_by_county"]
    )
    result = {
        **made,
        "mb_on_disk": round(made["bytes"] / 1e6, 1),
        "generate_rows_per_s": round(rows / made["generate_s"]) if made["generate_s"] else None,
        "generate_process_s": round(gen_wall, 2),
        "generate_peak_mb": round(gen_mb),
        "aggregate_s": agg["aggregate_s"],
        "aggregate_rows_per_s": round(rows / agg["aggregate_s"]) if agg["aggregate_s"] else None,
        "aggregate_process_s": round(agg_wall, 2),
        "aggregate_peak_mb": round(agg_mb),
        "aggregate_in_child": agg["pid"] not in (os.getpid(), made["pid"]),
        "occupation_state_year_groups": agg["occupation_state_year_groups"],
        "county_month_groups": agg["county_month_groups"],
        "aggregated_rows": agg["occupation_total"],
        "years_read": agg["years"],
    }
    if mem_error:
        result["in_memory_skipped"] = mem_error
    if mem is not None:
        result["in_memory_aggregate_s"] = mem["aggregate_s"]
        result["in_memory_peak_mb"] = round(mem_mb)
        result["in_memory_totals_match"] = mem["occupation_total"] == rows == mem["county_total"]
        totals_match = totals_match and result["in_memory_totals_match"]
    result["totals_match"] = totals_match
    if not totals_match:
        raise RuntimeError(
            f"aggregates do not add up: generated {made['rows']:,} rows, by occupation "
            f"{agg['occupation_total']:,}, by county {agg['county_total']:,}"
            + (f", in memory {mem['occupation_total']:,}" if mem is not None else "")
        )
    return result


def main(argv: list[str] | None = None) -> int:
    """Print the scale figures (or, as a child, the generation or aggregation figures) as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale")
    parser.add_argument("--rows", type=int, default=FULL_ROWS)
    parser.add_argument("--keep", type=Path, help="write the feed here and keep it")
    parser.add_argument("--compare", action="store_true", help="also run the in-memory engine")
    parser.add_argument("--engine", default="streaming", help=argparse.SUPPRESS)
    parser.add_argument("--generate", type=Path, metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--aggregate", type=Path, metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate:
        result = generate(args.generate, args.rows)
    elif args.aggregate:
        result = aggregate(args.aggregate, args.engine)
    else:
        result = measure_scale(args.rows, args.keep, args.compare)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
