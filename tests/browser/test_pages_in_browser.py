"""Open each page of a running server in headless Chromium: no exception box, a chart, a screenshot."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = [
    ("", "overview", "where the openings are"),
    ("demand?region=southeast-michigan", "demand", "demand by occupation"),
    ("gaps?region=southeast-michigan", "gaps", "where training falls short"),
    ("training?region=chicagoland", "training", "who trains for these jobs"),
    ("sources", "sources", "Sources and vintages"),
]


@pytest.mark.parametrize(("path", "name", "heading"), PAGES)
def test_page_renders_without_error(server: str, page, path: str, name: str, heading: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/{path}", wait_until="domcontentloaded")
    page.get_by_text(heading).first.wait_for(timeout=60_000)
    if name in ("overview", "demand", "gaps", "training"):
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_region_in_url_reopens_the_same_view(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/?region=chicagoland", wait_until="domcontentloaded")
    page.get_by_text("Chicagoland: where the openings are").wait_for(timeout=60_000)
    page.locator(".js-plotly-plot .bars").first.wait_for(timeout=60_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(ARTIFACTS / "overview-chicagoland.png"), full_page=True)


def test_choosing_a_region_in_the_sidebar_updates_page_and_link(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/", wait_until="domcontentloaded")
    page.get_by_text("Greater Boston: where the openings are").wait_for(timeout=60_000)
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Southeast Michigan").click()
    page.get_by_text("Southeast Michigan: where the openings are").wait_for(timeout=60_000)
    assert "region=southeast-michigan" in page.url
    assert page.locator('[data-testid="stException"]').count() == 0
