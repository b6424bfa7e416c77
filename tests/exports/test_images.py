"""Slide-sized chart images through kaleido and the system Chromium; a clear error without one."""

import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

import charts
from connectors.errors import UserError
from exports import images
from tests.exports.conftest import ATTACK, demand_frame

SOURCE = (
    "Source: U.S. Bureau of Labor Statistics, Employment Projections program, Employment Projections "
    "2024–34, tables 1.2 and 1.10 (2024–34 projections (released 2025)); U.S. Bureau of Labor "
    "Statistics, OEWS program, Occupational Employment and Wage Statistics, May 2025."
)
ROOT = Path(__file__).resolve().parents[2]
# The first image starts a browser (3–8 s), so these are marked slow.
no_browser = pytest.mark.skipif(
    images.find_browser() is None, reason="no Chrome/Chromium on this machine"
)


def needs_browser(test: Callable[..., None]) -> Callable[..., None]:
    return pytest.mark.slow(no_browser(test))


def _figure() -> object:
    return charts.openings_bars(demand_frame(), title="Top occupations by openings", source=SOURCE)


@needs_browser
def test_png_is_slide_sized_at_scale_1_and_2() -> None:
    png = images.to_png(_figure())
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (1920, 1080)
    with Image.open(io.BytesIO(images.to_png(_figure(), scale=2))) as image:
        assert image.size == (3840, 2160)


@needs_browser
def test_svg_parses_and_carries_title_source_and_labels_as_text() -> None:
    svg = images.to_svg(_figure())
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert (root.get("width"), root.get("height")) == ("1920", "1080")
    text = " ".join(t for t in root.itertext())
    assert "Top occupations by openings" in text
    assert "Source: U.S. Bureau of Labor Statistics" in text  # the source line is in the image
    assert "12,784" in text and "Registered Nurses" in text
    assert ATTACK in text  # drawn as text in an image: nothing evaluates it


@needs_browser
def test_write_image_picks_the_format_from_the_suffix(tmp_path: Path) -> None:
    out = images.write_image(_figure(), tmp_path / "chart.svg")
    assert out.read_bytes().startswith(b"<svg")
    with pytest.raises(UserError, match=r"\.gif"):
        images.write_image(_figure(), tmp_path / "chart.gif")


def test_source_line_is_wrapped_and_pinned_below_the_axis_title() -> None:
    laid = images.slide_layout(_figure(), 1280, 720)
    (note,) = [a for a in laid["layout"]["annotations"] if a["text"].startswith("Source")]
    assert note["text"].count("<br>") >= 1
    assert note["text"].replace("<br>", " ") == SOURCE
    assert note["yanchor"] == "bottom"
    assert laid["layout"]["margin"]["b"] == -note["yshift"] + 12
    assert "height" not in laid["layout"]


def test_no_browser_is_a_clear_user_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    monkeypatch.setitem(images._state, "browser", None)
    assert images.find_browser() is None
    with pytest.raises(images.ExportUnavailable, match="apt-get install chromium") as caught:
        images.to_png(_figure())
    assert isinstance(caught.value, UserError)
    assert "BROWSER_PATH=/nonexistent/chromium is not an executable file" in str(caught.value)


def test_a_browser_that_dies_at_start_fails_fast_instead_of_hanging() -> None:
    # A fresh process, so this process's own browser (if any) is not the one that fails.
    code = (
        "from exports import images\n"
        "import plotly.graph_objects as go\n"
        "try:\n"
        "    images.to_png(go.Figure())\n"
        "except images.ExportUnavailable as exc:\n"
        "    print('unavailable:', exc)\n"
    )
    env = {**os.environ, "BROWSER_PATH": "/bin/false"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert "unavailable: the browser at /bin/false did not start" in done.stdout, done.stderr
