"""Meeting decks as PowerPoint files: a title slide, one slide per chart, a closing sources slide.

Charts go in as native PowerPoint charts wherever the chart type allows (horizontal bars, columns,
clustered or stacked, lines), so a convener can restyle them or read the numbers behind them in
PowerPoint; anything else (maps) goes in as a PNG drawn at twice slide resolution. Every slide has
its source and vintage in a footer text box and its key numbers and method in the speaker notes.

A slide is described by a `Slide` (title, headline, charts or a figure, source, notes); a deck is
a `Deck` of slides plus the title-slide facts and the closing sources. Adding a slide to the
standard deck means building one more `Slide`. `chart_from_figure` turns a Plotly bar or line
figure into a `ChartSpec`, so any figure the app shows can be added to a deck as a native chart.

Every category label and series name passes through `tables.neutralize` before it reaches the
workbook python-pptx embeds behind each chart (XlsxWriter writes text beginning with "=" as a
formula).
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from charts.template import PALETTE
from connectors.onet import ONET_ATTRIBUTION
from connectors.postings import INDEED_ATTRIBUTION
from exports import images
from exports.tables import neutralize

SLIDE_WIDTH = Inches(13.333)
SLIDE_HEIGHT = Inches(7.5)
FONT = "Arial"  # present (or metric-compatible) wherever the deck is opened
INK = RGBColor(0x11, 0x11, 0x11)
MUTED = RGBColor(0x44, 0x44, 0x44)
ACCENT = RGBColor.from_string(PALETTE[0].lstrip("#"))
GRID = RGBColor(0xD9, 0xDC, 0xE0)

MARGIN = Inches(0.5)
CONTENT_WIDTH = Emu(SLIDE_WIDTH - 2 * MARGIN)
FOOTER_TOP = Inches(6.72)
FOOTER_HEIGHT = Inches(0.62)
CHART_BOTTOM = Inches(6.6)

# BLS asks for a citation and a disclaimer; the other U.S. Government sources are public domain.
PUBLIC_DOMAIN_NOTE = (
    "BLS, NCES and Census data are U.S. Government works in the public domain. BLS cannot vouch for "
    "the data or analyses derived from these data after they have been retrieved from BLS.gov."
)
ATTRIBUTIONS = (ONET_ATTRIBUTION, INDEED_ATTRIBUTION, PUBLIC_DOMAIN_NOTE)

NEEDS_BROWSER = (
    "This chart is drawn as an image, which needs Chrome or Chromium on the machine that builds the "
    "deck: " + images.HOW_TO_INSTALL + "."
)


@dataclass(frozen=True)
class Series:
    """One series of a native chart: a name, one value per category, an optional colour (#RRGGBB)."""

    name: str
    values: tuple[float | None, ...]
    color: str | None = None


@dataclass(frozen=True)
class ChartSpec:
    """A native chart: "bar" (horizontal), "column" or "line", clustered or stacked.

    Categories of a "bar" chart run bottom to top, as in Plotly: put the largest last to show it
    at the top. `point_colors` colours the bars of a single series one by one (highlights).
    """

    kind: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    stacked: bool = False
    title: str = ""
    value_title: str = ""
    number_format: str = "#,##0"
    point_colors: tuple[str | None, ...] = ()
    labels: bool = True

    def __post_init__(self) -> None:
        if self.kind not in ("bar", "column", "line"):
            raise ValueError(f"unknown chart kind {self.kind!r}")
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(
                    f"series {s.name!r} has {len(s.values)} values for "
                    f"{len(self.categories)} categories"
                )


@dataclass(frozen=True)
class Slide:
    """One chart slide: its charts side by side (native), or else its figure as an image."""

    title: str
    source: str
    headline: str = ""
    charts: tuple[ChartSpec, ...] = ()
    figure: go.Figure | None = None
    notes: str = ""
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Deck:
    """A meeting deck: title-slide facts, the chart slides, and the closing sources.

    `sources` are the closing slide's lines (one per publisher release); `notes` go with the title
    slide, `closing_notes` with the sources slide (e.g. every dataset in the snapshot).
    """

    title: str
    subtitle: str
    date: date
    vintages: tuple[str, ...]
    slides: tuple[Slide, ...]
    sources: tuple[str, ...]
    footer: str
    attributions: tuple[str, ...] = (ONET_ATTRIBUTION, PUBLIC_DOMAIN_NOTE)
    notes: str = ""
    closing_notes: str = ""


# --- from a Plotly figure ----------------------------------------------------------------------


def chart_from_figure(fig: go.Figure) -> ChartSpec | None:
    """Return a native chart spec for a figure of bars or lines, or None when it has to be an image."""
    traces = list(fig.data)
    if not traces:
        return None
    if all(t.type == "bar" for t in traces):
        horizontal = all((t.orientation or "v") == "h" for t in traces)
        if not horizontal and any((t.orientation or "v") == "h" for t in traces):
            return None
        kind = "bar" if horizontal else "column"
    elif all(t.type == "scatter" and "lines" in (t.mode or "lines") for t in traces):
        horizontal, kind = False, "line"
    else:
        return None
    pairs = []
    for trace in traces:
        cats = _seq(trace.y if horizontal else trace.x)
        vals = _seq(trace.x if horizontal else trace.y)
        if not cats or len(cats) != len(vals):
            return None
        pairs.append(([_category(c) for c in cats], [_number(v) for v in vals]))
    categories: list[str] = []
    for cats, _ in pairs:
        categories.extend(c for c in cats if c not in categories)
    series = []
    point_colors: tuple[str | None, ...] = ()
    for i, (trace, (cats, vals)) in enumerate(zip(traces, pairs, strict=True)):
        by_cat = dict(zip(cats, vals, strict=True))
        color = _trace_color(trace)
        if color is None and len(traces) == 1:
            marker_colors = (
                _seq(getattr(trace.marker, "color", None)) if trace.type == "bar" else []
            )
            if len(marker_colors) == len(cats):
                point_colors = tuple(
                    str(by_color) if isinstance(by_color, str) else None
                    for by_color in _reorder(marker_colors, cats, categories)
                )
        series.append(
            Series(
                name=str(trace.name or _axis_title(fig, "x" if horizontal else "y") or "Value"),
                values=tuple(by_cat.get(c) for c in categories),
                color=color or PALETTE[i % len(PALETTE)],
            )
        )
    axis = fig.layout.xaxis if horizontal else fig.layout.yaxis
    tickformat = str(axis.tickformat or "")
    values = [v for s in series for v in s.values if v is not None]
    if "%" in tickformat:
        number_format = "0%"
    elif all(float(v).is_integer() for v in values) or (values and min(map(abs, values)) >= 100):
        number_format = "#,##0"
    else:
        number_format = "#,##0.0"
    barmode = fig.layout.barmode or "group"
    return ChartSpec(
        kind=kind,
        categories=tuple(categories),
        series=tuple(series),
        stacked=kind != "line" and barmode in ("stack", "relative"),
        value_title=_axis_title(fig, "x" if horizontal else "y"),
        number_format=number_format,
        point_colors=point_colors,
        labels=len(categories) <= 20 and len(series) <= 3,
    )


def slide_from_figure(fig: go.Figure, notes: str = "", headline: str = "") -> Slide:
    """Return a slide for a figure: its title, its source line in the footer, native when possible."""
    title = str(fig.layout.title.text or "") if fig.layout.title else ""
    source = ""
    for note in fig.layout.annotations or ():
        text = str(note.text or "")
        if text.startswith(images.SOURCE_PREFIXES):
            source = text.replace("<br>", " ")
    spec = chart_from_figure(fig)
    return Slide(
        title=_plain(title),
        source=source,
        headline=headline,
        charts=(spec,) if spec else (),
        figure=None if spec else fig,
        notes=notes,
    )


# --- writing the file --------------------------------------------------------------------------


def build_pptx(deck: Deck) -> bytes:
    """Return the deck as .pptx bytes (16:9): title slide, chart slides, closing sources slide."""
    prs = Presentation()
    prs.slide_width = SLIDE_WIDTH
    prs.slide_height = SLIDE_HEIGHT
    blank = prs.slide_layouts[6]
    _title_slide(prs.slides.add_slide(blank), deck)
    total = len(deck.slides) + 2
    for number, spec in enumerate(deck.slides, start=2):
        _chart_slide(prs.slides.add_slide(blank), spec, number, total)
    _sources_slide(prs.slides.add_slide(blank), deck, total)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def write_deck(deck: Deck, out: Path) -> Path:
    """Write the deck to out (a .pptx file, replaced atomically) and return the path."""
    data = build_pptx(deck)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, out)
    return out


