"""In the browser, "view as employer A" never sends employer B's postings to the page.

A server on a warehouse seeded with five employers; the local convener switches the sidebar's
"View as" to Harbor Health (employer A) and visits the pages. Everything the server sends over
the websocket (tables travel as Arrow bytes, charts as JSON) and the page's HTML are searched for
B's posting ids and title. As the convener, the same search finds them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from connectors import warehouse
from tests.browser.conftest import ARTIFACTS, serve_app
from tests.workflows import member_seed as seed

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def seeded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, seed.Seed]]:
    folder = tmp_path_factory.mktemp("members-browser")
    url = f"sqlite:///{folder / 'warehouse.sqlite'}"
    mp = pytest.MonkeyPatch()
    mp.setenv("GAPBOARD_WAREHOUSE_URL", url)
    seeded = seed.seed_members(folder)
    warehouse.close_warehouse(url)
    mp.undo()
    with serve_app({**os.environ, "GAPBOARD_WAREHOUSE_URL": url}) as base:
        yield base, seeded


def _received(page) -> list[bytes]:  # type: ignore[no-untyped-def]
    frames: list[bytes] = []

    def on_socket(ws) -> None:  # type: ignore[no-untyped-def]
        ws.on(
            "framereceived",
            lambda payload: frames.append(
                payload if isinstance(payload, bytes) else payload.encode()
            ),
        )

    page.on("websocket", on_socket)
    return frames


def _found(frames: list[bytes], html: str, needles: list[str]) -> list[str]:
    blob = b"".join(frames)
    return [n for n in needles if n.encode() in blob or n in html]


def _pick(page, label: str, option: str) -> None:  # type: ignore[no-untyped-def]
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has_text=label
    )
    box.click()
    page.get_by_role("option", name=option, exact=True).click()


def test_view_as_employer_never_receives_another_members_postings(seeded_server, page) -> None:  # type: ignore[no-untyped-def]
    base, seeded = seeded_server
    b_needles = [*seeded.b_ids, seed.B_TITLE]
    frames = _received(page)
    page.goto(f"{base}/vacancies", wait_until="domcontentloaded")
    page.get_by_text("Every member's postings").wait_for(timeout=60_000)
    page.get_by_text("Local mode — single user").wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    # The convener is sent every member's postings: the search sees B's when they are there.
    assert _found(frames, page.content(), b_needles)

    frames.clear()
    _pick(page, "View as", "employer")
    page.get_by_text("Viewing as employer of").wait_for(timeout=30_000)
    _pick(page, "Organization", seed.A)
    page.get_by_text(f"Viewing as employer of {seed.A}").wait_for(timeout=30_000)
    page.get_by_text("Your postings").wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert _found(frames, "", list(seeded.a_ids))  # A's own table did arrive
    assert _found(frames, page.content(), b_needles) == []
    fixed = page.get_by_role("textbox", name="Your organization (member name)")
    assert fixed.input_value() == seed.A and fixed.is_disabled()
    page.screenshot(path=str(ARTIFACTS / "upload-as-employer.png"), full_page=True)

    for title, heading in (
        ("Demand", "demand by occupation"),
        ("Gaps", "where training falls short"),
        ("Outcomes", "Trainee outcomes"),
        ("Slide deck", "Slide deck"),
    ):
        frames.clear()
        page.locator('[data-testid="stSidebarNav"]').get_by_role(
            "link", name=title, exact=True
        ).click()
        page.get_by_text(heading).first.wait_for(timeout=60_000)
        page.wait_for_timeout(2000)
        assert page.get_by_text(f"Viewing as employer of {seed.A}").count() == 1, title
        assert page.locator('[data-testid="stException"]').count() == 0, title
        assert _found(frames, page.content(), b_needles) == [], title
