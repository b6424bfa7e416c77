"""Decks: native editable charts from figures, sources on every slide, no formulas in chart workbooks."""

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import plotly.graph_objects as go
import pytest
from pptx import Presentation
from pptx.util import Emu, Inches

import charts
import workflows
from exports import deck, images
from tests.exports.conftest import ATTACK, demand_frame

SOURCE = "Source: U.S. Bureau of Labor Statistics, OEWS, May 2025 (May 2025 estimates)."
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _empty_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Decks read member data too; an empty warehouse keeps the slide count fixed.
    monkeypatch.setenv("GAPBOARD_WAREHOUSE_URL", f"sqlite:///{tmp_path / 'warehouse.sqlite'}")


def _openings_figure() -> go.Figure:
    return charts.openings_bars(
        demand_frame(), title="Top occupations by annual openings", source=SOURCE,
        highlight=["31-9092"],
    )  # fmt: skip


def test_bars_figure_becomes_a_native_bar_spec() -> None:
    spec = deck.chart_from_figure(_openings_figure())
    assert spec is not None
    assert spec.kind == "bar" and not spec.stacked
    # Plotly draws the first category at the bottom, like PowerPoint: the largest comes last.
    assert spec.categories[-1] == "Home Health and Personal Care Aides"
    assert spec.categories[:2] == ("Licensed Practical and Licensed Vocationa…", ATTACK)
    (series,) = spec.series
    assert series.values[-1] == 12784.0 and series.values[:2] == (704.0, 800.0)
    assert spec.value_title == "Annual openings (people)"
    assert spec.number_format == "#,##0"
    colored = dict(zip(spec.categories, spec.point_colors, strict=True))
    assert colored["Medical Assistants"] == charts.PALETTE[1]
    assert colored["Registered Nurses"] == charts.PALETTE[0]


def test_lines_and_stacked_columns_are_native_maps_are_not() -> None:
    lines = go.Figure(
        [
            go.Scatter(
                x=["2025-01", "2025-02", "2025-03"], y=[10, 12, 11], name="postings", mode="lines"
            ),
            go.Scatter(
                x=["2025-02", "2025-03", "2025-04"], y=[5, 6, 7], name="hires", mode="lines"
            ),
        ]
    )
    spec = deck.chart_from_figure(lines)
    assert spec is not None and spec.kind == "line"
    assert spec.categories == ("2025-01", "2025-02", "2025-03", "2025-04")
    assert spec.series[1].values == (None, 5.0, 6.0, 7.0)
    stacked = go.Figure([go.Bar(x=["a", "b"], y=[1, 2]), go.Bar(x=["a", "b"], y=[3, 4])])
    stacked.update_layout(barmode="stack")
    spec = deck.chart_from_figure(stacked)
    assert spec is not None and spec.kind == "column" and spec.stacked
    assert deck.chart_from_figure(go.Figure(go.Choropleth(locations=["25025"], z=[1]))) is None
    assert deck.chart_from_figure(go.Figure(go.Scatter(x=[1], y=[2], mode="markers"))) is None


def _small_deck() -> deck.Deck:
    frame = demand_frame().sort("annual_openings")
    labels = tuple(frame["title"].to_list())
    watch = deck.Slide(
        title="Watch-list: employment and openings",
        source=SOURCE,
        headline="9,000 openings a year",
        charts=(
            deck.ChartSpec(
                "bar", labels, (deck.Series("Employment", tuple(frame["base_employment"])),)
            ),
            deck.ChartSpec(
                "bar", labels, (deck.Series("Openings", tuple(frame["annual_openings"])),)
            ),
        ),
        notes="Registered Nurses: 3,540 openings a year.",
    )
    scatter = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], mode="markers"))
    scatter.update_layout(title_text="A chart with no native form")
    image = deck.Slide(title="Map", source=SOURCE, figure=scatter)
    return deck.Deck(
        title="Greater Boston: where the openings are",
        subtitle="Labor-market demand",
        date=date(2026, 11, 22),
        vintages=("BLS OEWS: May 2025",),
        slides=(
            deck.slide_from_figure(_openings_figure(), notes="Method: openings."),
            watch,
            image,
        ),
        sources=("U.S. Bureau of Labor Statistics: OEWS — May 2025.",),
        footer=SOURCE,
    )


def _no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "find_browser", lambda: None)
    monkeypatch.setitem(images._state, "browser", None)