def _title_slide(slide: Any, deck: Deck) -> None:
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(0.28), SLIDE_HEIGHT)
    band.fill.solid()
    band.fill.fore_color.rgb = ACCENT
    band.line.fill.background()
    band.shadow.inherit = False
    band.name = "Accent"
    _text(
        slide,
        "Title",
        deck.title,
        Inches(0.9),
        Inches(1.7),
        Inches(11.6),
        Inches(1.3),
        size=40,
        bold=True,
        anchor=MSO_ANCHOR.BOTTOM,
    )
    _text(
        slide,
        "Subtitle",
        deck.subtitle,
        Inches(0.9),
        Inches(3.05),
        Inches(11.6),
        Inches(0.7),
        size=24,
        color=MUTED,
    )
    _text(
        slide,
        "Date",
        f"{deck.date.day} {deck.date:%B %Y}",
        Inches(0.9),
        Inches(3.8),
        Inches(11.6),
        Inches(0.5),
        size=18,
        color=MUTED,
    )
    box = _text(
        slide,
        "Data vintages",
        "Data",
        Inches(0.9),
        Inches(4.6),
        Inches(11.6),
        Inches(1.9),
        size=16,
        bold=True,
        color=INK,
    )
    for line in deck.vintages:
        _paragraph(box.text_frame, line, size=15, color=MUTED)
    _footer(slide, deck.footer, None, 0)
    if deck.notes:
        slide.notes_slide.notes_text_frame.text = deck.notes


