"""The Gaps page: demand, supply and gap for the watch-list on one screen; scenarios recompute."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")

pytestmark = pytest.mark.app


@pytest.fixture(autouse=True)
def _empty_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAPBOARD_WAREHOUSE_URL", f"sqlite:///{tmp_path / 'warehouse.sqlite'}")


def _gaps(region: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["region"] = region
    at.switch_page("views/gaps.py")
    return at.run()


def test_southeast_michigan_shows_cna_ma_and_sterile_processing() -> None:
    at = _gaps("southeast-michigan")
    assert not at.exception
    assert at.title[0].value == "Southeast Michigan: where training falls short"
    chosen = at.sidebar.multiselect(key="sidebar_watchlist").value
    assert {"31-1131", "31-9092", "31-9093"} <= set(chosen)  # the region's watch-list
    assert at.get("plotly_chart")
    table = at.dataframe[0].value
    assert {"31-1131", "31-9092", "31-9093"} <= set(table["SOC"])
    assert (table["Openings a year"] > 0).all()
    assert any("Supply:" in m.value for m in at.markdown)


def test_an_incumbent_pathway_closes_part_of_the_gap() -> None:
    at = _gaps("southeast-michigan")
    before = int(at.metric[2].value.replace(",", ""))
    at.selectbox(key="gaps_pathway_soc").set_value("31-9092")
    at.number_input(key="gaps_pathway_people").set_value(100)
    at.run()
    assert not at.exception
    after = int(at.metric[2].value.replace(",", ""))
    assert after == pytest.approx(before - 100, abs=1)


def test_training_page_lists_providers_for_the_watch_list() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["region"] = "southeast-michigan"
    at.switch_page("views/training.py")
    at.run()
    assert not at.exception
    assert "who trains for these jobs" in at.title[0].value
    providers = at.dataframe[0].value
    assert len(providers) > 5
    assert (providers["Trained and placed a year"] >= 0).all()
    assert int(at.metric[0].value.replace(",", "")) == providers["Provider"].nunique()


def test_the_page_follows_the_sidebar_watch_list() -> None:
    at = _gaps("southeast-michigan")
    at.sidebar.multiselect(key="sidebar_watchlist").set_value(["31-9093"]).run()
    assert not at.exception
    assert list(at.dataframe[0].value["SOC"]) == ["31-9093"]
    at.sidebar.multiselect(key="sidebar_watchlist").set_value([]).run()
    assert not at.exception
    assert any("Add occupations to the watch-list" in i.value for i in at.info)
