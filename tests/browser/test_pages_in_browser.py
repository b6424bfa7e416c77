"""Open each page of a running server in headless Chromium: no exception box, charts drawn, screenshots.

Screenshots go to artifacts/screenshots/ (git-ignored), one per page and screen size, for a person
to look at the way a room would see them.
"""

from __future__ import annotations

import pytest

from bench import load
from bench.app import SIDEBAR_REGIONS
from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# (path and query, screenshot name, heading text, charts expected)
PAGES = [
    ("?region=greater-boston", "overview", "where the openings are", True),
    ("demand?region=southeast-michigan", "demand", "demand by occupation", True),
    ("gaps?region=southeast-michigan", "gaps", "where training falls short", True),
    ("training?region=chicagoland", "training", "who trains for these jobs", True),
    ("pathways?region=greater-boston", "pathways", "Career pathways", True),
    ("outcomes?region=southeast-michigan", "outcomes", "Trainee outcomes", True),
    ("vacancies", "upload", "Send a file", False),
    ("deck", "deck", "Slide deck", False),
    ("sources", "sources", "Sources and vintages", False),
    ("meeting?region=southeast-michigan", "meeting-page", "where the openings are", True),
]


def _selected(box) -> str:  # type: ignore[no-untyped-def]
    """The text a select box shows: its value is drawn as text or held in its search input."""
    inputs = box.locator("input")
    typed = inputs.first.input_value() if inputs.count() else ""
    return (
        box.inner_text()
        + " "
        + typed
        + " "
        + (inputs.first.get_attribute("aria-label") or "" if inputs.count() else "")
    )


def _shows(box, text: str, timeout_s: float = 30.0) -> str:  # type: ignore[no-untyped-def]
    """Wait until a select box shows `text` (its own script may load after the page's chart);
    return what it shows then, or at the timeout."""
    import time

    deadline = time.monotonic() + timeout_s
    while text not in (shown := _selected(box)) and time.monotonic() < deadline:
        box.page.wait_for_timeout(100)
    return shown


def _no_error_box(page) -> None:  # type: ignore[no-untyped-def]
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0


def _settled(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the script has finished and no element is still a loading placeholder."""
    page.wait_for_function(load.IDLE, timeout=60_000)
    page.wait_for_timeout(500)


@pytest.mark.parametrize(("path", "name", "heading", "charts"), PAGES)
def test_page_renders_without_error(
    server: str, screen, path: str, name: str, heading: str, charts: bool
) -> None:  # type: ignore[no-untyped-def]
    size, page = screen
    page.goto(f"{server}/{path}", wait_until="domcontentloaded")
    page.get_by_text(heading).first.wait_for(timeout=60_000)
    if charts:
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1200)
        # A drawn chart has marks (bars, lines, dots, county shapes), not only an empty frame.
        assert page.locator(".js-plotly-plot .trace path").count() > 0
    page.wait_for_timeout(1200)
    _settled(page)
    _no_error_box(page)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"))
    page.screenshot(path=str(ARTIFACTS / f"{name}-{size}-full.png"), full_page=True)


def test_the_page_shell_preloads_the_chart_module_the_chart_then_uses(server: str, page) -> None:  # type: ignore[no-untyped-def]
    """serve.py's server names Streamlit's own chart module in the shell; the browser fetches it
    once, from there, and draws the chart with it."""
    from ui import preload

    href = preload.chart_module_href()
    assert href is not None
    shell = page.request.get(f"{server}/demand?region=greater-boston")
    assert shell.ok and preload.preload_tag(href).decode() in shell.text()
    module = href.removeprefix("./")
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if r.url.endswith(module) else None)
    page.goto(f"{server}/?region=greater-boston", wait_until="commit")
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=60_000)
    assert asked == [f"{server}/{module}"]
    _no_error_box(page)


def test_meeting_mode_pages_through_slides_with_no_sidebar(server: str, screen) -> None:  # type: ignore[no-untyped-def]
    size, page = screen
    page.goto(f"{server}/?region=southeast-michigan&meeting=1", wait_until="domcontentloaded")
    page.get_by_text("slide 1 of 6").wait_for(timeout=60_000)
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=60_000)
    assert "/meeting" in page.url and "meeting=1" in page.url
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.locator('[data-testid="stHeader"]').is_visible()
    # The chart fills most of the screen's height, and the headline number is large.
    height = page.viewport_size["height"]
    box = page.locator(".st-key-meeting_chart").bounding_box()
    assert box and box["height"] > 0.55 * height and box["y"] + box["height"] <= height
    headline = page.locator(".gb-headline").first
    assert float(headline.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 60
    _no_error_box(page)
    for k in range(1, 7):
        page.get_by_text(f"slide {k} of 6").wait_for(timeout=60_000)
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=60_000)
        page.wait_for_timeout(800)
        assert page.locator(".js-plotly-plot").count() == 1
        _no_error_box(page)
        page.screenshot(path=str(ARTIFACTS / f"meeting-{k}-{size}.png"))
        if k < 6:
            page.get_by_role("button", name="Next").click()
    assert "slide=6" in page.url
    page.get_by_role("button", name="Exit").click()
    page.locator('[data-testid="stSidebar"]').wait_for(state="visible", timeout=60_000)
    assert "meeting=1" not in page.url


def test_a_deep_link_reopens_the_same_view(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(
        f"{server}/demand?region=chicagoland&watchlist=31-9097,29-1141&occupation=29-2052",
        wait_until="domcontentloaded",
    )
    page.get_by_text("Chicagoland: demand by occupation").wait_for(timeout=60_000)
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=60_000)
    main = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first
    assert "(29-2052)" in _shows(main, "(29-2052)")
    sidebar = page.locator('[data-testid="stSidebar"]')
    regions = page.locator(SIDEBAR_REGIONS).first
    assert regions.get_by_role("radio", name="Chicagoland", exact=True).is_checked()
    chips = sidebar.locator('[data-testid="stMultiSelect"]').inner_text()
    assert "31-9097" in chips and "29-1141" in chips and "31-9092" not in chips
    _no_error_box(page)
    page.screenshot(path=str(ARTIFACTS / "deep-link-demand.png"))


def test_region_in_url_reopens_the_same_view(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/?region=chicagoland", wait_until="domcontentloaded")
    page.get_by_text("Chicagoland: where the openings are").wait_for(timeout=60_000)
    page.locator(".js-plotly-plot .bars").first.wait_for(timeout=60_000)
    _no_error_box(page)


def test_choosing_a_region_in_the_sidebar_updates_page_and_link(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/", wait_until="domcontentloaded")
    page.get_by_text("Greater Boston: where the openings are").wait_for(timeout=60_000)
    regions = page.locator(SIDEBAR_REGIONS).first
    regions.get_by_text("Southeast Michigan", exact=True).click()
    page.get_by_text("Southeast Michigan: where the openings are").wait_for(timeout=60_000)
    assert "region=southeast-michigan" in page.url
    chips = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').inner_text()
    assert "31-9093" in chips  # the new region's watch-list
    _no_error_box(page)