def _chart_slide(slide: Any, spec: Slide, number: int, total: int) -> None:
    title_size = _fit_size([spec.title], CONTENT_WIDTH, Inches(0.85), (28, 26, 24, 22))
    _text(
        slide,
        "Title",
        spec.title,
        MARGIN,
        Inches(0.3),
        CONTENT_WIDTH,
        Inches(0.85),
        size=title_size,
        bold=True,
        anchor=MSO_ANCHOR.BOTTOM,
    )
    top = Emu(Inches(1.2))
    if spec.headline:
        size = _fit_size([spec.headline], CONTENT_WIDTH, Inches(0.72), (20, 18, 16))
        lines = _line_count([spec.headline], CONTENT_WIDTH, size)
        box_height = Emu(int(Pt(size * 1.25 * lines) + Inches(0.1)))
        _text(
            slide,
            "Headline",
            spec.headline,
            MARGIN,
            top,
            CONTENT_WIDTH,
            box_height,
            size=size,
            color=ACCENT,
        )
        top = Emu(top + box_height + Inches(0.08))
    else:
        top = Emu(top + Inches(0.1))
    if spec.bullets:
        box = _text(
            slide,
            "Key points",
            spec.bullets[0],
            MARGIN,
            top,
            CONTENT_WIDTH,
            Inches(0.4),
            size=16,
            color=INK,
        )
        for line in spec.bullets[1:]:
            _paragraph(box.text_frame, line, size=16, color=INK)
        top = Emu(top + Inches(0.4) * len(spec.bullets))
    height = Emu(CHART_BOTTOM - top)
    if spec.charts:
        gap = Inches(0.35)
        count = len(spec.charts)
        width = Emu(int((CONTENT_WIDTH - gap * (count - 1)) / count))
        for i, chart in enumerate(spec.charts):
            left = Emu(MARGIN + i * (width + gap))
            _native_chart(slide, chart, left, top, width, height, single=count == 1)
    elif spec.figure is not None:
        _image(slide, spec.figure, top, height)
    _footer(slide, spec.source, number, total)
    if spec.notes:
        slide.notes_slide.notes_text_frame.text = spec.notes


