"""The standard meeting deck: overview, watch-list, gaps and pathways, sources on every slide."""

from pathlib import Path

import pytest
from pptx import Presentation

import workflows


@pytest.fixture(autouse=True)
def _empty_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAPBOARD_WAREHOUSE_URL", f"sqlite:///{tmp_path / 'warehouse.sqlite'}")


def test_southeast_michigan_deck_has_gap_and_pathway_slides(tmp_path: Path) -> None:
    out = workflows.build_deck("southeast-michigan", tmp_path / "semi.pptx")
    slides = list(Presentation(str(out)).slides)
    titles = [
        next(
            (sh.text_frame.text for sh in s.shapes if sh.has_text_frame and sh.text_frame.text), ""
        )
        for s in slides
    ]
    assert any(t.startswith("Openings and training supply a year") for t in titles)
    assert any(t.startswith("Who can move up into") for t in titles)
    charts = [sh for s in slides for sh in s.shapes if sh.has_chart]
    assert len(charts) >= 4
    categories = {c for sh in charts for c in sh.chart.plots[0].categories}
    assert {"Nursing Assistants (31-1131)", "Medical Assistants (31-9092)"} <= categories
    for slide in slides[1:]:
        text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
        assert "Source" in text or "source" in text


def test_deck_with_member_data_adds_forecast_and_outcome_slides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GAPBOARD_WAREHOUSE_URL", f"sqlite:///{tmp_path / 'samples.sqlite'}")
    workflows.load_samples(if_empty=True)
    out = workflows.build_deck("southeast-michigan", tmp_path / "semi-samples.pptx")
    texts = [
        " ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
        for s in Presentation(str(out)).slides
    ]
    forecast = next(t for t in texts if t.startswith("Members' postings and the year ahead"))
    assert "disclosure rules applied" in forecast
    outcomes = next(t for t in texts if t.startswith("Did the people we trained"))
    assert "illustrative" in outcomes and "completers" in outcomes
