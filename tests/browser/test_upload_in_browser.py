"""A member uploads a feed in the browser: mapping shown, rows stored, bad rows set aside with reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FEED = Path(__file__).resolve().parents[1] / "fixtures" / "feeds" / "vacancies_rules_broken.csv"


def test_upload_stores_good_rows_and_sets_bad_ones_aside(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/vacancies", wait_until="domcontentloaded")
    page.get_by_text("Upload member data").first.wait_for(timeout=60_000)
    member = page.get_by_role("textbox", name="Your organization (member name)")
    member.fill("Test Health System")
    member.press("Enter")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(FEED))
    page.get_by_text("1. Check the columns").wait_for(timeout=60_000)
    page.get_by_role("button", name="Store these rows").click()
    page.get_by_text("3. Result").wait_for(timeout=120_000)
    page.wait_for_timeout(1000)
    assert page.locator('[data-testid="stException"]').count() == 0
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "Rows set aside" in text
    assert "Download CSV" in text and "Download Excel" in text
    page.screenshot(path=str(ARTIFACTS / "upload.png"), full_page=True)