def _sources_slide(slide: Any, deck: Deck, total: int) -> None:
    _text(
        slide,
        "Title",
        "Sources and attribution",
        MARGIN,
        Inches(0.3),
        CONTENT_WIDTH,
        Inches(0.85),
        size=28,
        bold=True,
        anchor=MSO_ANCHOR.BOTTOM,
    )
    notice_height = Inches(1.55)
    notice_top = Emu(FOOTER_TOP - Inches(0.15) - notice_height)
    sources_top = Inches(1.3)
    sources_height = Emu(notice_top - sources_top - Inches(0.1))
    size = _fit_size(
        deck.sources, CONTENT_WIDTH, sources_height, (16, 15, 14, 13, 12, 11, 10), spacing=5
    )
    box = _text(
        slide,
        "Sources",
        deck.sources[0] if deck.sources else "",
        MARGIN,
        sources_top,
        CONTENT_WIDTH,
        sources_height,
        size=size,
        color=INK,
    )
    for line in deck.sources[1:]:
        _paragraph(box.text_frame, line, size=size, color=INK)
    for paragraph in box.text_frame.paragraphs:
        paragraph.space_after = Pt(5)
    notice_size = _fit_size(
        deck.attributions, CONTENT_WIDTH, notice_height, (13, 12, 11, 10), spacing=4
    )
    notice = _text(
        slide,
        "Attribution",
        deck.attributions[0] if deck.attributions else "",
        MARGIN,
        notice_top,
        CONTENT_WIDTH,
        notice_height,
        size=notice_size,
        color=MUTED,
    )
    for line in deck.attributions[1:]:
        _paragraph(notice.text_frame, line, size=notice_size, color=MUTED)
    for paragraph in notice.text_frame.paragraphs:
        paragraph.space_after = Pt(4)
    _footer(
        slide,
        "Sources: as listed on this slide. Prepared with Gapboard, " + deck.date.isoformat() + ".",
        total,
        total,
    )
    notes = "\n".join((*deck.sources, *deck.attributions))
    if deck.closing_notes:
        notes += "\n\n" + deck.closing_notes
    slide.notes_slide.notes_text_frame.text = notes


