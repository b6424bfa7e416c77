"""The national-scale bench: a partitioned feed of every county and occupation, aggregated streaming."""

from pathlib import Path

import polars as pl
import pytest

from bench import scale
from workflows import read_reference


def test_a_small_feed_is_aggregated_in_a_measured_child_and_adds_up() -> None:
    ballast = bytearray(512 * 1024 * 1024)  # a large parent, as under the whole suite
    ballast[::4096] = b"\x01" * len(ballast[::4096])
    result = scale.measure_scale(20_000, compare=True)
    del ballast
    assert result["rows"] == result["aggregated_rows"] == 20_000
    assert result["totals_match"] is True
    assert result["aggregate_in_child"] is True
    assert result["files"] == 60 and result["months"] == 60
    assert result["years_read"] == [2021, 2022, 2023, 2024, 2025]
    # the child's own peak: Python and Polars alone take more than 20 MB, the parent above 512 MB
    assert 20 < result["aggregate_peak_mb"] < 400
    assert 20 < result["generate_peak_mb"] < 400
    assert result["aggregate_process_s"] >= result["aggregate_s"] > 0
    assert result["bytes"] > 0
    assert result["in_memory_totals_match"] is True and 20 < result["in_memory_peak_mb"] < 400


def test_the_feed_covers_real_counties_and_detailed_occupations_month_by_month(
    tmp_path: Path,
) -> None:
    made = scale.generate(tmp_path, 6_000)
    counties = set(read_reference("counties")["county_fips"])
    line_items = read_reference("ep_occupations").filter(pl.col("occupation_type") == "Line item")
    assert made["counties"] == len(counties) and made["occupations"] == line_items.height
    feed = pl.scan_parquet(tmp_path / "**" / "*.parquet", hive_partitioning=True).collect()
    assert feed.height == 6_000 and feed["posting_id"].n_unique() == 6_000
    assert set(feed["county_fips"]) <= counties
    assert set(feed["soc_code"]) <= set(line_items["ep_code"])
    # every posting sits in the partition of its own month
    assert (feed["posted"].dt.year() == feed["year"]).all()
    assert (feed["posted"].dt.month() == feed["month"]).all()
    assert feed.group_by("year", "month").len()["len"].to_list() == [100] * 60


def test_aggregates_that_do_not_add_up_fail_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    real_child = scale._child

    def lose_a_month(args: list[str]):
        if args[0] == "--aggregate":
            next(Path(args[1]).rglob("*.parquet")).unlink()
        return real_child(args)

    monkeypatch.setattr(scale, "_child", lose_a_month)
    with pytest.raises(RuntimeError, match="do not add up"):
        scale.measure_scale(6_000)


def test_a_failed_in_memory_comparison_is_recorded_and_streaming_still_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_child = scale._child

    def out_of_memory(args: list[str]):
        if "in-memory" in args:
            raise RuntimeError("bench.scale --aggregate failed: Killed")
        return real_child(args)

    monkeypatch.setattr(scale, "_child", out_of_memory)
    result = scale.measure_scale(6_000, compare=True)
    assert result["totals_match"] is True and result["aggregated_rows"] == 6_000
    assert "Killed" in result["in_memory_skipped"] and "in_memory_peak_mb" not in result
