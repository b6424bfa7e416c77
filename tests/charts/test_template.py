"""Every chart builder draws in the one house template; meeting mode enlarges type; maps survive rounding."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import polars as pl
import pytest

import charts
from charts.maps import county_layer
from charts.template import (
    LABEL_CHAR_WIDTH,
    LABEL_MARGIN_SHARE,
    PALETTE,
    SOURCE_ANNOTATION,
    meeting_look,
)

# Okabe-Ito: the colour-blind-safe palette the design names.
OKABE_ITO = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"}

DEMAND = pl.DataFrame(
    {
        "soc_code": ["31-1131", "31-9092", "29-1141"],
        "title": ["Nursing Assistants", "Medical Assistants", "Registered Nurses"],
        "annual_openings": [3208.0, 2229.0, 3297.0],
        "base_employment": [30000.0, 20000.0, 50000.0],
        "growth_pct": [2.0, 12.0, 5.0],
    }
)
GAPS = DEMAND.with_columns(
    pl.Series("annual_supply", [400.0, 700.0, 3400.0]),
).with_columns(
    (pl.col("annual_openings") - pl.col("annual_supply")).alias("gap"),
    (pl.col("annual_supply") / pl.col("annual_openings")).alias("coverage"),
)
GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": "26163",
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[-83.5, 42.0], [-83.0, 42.0], [-83.0, 42.5], [-83.5, 42.0]]],
            },
        }
    ],
}


def _figures(title: str = "t") -> dict[str, go.Figure]:
    history = pl.DataFrame({"ds": [date(2025, m, 1) for m in range(1, 13)], "y": [40.0] * 12})
    forecast = pl.DataFrame(
        {
            "ds": [date(2026, m, 1) for m in range(1, 13)],
            "yhat": [41.0] * 12,
            "lo80": [30.0] * 12,
            "hi80": [50.0] * 12,
            "lo95": [25.0] * 12,
            "hi95": [60.0] * 12,
            "model": ["ets"] * 12,
        }
    )
    trend = pl.DataFrame(
        {
            "month": [date(2024, m, 1) for m in (1, 2)] * 2,
            "index_value": [100.0, 101.0, 99.0, 98.0],
            "label": ["Nursing", "Nursing", "all postings, US", "all postings, US"],
        }
    )
    county = pl.DataFrame(
        {"county_fips": ["26163"], "county_name": ["Wayne County"], "annual_supply": [302.6]}
    )
    providers = pl.DataFrame(
        {
            "provider": ["A College"],
            "latitude": [42.2],
            "longitude": [-83.2],
            "annual_supply": [50.0],
        }
    )
    return {
        "openings": charts.openings_bars(DEMAND, title=title, source="Source: BLS."),
        "gap": charts.gap_bars(GAPS, title=title, source="Source: BLS."),
        "fan": charts.forecast_fan(history, forecast, title=title, source="Source: members."),
        "trend": charts.trend_lines(trend, title=title, source="Source: Indeed."),
        "county": charts.county_supply_map(county, GEOJSON, ["26163"], title=title, source="S."),
        "providers": charts.provider_map(providers, GEOJSON, ["26163"], title=title, source="S."),
    }


@pytest.mark.parametrize("name", list(_figures()))
def test_every_builder_uses_the_house_template_and_palette(name: str) -> None:
    fig = _figures()[name]
    assert fig.layout.template.layout.colorway == tuple(PALETTE)
    assert fig.layout.template.layout.font.size == 18
    assert {c.upper() for c in PALETTE} == {c.upper() for c in OKABE_ITO}
    sources = [a for a in fig.layout.annotations if a.name == SOURCE_ANNOTATION]
    assert len(sources) == 1 and sources[0].text


def test_every_builder_module_sets_the_template() -> None:
    # A new builder that forgets the template fails here rather than on the projector.
    from pathlib import Path

    folder = Path(charts.__file__).parent
    for path in folder.glob("*.py"):
        if path.name == "template.py":  # copies figures the builders made
            continue
        text = path.read_text(encoding="utf-8")
        assert text.count("go.Figure(") <= text.count('template="gapboard"'), path.name


def test_no_title_broken_over_lines_is_anchored_at_its_top() -> None:
    # Plotly draws a multi-line title anchored at its top a line too high: the first line lost its
    # top edge on the Gaps page. Every builder's long title keeps Plotly's own place instead.
    long = "Openings and training supply a year, Southeast Michigan (scenario)"
    for fig in _figures(long).values():
        assert "<br>" in fig.layout.title.text
        assert fig.layout.title.yanchor in (None, "auto"), fig.layout.title.text


def test_meeting_look_enlarges_type_and_leaves_the_source_to_the_slide() -> None:
    fig = charts.gap_bars(GAPS, title="Openings and supply", source="Source: BLS.")
    big = meeting_look(fig)
    assert big.layout.font.size == 24 > fig.layout.template.layout.font.size
    assert not [a for a in big.layout.annotations if a.name == SOURCE_ANNOTATION]
    assert big.layout.height is None  # the slide's container sizes it to the screen
    assert all(t.textfont.size >= 22 for t in big.data)
    # Room is made for the gap labels written after the bars.
    assert big.layout.xaxis.range[1] > fig.layout.xaxis.range[1]
    # The original figure (on the page, in the deck) is untouched.
    assert fig.layout.font.size is None and fig.layout.height


def test_the_right_margin_holds_the_longest_bar_label_share_on_page_and_slide() -> None:
    # On a narrow plot (a column at 1280 px, a meeting slide at 720p) the axis headroom alone left
    # too few pixels and "surplus 134, 104% covered" lost its end at the chart's edge.
    fig = charts.gap_bars(GAPS, title="Openings and supply", source="Source: BLS.")
    longest = max(len(t) for trace in fig.data for t in trace.text)
    assert longest >= len("gap 1,100, 12% covered")
    page_px = LABEL_CHAR_WIDTH * 18 * longest  # the template's 18 px type
    assert fig.layout.margin.r >= LABEL_MARGIN_SHARE * page_px
    big = meeting_look(fig)
    slide_px = LABEL_CHAR_WIDTH * min(t.textfont.size for t in big.data) * longest
    assert big.layout.margin.r >= LABEL_MARGIN_SHARE * slide_px > fig.layout.margin.r
    # Short value labels (the Overview's) keep the template's margin.
    openings = charts.openings_bars(DEMAND, title="t", source="Source: BLS.")
    assert openings.layout.margin.r == openings.layout.template.layout.margin.r


def test_a_county_at_the_top_of_the_scale_is_coloured() -> None:
    # 0.1 + 0.9 * v / v rounds to just above 1 for this value; the map must still draw.
    fig = go.Figure()
    value = 302.62666666666667
    county_layer(fig, GEOJSON, ["26163"], {"26163": value}, {"26163": "Wayne County"})
    assert fig.data[0].fillcolor.startswith("rgb")


def test_a_long_title_is_broken_over_lines_and_the_top_margin_grows_to_hold_it() -> None:
    long = "Annual openings by occupation, Southeast Michigan: 10-year outlook from 2024"
    fig = charts.openings_bars(DEMAND, title=long, source="BLS Employment Projections 2024-34.")
    lines = fig.layout.title.text.split("<br>")
    assert len(lines) == 2 and all(len(line) <= charts.template.TITLE_WRAP for line in lines)
    assert " ".join(lines) == long == charts.plain_title(fig)
    assert fig.layout.margin.t == 90 + 32
    short = charts.openings_bars(DEMAND, title="Annual openings", source="BLS.")
    assert short.layout.title.text == "Annual openings" and short.layout.margin.t in (None, 90)
