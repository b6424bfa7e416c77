"""The bench table prints the browser timings with their targets, or why they were skipped."""

from bench.suite import format_table


def _results(browser: dict) -> dict:
    return {"run_at": "2026-12-02T00:00:00+00:00", "machine": "2 cores", "app_browser": browser}


def test_browser_timings_appear_with_their_targets() -> None:
    table = format_table(
        _results(
            {
                "runs": 3,
                "first_chart_s": 2.4,
                "region_change_ms": 180,
                "region_change_uncached_ms": 420,
            }
        )
    )
    assert (
        "| browser: fresh server, navigation to first chart visible (Chromium, median of 3 runs)"
        " | 2.4 s | < 3 s |" in table
    )
    assert "| 180 ms (420 ms) | < 300 ms |" in table


def test_a_browser_that_cannot_run_is_reported_as_skipped() -> None:
    table = format_table(_results({"skipped": "Error: no chromium"}))
    assert "| browser timings | skipped: Error: no chromium |" in table


def test_the_bare_page_and_the_second_visit_are_shown_beside_the_app() -> None:
    table = format_table(
        _results(
            {
                "first_chart_s": 5.1,
                "first_chart_repeat_s": 3.2,
                "bare_page_first_chart_s": 4.0,
                "region_change_ms": 180,
                "region_change_uncached_ms": 420,
                "server_ready_s": 1.4,
            }
        )
    )
    assert "one Plotly chart, plain `streamlit run` | 4.0 s |  |" in table
    assert "| browser: fresh server, start to ready (warm-up included) | 1.4 s |  |" in table
    assert "| browser: second visit, new tab, to first chart visible | 3.2 s | < 3 s |" in table


_SCALE = {
    "rows": 24_000_000,
    "counties": 3229,
    "occupations": 832,
    "months": 60,
    "files": 60,
    "mb_on_disk": 192.0,
    "generate_s": 13.6,
    "generate_peak_mb": 169,
    "aggregate_s": 4.11,
    "aggregate_rows_per_s": 5_839_416,
    "aggregate_peak_mb": 271,
    "occupation_state_year_groups": 195_630,
    "county_month_groups": 190_208,
    "totals_match": True,
}


def test_the_national_scale_feed_and_its_streaming_aggregation_are_shown() -> None:
    table = format_table({**_results({}), "scale": _SCALE})
    assert (
        "| national-scale feed generated: 3,229 counties x 832 occupations x 60 months "
        "| 24,000,000 rows in 60 Parquet files (192.0 MB), 13.6 s, peak 169 MB |  |" in table
    )
    assert (
        "| 4.11 s, 5,839,416 rows/s, peak 271 MB, 195,630 + 190,208 groups, totals match: True "
        "| totals = rows generated |" in table
    )
    assert "in-memory engine" not in table
    compared = format_table(
        {
            **_results({}),
            "scale": {**_SCALE, "in_memory_aggregate_s": 34.2, "in_memory_peak_mb": 4918},
        }
    )
    assert "| the same aggregation on the in-memory engine | 34.2 s, peak 4,918 MB |  |" in compared


def test_a_scale_run_that_failed_is_reported_as_skipped() -> None:
    table = format_table({**_results({}), "scale": {"skipped": "RuntimeError: do not add up"}})
    assert "| national-scale feed | skipped: RuntimeError: do not add up |" in table


def test_the_load_run_shows_its_sessions_latencies_and_row_check() -> None:
    latency = {"count": 40, "p50_ms": 1200, "p90_ms": 2500, "p99_ms": 4000, "max_ms": 4100}
    table = format_table(
        {
            "run_at": "2026-12-02T00:00:00+00:00",
            "machine": "2 cores",
            "load": {
                "browsing_sessions": 20,
                "uploading_sessions": 5,
                "actions_per_browsing_session": 2,
                "rows_per_feed": 500,
                "wall_s": 95.0,
                "server_cpu_s": 40.2,
                "clients_cpu_s": 61.0,
                "cores_busy": 1.9,
                "page_open": latency,
                "region_change": {"count": 0},
                "upload_to_preview": latency,
                "store": latency,
                "rows_sent_distinct": 2500,
                "rows_stored": 2500,
                "rows_lost": 0,
                "rows_doubled": 0,
                "rows_unexpected": 0,
                "errors": [],
            },
        }
    )
    assert (
        "20 browsing (2 actions each) + 5 uploading (500 rows each, one re-sent), 95.0 s in all; "
        "CPU: server 40.2 s, browsers and the rest 61.0 s (1.9 cores busy)" in table
    )
    assert (
        "| load: open a page to its chart, p50 / p90 / p99 / max (40 times) "
        "| 1,200 / 2,500 / 4,000 / 4,100 ms |" in table
    )
    assert "change region" not in table
    assert (
        "| load: errors; rows stored / sent; lost, doubled, unexpected | 0; 2,500 / 2,500; 0, 0, 0 "
        "| 0; equal; 0, 0, 0 |" in table
    )


def test_a_load_run_that_could_not_start_is_reported_as_skipped() -> None:
    table = format_table({**_results({}), "load": {"skipped": "Error: no chromium"}})
    assert "| load | skipped: Error: no chromium |" in table


def test_an_in_memory_comparison_that_could_not_run_leaves_the_streaming_figures() -> None:
    sc = {**_SCALE, "in_memory_skipped": "RuntimeError: bench.scale --aggregate failed"}
    table = format_table({**_results({}), "scale": sc})
    assert "totals match: True" in table
    assert "| the same aggregation on the in-memory engine | skipped: RuntimeError:" in table
