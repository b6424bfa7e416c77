"""The accuracy target of issue #4, measured on the shipped series (slow: about a minute)."""

import pytest


@pytest.mark.slow
def test_forecast_bench_meets_the_target() -> None:
    pytest.importorskip("statsforecast")
    from bench.forecast import AUTOETS, run_forecast_bench

    result = run_forecast_bench(quick=True, origins=3)
    assert result["cases"] == 16 * 3
    assert result["mase"]["selected"] < result["mase"][AUTOETS]
    assert result["mase"]["selected"] < result["mase"]["seasonal naive"]
    assert 0.70 <= result["coverage80"]["selected"] <= 0.90
    assert result["target"]["met"]
