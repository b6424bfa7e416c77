"""Twenty people browsing and five uploading at once against one server: no error, no row lost or doubled."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import load


def test_percentiles_are_nearest_rank_in_milliseconds() -> None:
    values = [k / 10 for k in range(1, 11)]  # 0.1 s .. 1.0 s
    figures = load.percentiles(values)
    assert figures == {"count": 10, "p50_ms": 500, "p90_ms": 900, "p99_ms": 1000, "max_ms": 1000}
    assert load.percentiles([]) == {"count": 0}
    assert load.percentiles([0.25])["p99_ms"] == 250


def test_a_traceback_in_the_server_log_is_an_error_of_the_run(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    log.write_text(
        "  You can now view your Streamlit app\n"
        "Traceback (most recent call last):\n"
        '  File "app.py", line 1, in <module>\n'
        "    import pandas\n"
        "ImportError: cannot import name 'DataFrame' from partially initialized module 'pandas'\n"
        "INFO ok\n"
    )
    assert load._server_errors(log) == [
        "server: ImportError: cannot import name 'DataFrame' from partially initialized "
        "module 'pandas'"
    ]
    assert load._server_errors(tmp_path / "missing.log") == []


@pytest.mark.slow
@pytest.mark.browser
def test_twenty_browsing_and_five_uploading_at_once() -> None:
    result = load.run_load(browsing=20, uploading=5, actions=1, rows_per_feed=200)
    assert result["errors"] == []
    # every distinct row sent is stored once: the re-sent feed updated its rows, it did not add
    assert result["rows_stored"] == result["rows_distinct"] == result["rows_expected"] == 1_000
    assert result["no_row_lost_or_doubled"]
    assert result["rows_shown_stored"] == [200] * 6
    assert result["page_loads"]["count"] == 20
    assert result["store"]["count"] == 6
    for figure in ("page_loads", "upload_to_preview", "store"):
        assert 0 < result[figure]["p50_ms"] <= result[figure]["p90_ms"] <= result[figure]["max_ms"]