def test_deck_has_native_charts_sources_on_every_slide_and_notes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _no_browser(monkeypatch)  # image slides fall back to a note; native charts need no browser
    prs = Presentation(io.BytesIO(deck.build_pptx(_small_deck())))
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    assert len(prs.slides) == 5
    native = [s for slide in prs.slides for s in slide.shapes if s.has_chart]
    assert len(native) == 3
    for slide in prs.slides:
        footer = [s for s in slide.shapes if s.name == "Source footer"]
        assert len(footer) == 1 and footer[0].text_frame.text.startswith("Source")
        assert footer[0].top >= Emu(Inches(6.6))
    watch = prs.slides[2]
    assert "3,540" in watch.notes_slide.notes_text_frame.text
    placeholder = [s for s in prs.slides[3].shapes if s.name == "Image unavailable"]
    assert placeholder and "Chromium" in placeholder[0].text_frame.text
    closing = prs.slides[-1]
    texts = " ".join(s.text_frame.text for s in closing.shapes if s.has_text_frame)
    assert "O*NET 27.0 Database" in texts and "CC BY 4.0" in texts


def _workbook_cells(chart_shape: object) -> list[openpyxl.cell.cell.Cell]:
    blob = chart_shape.chart.part.chart_workbook.xlsx_part.blob  # type: ignore[attr-defined]
    sheet = openpyxl.load_workbook(io.BytesIO(blob)).worksheets[0]
    return [c for row in sheet.iter_rows() for c in row if c.value is not None]


def test_formula_title_is_plain_text_in_the_chart_workbook(monkeypatch: pytest.MonkeyPatch) -> None:
    _no_browser(monkeypatch)
    prs = Presentation(io.BytesIO(deck.build_pptx(_small_deck())))
    charts_found = [s for slide in prs.slides for s in slide.shapes if s.has_chart]
    for shape in charts_found:
        cells = _workbook_cells(shape)
        assert all(c.data_type != "f" for c in cells)
        attack = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
        assert len(attack) == 1
        assert attack[0].data_type == "s" and attack[0].value == "'" + ATTACK
        assert "'" + ATTACK in list(shape.chart.plots[0].categories)


@pytest.mark.slow  # starts a browser
@pytest.mark.skipif(images.find_browser() is None, reason="no Chrome/Chromium on this machine")
def test_image_slide_uses_a_png_when_a_browser_is_present() -> None:
    prs = Presentation(io.BytesIO(deck.build_pptx(_small_deck())))
    pictures = [s for s in prs.slides[3].shapes if s.name == "Chart image"]
    assert len(pictures) == 1
    assert pictures[0].image.content_type == "image/png"
    assert pictures[0].image.size[0] >= 3000  # drawn at twice the slide resolution


def test_region_deck_from_the_snapshot(reference: Path, tmp_path: Path) -> None:
    out = workflows.build_deck("greater-boston", tmp_path / "greater-boston.pptx")
    prs = Presentation(str(out))
    # Title, openings, watch-list, gaps, pathways, sources.
    assert len(prs.slides) == 6
    native = [s for slide in prs.slides for s in slide.shapes if s.has_chart]
    assert len(native) >= 3
    for slide in prs.slides:
        footer = [s for s in slide.shapes if s.name == "Source footer"]
        assert len(footer) == 1 and "Source" in footer[0].text_frame.text
    title = " ".join(s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)
    assert "Greater Boston" in title and "May 2025" in title and "2024–34" in title
    # The employment chart of the watch-list: OEWS May 2025, Boston-Cambridge-Newton MSA,
    # Registered Nurses = 64,240 (bls/oews_may2025_ma_il_mi_national.csv).
    employment = prs.slides[2].shapes
    chart = next(s.chart for s in employment if s.has_chart)
    values = dict(zip(chart.plots[0].categories, chart.plots[0].series[0].values, strict=True))
    assert values["Registered Nurses"] == 64240
    assert values["Medical Assistants"] == 10750
    notes = prs.slides[2].notes_slide.notes_text_frame.text
    assert "Registered Nurses (29-1141)" in notes and "64,240 employed" in notes
    assert "separations" in notes
    closing = " ".join(s.text_frame.text for s in prs.slides[-1].shapes if s.has_text_frame)
    assert "O*NET 27.0 Database" in closing and "bls.gov" in closing


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice (soffice) and poppler-utils (pdftoppm) are needed",
)
def test_libreoffice_renders_the_deck(reference: Path, tmp_path: Path) -> None:
    out = workflows.build_deck("greater-boston", tmp_path / "greater-boston.pptx")
    artifacts = ROOT / "artifacts" / "deck"
    artifacts.mkdir(parents=True, exist_ok=True)
    for old in artifacts.glob("greater-boston*"):
        old.unlink()
    shutil.copy(out, artifacts / out.name)
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
         "--convert-to", "pdf", "--outdir", str(artifacts), str(out)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = artifacts / "greater-boston.pdf"
    assert pdf.stat().st_size > 10_000
    subprocess.run(
        ["pdftoppm", "-r", "110", "-png", str(pdf), str(artifacts / "greater-boston")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    pages = sorted(artifacts.glob("greater-boston-*.png"))
    assert len(pages) == 6
