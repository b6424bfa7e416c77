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


def test_the_row_check_counts_lost_doubled_and_unexpected_rows() -> None:
    sent = {("A", "R1"), ("A", "R2"), ("B", "R1")}
    assert load.row_check(sent, [("A", "R1"), ("A", "R2"), ("B", "R1")]) == {
        "rows_sent_distinct": 3,
        "rows_stored": 3,
        "rows_lost": 0,
        "rows_doubled": 0,
        "rows_unexpected": 0,
    }
    # B's row lost, A's first doubled, and one stored under the wrong member
    check = load.row_check(sent, [("A", "R1"), ("A", "R1"), ("A", "R2"), ("C", "R1")])
    assert (check["rows_lost"], check["rows_doubled"], check["rows_unexpected"]) == (1, 1, 1)


def test_browsing_people_start_apart_and_alternate_opening_pages_and_changing_region() -> None:
    plans = [load.browse_plan(person, 4) for person in range(20)]
    assert all([kind for kind, _, _ in plan] == ["open", "region"] * 2 for plan in plans)
    firsts = {plan[0][1:] for plan in plans}
    assert len(firsts) >= 4  # not everyone on the same page and region
    for plan in plans:
        # a region change stays on the page just opened and moves to another region
        assert plan[1][1] == plan[0][1] and plan[1][2] != plan[0][2]
        assert plan[2][1] != plan[0][1]


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
    result = load.run_load(
        browsing=20, uploading=5, actions=2, rows_per_feed=200, timeout_s=150, budget_s=480
    )
    assert result["errors"] == []
    # every distinct row sent is stored once: the re-sent feed updated its rows, it did not add
    assert result["rows_stored"] == result["rows_sent_distinct"] == 1_000
    assert (result["rows_lost"], result["rows_doubled"], result["rows_unexpected"]) == (0, 0, 0)
    assert result["no_row_lost_or_doubled"]
    assert result["rows_shown_stored"] == [200] * 6
    assert result["page_open"]["count"] == 20 and result["region_change"]["count"] == 20
    assert result["store"]["count"] == 6
    for figure in ("page_open", "region_change", "upload_to_preview", "store"):
        p = result[figure]
        assert 0 < p["p50_ms"] <= p["p90_ms"] <= p["p99_ms"] <= p["max_ms"]
    assert result["server_cpu_s"] > 0 and result["clients_cpu_s"] > 0
