"""The ingest bench reads each command's own peak memory, not the size of the process that ran it."""

import sys

from bench import ingest


def test_a_small_command_under_a_large_parent_reports_its_own_peak() -> None:
    ballast = bytearray(400 * 1024 * 1024)  # 400 MB resident in this (parent) process
    ballast[::4096] = b"x" * len(ballast[::4096])
    wall, peak_mb, out = ingest._measured([sys.executable, "-c", "print('done')"], {})
    assert out == "done\n"
    assert 0 < wall < 30
    assert peak_mb < 100, f"{peak_mb:.0f} MB: the parent's size leaked into the child's figure"
    del ballast


def test_a_failing_command_is_reported_with_its_error() -> None:
    try:
        ingest._measured([sys.executable, "-c", "import sys; sys.exit('no such feed')"], {})
    except RuntimeError as exc:
        assert "no such feed" in str(exc)
    else:
        raise AssertionError("a failing command must raise")


def test_ingest_figures_are_medians_of_runs_into_fresh_warehouses() -> None:
    figures = ingest.measure_ingest(2_000, runs=2)
    assert figures["runs"] == 2 and figures["accepted"] == 2_000 and figures["every_row_coded"]
    assert figures["rejected"] == 0 and figures["updated"] == 0  # nothing was there before
    assert figures["ratio_to_bare"] > 0
    assert figures["peak_mb"] > figures["bare_polars_peak_mb"] / 2
