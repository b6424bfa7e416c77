"""The bench table prints the browser timings with their targets, or why they were skipped."""

from bench.suite import format_table


def _results(browser: dict) -> dict:
    return {"run_at": "2026-12-02T00:00:00+00:00", "machine": "2 cores", "app_browser": browser}


def test_browser_timings_appear_with_their_targets() -> None:
    table = format_table(
        _results({"first_chart_s": 2.4, "region_change_ms": 180, "region_change_uncached_ms": 420})
    )
    assert (
        "| browser: fresh server, navigation to first chart visible (Chromium) | 2.4 s | < 3 s |"
        in table
    )
    assert "| 180 ms (420 ms) | < 300 ms |" in table


def test_a_browser_that_cannot_run_is_reported_as_skipped() -> None:
    table = format_table(_results({"skipped": "Error: no chromium"}))
    assert "| browser timings | skipped: Error: no chromium |" in table
