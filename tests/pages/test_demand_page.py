"""The Demand page: projection figures for an occupation, members' postings with a forecast, market trend."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import workflows

APP = str(Path(__file__).resolve().parents[2] / "app.py")

pytestmark = pytest.mark.app


@pytest.fixture(scope="module")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('wh') / 'warehouse.sqlite'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GAPBOARD_WAREHOUSE_URL", url)
        workflows.load_samples(if_empty=True)
    return url


def _demand(region: str, url: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("GAPBOARD_WAREHOUSE_URL", url)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["region"] = region
    at.switch_page("views/demand.py")
    return at.run()


def test_projection_figures_match_the_demand_command(
    sample_warehouse: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _demand("southeast-michigan", sample_warehouse, monkeypatch)
    assert not at.exception
    assert at.selectbox(key="demand_soc").value == "31-1131"  # first of the watch-list
    row = workflows.demand("southeast-michigan", ["31-1131"]).demand.row(0, named=True)
    assert at.metric[0].value == f"{row['base_employment']:,.0f}"
    assert at.metric[2].value == f"{row['annual_openings']:,.0f}"
    assert len(at.get("plotly_chart")) == 2  # postings forecast and the market trend
    assert any("disclosure" in c.value for c in at.caption)


def test_forecast_intervals_never_go_below_zero(
    sample_warehouse: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GAPBOARD_WAREHOUSE_URL", sample_warehouse)
    outlook = workflows.postings_outlook("southeast-michigan", "31-1131")
    assert outlook.history.height > 0
    assert outlook.forecast.height == 12
    assert outlook.forecast["lo95"].min() >= 0
    assert (outlook.forecast["hi95"] >= outlook.forecast["hi80"]).all()


def test_withheld_postings_say_why(sample_warehouse: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # In the Boston samples, fewer than 3 employers post Medical Assistants in any one month.
    monkeypatch.setenv("GAPBOARD_WAREHOUSE_URL", sample_warehouse)
    assert workflows.postings_outlook("greater-boston", "31-9092").history.is_empty()
    at = _demand("greater-boston", sample_warehouse, monkeypatch)
    at.selectbox(key="demand_soc").set_value("31-9092").run()
    assert not at.exception
    assert any("disclosure rules withhold" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 1  # only the market trend
