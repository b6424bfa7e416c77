"""The Pathways and Outcomes pages render on the shipped data and the sample placements (AppTest)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import settings
import workflows
from connectors import warehouse

APP = str(Path(__file__).resolve().parents[2] / "app.py")

pytestmark = pytest.mark.app


@pytest.fixture()
def empty_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'warehouse.sqlite'}"
    monkeypatch.setenv("GAPBOARD_WAREHOUSE_URL", url)
    yield url
    warehouse.close_warehouse(url)


@pytest.fixture()
def boston_samples(empty_warehouse: str) -> str:
    for kind in ("programs", "placements"):
        workflows.ingest_feed(
            kind, settings.SAMPLES_DIR / f"{kind}_greater-boston_illustrative.csv", is_sample=True
        )
    return empty_warehouse


def _page(name: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(f"views/{name}.py")
    return at.run()


def test_pathways_page_ranks_feeders_into_medical_assistants(boston_samples: str) -> None:
    at = _page("pathways", pathways_soc="31-9092")
    assert not at.exception
    assert at.title[0].value == "Career pathways"
    assert at.selectbox(key="pathways_occupation").value == "31-9092"
    assert any("No bachelor's degree needed" in s.value for s in at.success)
    feeders = at.dataframe[0].value
    assert feeders["SOC"].iloc[0] == "43-6013"
    assert "31-9092" not in set(feeders["SOC"])
    charts = at.get("plotly_chart")
    assert len(charts) == 4  # scatter, skills to gain, diversity, age
    assert any("O*NET 27.0" in c.value for c in at.caption)
    assert any("sex, race and ethnicity 2022, age 2025" in c.value for c in at.caption)
    assert any("Illustrative sample data" in w.value for w in at.warning)  # the ROI table


def test_pathways_page_answers_where_a_role_leads(empty_warehouse: str) -> None:
    at = _page("pathways", pathways_soc="43-6013")
    at.radio(key="pathways_direction").set_value("Where can a worker go from…").run()
    assert not at.exception
    assert "31-9092" in set(at.dataframe[0].value["SOC"])
    # No member programs: the ROI section says how to get them.
    assert any("gapboard ingest programs" in i.value for i in at.info)


def test_outcomes_page_on_the_sample_placements(boston_samples: str) -> None:
    at = _page("outcomes")
    assert not at.exception
    assert any("Illustrative sample data" in w.value for w in at.warning)
    assert at.metric[0].value == "15"  # programs located in Greater Boston
    assert len(at.get("plotly_chart")) == 2  # funnel and retention curve
    table = at.dataframe[0].value
    assert "fewer than 10" in set(table["Completers"])  # small cohorts are withheld
    keys = {b.key for b in at.get("download_button")}
    assert {"outcomes_csv", "outcomes_xlsx"} <= keys  # the funder table
    assert {"outcomes_funnel_dl_png", "outcomes_funnel_dl_svg"} <= keys  # every chart


def test_outcomes_page_without_placements_says_what_to_do(empty_warehouse: str) -> None:
    at = _page("outcomes")
    assert not at.exception
    assert any("No placements yet" in i.value for i in at.info)
