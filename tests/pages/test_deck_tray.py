"""Charts added from the pages gather in the deck tray and download as one .pptx."""

import io
from pathlib import Path

import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

import workflows

APP = str(Path(__file__).resolve().parents[2] / "app.py")

pytestmark = pytest.mark.app


@pytest.fixture(autouse=True)
def _empty_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAPBOARD_WAREHOUSE_URL", f"sqlite:///{tmp_path / 'warehouse.sqlite'}")


def test_add_from_two_pages_reorder_and_download() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["region"] = "southeast-michigan"
    at.run()
    at.button(key="overview_openings_dl_tray").click().run()
    at.switch_page("views/gaps.py").run()
    at.button(key="gaps_bars_dl_tray").click().run()
    at.switch_page("views/deck.py").run()
    assert not at.exception
    labels = [m.value for m in at.markdown if m.value.startswith("**")]
    assert len(labels) == 2 and "Annual openings" in labels[0] and "training supply" in labels[1]
    at.button(key="deck_down_0").click().run()
    labels = [m.value for m in at.markdown if m.value.startswith("**")]
    assert "training supply" in labels[0]
    figures = [item["figure"] for item in at.session_state["deck_tray"]]
    pptx = Presentation(io.BytesIO(workflows.build_tray_deck(figures, "Test deck")))
    charts = [sh for slide in pptx.slides for sh in slide.shapes if sh.has_chart]
    assert len(pptx.slides) == 4  # title, two charts, sources
    assert len(charts) == 2
    at.button(key="deck_remove_0").click().run()
    assert len(at.session_state["deck_tray"]) == 1