def _native_chart(
    slide: Any, spec: ChartSpec, left: int, top: int, width: int, height: int, single: bool
) -> None:
    data = CategoryChartData(number_format=spec.number_format)
    data.categories = [neutralize(c) for c in spec.categories]
    for s in spec.series:
        data.add_series(neutralize(s.name), [_finite(v) for v in s.values])
    chart_type = {
        ("bar", False): XL_CHART_TYPE.BAR_CLUSTERED,
        ("bar", True): XL_CHART_TYPE.BAR_STACKED,
        ("column", False): XL_CHART_TYPE.COLUMN_CLUSTERED,
        ("column", True): XL_CHART_TYPE.COLUMN_STACKED,
        ("line", False): XL_CHART_TYPE.LINE_MARKERS,
        ("line", True): XL_CHART_TYPE.LINE_MARKERS_STACKED,
    }[(spec.kind, spec.stacked)]
    frame = slide.shapes.add_chart(chart_type, left, top, width, height, data)
    frame.name = "Chart: " + (spec.title or spec.value_title or spec.kind)[:60]
    chart = frame.chart
    chart.font.name = FONT
    chart.font.size = Pt(14 if single else 13)
    chart.font.color.rgb = INK
    if spec.title:
        chart.has_title = True
        chart.chart_title.text_frame.text = spec.title
        run = chart.chart_title.text_frame.paragraphs[0].runs[0]
        run.font.size = Pt(16)
        run.font.bold = True
    else:
        chart.has_title = False
    chart.has_legend = len(spec.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(13)

    value_axis = chart.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = GRID
    value_axis.format.line.fill.background()
    value_axis.tick_labels.number_format = spec.number_format
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.tick_labels.font.size = Pt(12)
    if spec.value_title:
        value_axis.has_title = True
        value_axis.axis_title.text_frame.text = spec.value_title
        title_run = value_axis.axis_title.text_frame.paragraphs[0].runs[0]
        title_run.font.size = Pt(13)
        title_run.font.bold = False
    category_axis = chart.category_axis
    category_axis.tick_labels.font.size = Pt(13 if single else 12)
    category_axis.format.line.color.rgb = GRID
    category_axis.has_major_gridlines = False

    plot = chart.plots[0]
    if spec.kind != "line":
        plot.gap_width = 55
        if spec.stacked:
            plot.overlap = 100
    if spec.labels:
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = spec.number_format
        labels.number_format_is_linked = False
        labels.font.size = Pt(12)
        if spec.kind != "line":
            labels.position = (
                XL_LABEL_POSITION.CENTER if spec.stacked else XL_LABEL_POSITION.OUTSIDE_END
            )
        else:
            labels.position = XL_LABEL_POSITION.ABOVE
    for s, series in zip(spec.series, plot.series, strict=True):
        color = RGBColor.from_string((s.color or PALETTE[0]).lstrip("#"))
        if spec.kind == "line":
            series.format.line.color.rgb = color
            series.format.line.width = Pt(2.75)
            series.smooth = False
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = color
            series.invert_if_negative = False
    if spec.point_colors and len(spec.series) == 1 and spec.kind != "line":
        series = plot.series[0]
        for i, point_color in enumerate(spec.point_colors):
            if point_color and point_color.startswith("#") and len(point_color) == 7:
                point = series.points[i]
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = RGBColor.from_string(point_color[1:])


def _image(slide: Any, fig: go.Figure, top: int, height: int) -> None:
    """A chart without a native form goes in as a PNG at twice the box size, title and source left to the slide."""
    width_in, height_in = CONTENT_WIDTH / 914400, height / 914400
    bare = go.Figure(fig)
    bare.update_layout(title_text="")
    bare.layout.annotations = [
        a
        for a in bare.layout.annotations or ()
        if not str(a.text or "").startswith(images.SOURCE_PREFIXES)
    ]
    bare.update_layout(margin={"t": 30, "b": 40})
    try:
        png = images.to_png(bare, scale=2, width=int(width_in * 144), height=int(height_in * 144))
    except images.ExportUnavailable:
        _text(
            slide,
            "Image unavailable",
            NEEDS_BROWSER,
            MARGIN,
            top,
            CONTENT_WIDTH,
            height,
            size=18,
            color=MUTED,
            anchor=MSO_ANCHOR.MIDDLE,
            align=PP_ALIGN.CENTER,
        )
        return
    picture = slide.shapes.add_picture(io.BytesIO(png), MARGIN, top, CONTENT_WIDTH, height)
    picture.name = "Chart image"


def _footer(slide: Any, source: str, number: int | None, total: int) -> None:
    line = slide.shapes.add_connector(
        1,
        MARGIN,
        Emu(FOOTER_TOP - Inches(0.06)),
        Emu(MARGIN + CONTENT_WIDTH),
        Emu(FOOTER_TOP - Inches(0.06)),
    )
    # Without the theme's connector style, which draws a thick accent line with a shadow.
    style = line._element.find(qn("p:style"))
    if style is not None:
        line._element.remove(style)
    line.line.color.rgb = GRID
    line.line.width = Pt(1)
    line.name = "Footer rule"
    width = Emu(CONTENT_WIDTH - (Inches(0.9) if number else 0))
    _text(
        slide,
        "Source footer",
        source,
        MARGIN,
        FOOTER_TOP,
        width,
        FOOTER_HEIGHT,
        size=11,
        color=MUTED,
    )
    if number:
        _text(
            slide,
            "Slide number",
            f"{number} / {total}",
            Emu(MARGIN + width),
            FOOTER_TOP,
            Inches(0.9),
            Inches(0.3),
            size=11,
            color=MUTED,
            align=PP_ALIGN.RIGHT,
        )


def _text(
    slide: Any,
    name: str,
    text: str,
    left: int,
    top: int,
    width: int,
    height: int,
    size: float,
    bold: bool = False,
    color: RGBColor = INK,
    anchor: Any = MSO_ANCHOR.TOP,
    align: Any = PP_ALIGN.LEFT,
) -> Any:
    box = slide.shapes.add_textbox(left, top, width, height)
    box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Inches(0.05)
    frame.margin_top = frame.margin_bottom = Inches(0.03)
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run()
    run.text = _plain(text)
    _style(run.font, size, bold, color)
    return box


def _paragraph(frame: Any, text: str, size: float, color: RGBColor, bold: bool = False) -> None:
    paragraph = frame.add_paragraph()
    run = paragraph.add_run()
    run.text = _plain(text)
    _style(run.font, size, bold, color)


def _style(font: Any, size: float, bold: bool, color: RGBColor) -> None:
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = color


# Arial's average character is about half its size wide; fitting text by that estimate keeps
# long titles and source lists inside their boxes in PowerPoint and LibreOffice alike.
_CHAR_WIDTH_EM = 0.52
_LINE_HEIGHT_EM = 1.2


def _line_count(paragraphs: Sequence[str], width: int, size: float) -> int:
    per_line = max(10, int((width - Inches(0.1)) / Pt(size * _CHAR_WIDTH_EM)))
    return sum(max(1, math.ceil(len(p) / per_line)) for p in paragraphs)


def _fit_size(
    paragraphs: Sequence[str], width: int, height: int, sizes: Sequence[float], spacing: float = 0
) -> float:
    """Return the largest of sizes (points) at which the paragraphs fit the box; else the smallest."""
    for size in sizes:
        lines = _line_count(paragraphs, width, size)
        needed = Pt(lines * size * _LINE_HEIGHT_EM + spacing * len(paragraphs)) + Inches(0.08)
        if needed <= height:
            return size
    return sizes[-1]


# --- small conversions -------------------------------------------------------------------------


def _seq(values: Any) -> list[Any]:
    if values is None or isinstance(values, str):
        return []
    try:
        return list(values)
    except TypeError:
        return []


def _category(value: Any) -> str:
    text = str(value)
    # Dates and timestamps from Plotly's x arrays: keep the day, drop a midnight time.
    if len(text) >= 19 and text[4] == "-" and text[10] in " T" and text[11:19] == "00:00:00":
        text = text[:10]
    return _plain(text)


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _finite(value: float | None) -> float | None:
    return value if value is None or math.isfinite(value) else None


def _reorder(values: Sequence[Any], cats: Sequence[str], order: Iterable[str]) -> list[Any]:
    by_cat = dict(zip(cats, values, strict=True))
    return [by_cat.get(c) for c in order]


def _trace_color(trace: Any) -> str | None:
    marker = getattr(trace, "marker", None)
    color = getattr(marker, "color", None) if marker is not None else None
    if trace.type == "scatter":
        line_color = getattr(trace.line, "color", None)
        color = line_color if isinstance(line_color, str) else color
    return color if isinstance(color, str) and color.startswith("#") and len(color) == 7 else None


def _axis_title(fig: go.Figure, axis: str) -> str:
    layout_axis = fig.layout.xaxis if axis == "x" else fig.layout.yaxis
    title = layout_axis.title.text if layout_axis.title else None
    return _plain(str(title)) if title else ""


def _plain(text: str) -> str:
    """Plotly text may carry <br> and <b> tags; slides want plain text."""
    out = text.replace("<br>", " ").replace("<br/>", " ")
    for tag in ("<b>", "</b>", "<i>", "</i>"):
        out = out.replace(tag, "")
    return out
