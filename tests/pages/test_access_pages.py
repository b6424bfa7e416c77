"""No page, download or deck shows employer A another member's raw postings (Streamlit AppTest).

Every page in views/ is rendered as employer A (local mode, "view as"); every element (text,
tables, chart JSON), every CSV/Excel download the pages offer and the deck built from the
pages' tray are searched for employer B's posting ids and a title only B uses. The same search
run as the convener finds them, so it is able to see a leak.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

import settings
import workflows
from connectors import warehouse
from tests.workflows import member_seed as seed

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = sorted(p.stem for p in (ROOT / "views").glob("*.py"))
AS_A = {"view_as": "employer", "org": seed.A}

pytestmark = pytest.mark.app


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[seed.Seed]:
    folder = tmp_path_factory.mktemp("members")
    url = f"sqlite:///{folder / 'warehouse.sqlite'}"
    mp = pytest.MonkeyPatch()
    mp.setenv("GAPBOARD_WAREHOUSE_URL", url)
    result = seed.seed_members(folder)
    for kind in ("programs", "placements"):
        workflows.ingest_feed(
            kind, settings.SAMPLES_DIR / f"{kind}_greater-boston_illustrative.csv"
        )
    yield result
    warehouse.close_warehouse(url)
    mp.undo()


@pytest.fixture()
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    """Every file a download button offers during the test: (file name, bytes or callable)."""
    offered: list[tuple[str, Any]] = []
    add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def record_add(self: Any, data: Any, mimetype: str, coordinates: str, file_name: Any = None, **kw: Any) -> str:  # fmt: skip
        offered.append((file_name or "", data))
        return add(self, data, mimetype, coordinates, file_name, **kw)

    def record_deferred(self: Any, fn: Any, mimetype: Any, coordinates: str, file_name: Any = None, **kw: Any) -> str:  # fmt: skip
        offered.append((file_name or "", fn))
        return add_deferred(self, fn, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add", record_add)
    monkeypatch.setattr(MediaFileManager, "add_deferred", record_deferred)
    return offered


def _page(name: str, params: dict[str, str], at: AppTest | None = None) -> AppTest:
    if at is None:
        at = AppTest.from_file(APP, default_timeout=120)
        for key, value in params.items():
            at.query_params[key] = value
    at.switch_page(f"views/{name}.py")
    at.run()
    assert not at.exception, (name, [e.value for e in at.exception])
    return at


def _element_text(node: Any) -> Iterator[str]:
    """Everything an element sends to the browser: its proto (chart JSON included), table cells."""
    proto = getattr(node, "proto", None)
    if proto is not None:
        yield str(proto)
    if type(node).__name__ == "Dataframe":
        yield node.value.to_csv()
    for child in getattr(node, "children", {}).values():
        yield from _element_text(child)


def _file_text(name: str, data: Any) -> str:
    raw = data() if callable(data) else data
    raw = raw.encode() if isinstance(raw, str) else bytes(raw)
    if raw[:2] == b"PK":  # xlsx, pptx: the XML parts
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            raw = b"".join(z.read(n) for n in z.namelist())
    return raw.decode("utf-8", errors="replace")


def _tables_and_decks(offered: list[tuple[str, Any]]) -> list[tuple[str, str]]:
    # PNG/SVG are drawn from the same figure JSON searched in the elements.
    return [
        (name, _file_text(name, data))
        for name, data in offered
        if name.endswith((".csv", ".xlsx", ".pptx"))
    ]


def _leaks(text: str, s: seed.Seed) -> list[str]:
    return [n for n in (*s.b_ids, seed.B_TITLE) if n in text]


@pytest.mark.parametrize("page", PAGES)
def test_no_page_shows_employer_a_another_members_postings(
    page: str, seeded: seed.Seed, downloads: list[tuple[str, Any]]
) -> None:
    at = _page(page, AS_A)
    shown = "\n".join(_element_text(at._tree))
    assert "Viewing as employer of Harbor Health" in shown
    assert _leaks(shown, seeded) == []
    for name, text in _tables_and_decks(downloads):
        assert _leaks(text, seeded) == [], name


def test_employer_a_sees_its_own_postings_and_uploads_only_for_itself(
    seeded: seed.Seed, downloads: list[tuple[str, Any]]
) -> None:
    at = _page("vacancies", AS_A)
    assert [s.value for s in at.subheader][:1] == ["Your postings"]
    own = at.dataframe[0].value
    assert sorted(own["posting_id"]) == sorted(seeded.a_ids)
    fixed = at.text_input(key="vacancies_member_fixed")
    assert fixed.value == seed.A and fixed.disabled
    assert at.selectbox(key="vacancies_kind").options == ["Vacancies (open requisitions)"]
    files = dict(_tables_and_decks(downloads))
    assert set(seeded.a_ids[:3]) <= {i for i in seeded.a_ids if i in files["postings.csv"]}


def test_the_search_finds_b_when_the_convener_looks(
    seeded: seed.Seed, downloads: list[tuple[str, Any]]
) -> None:
    # The convener sees every member's postings: the same search must find B's there, in the
    # page and in its download, or the tests above could not fail.
    at = _page("vacancies", {})
    shown = "\n".join(_element_text(at._tree))
    assert set(_leaks(shown, seeded)) >= {seed.B_TITLE, seeded.b_ids[0]}
    files = dict(_tables_and_decks(downloads))
    assert seeded.b_ids[-1] in files["postings.csv"] and seed.B_TITLE in files["postings.xlsx"]


def test_the_deck_from_employer_as_tray_carries_no_other_members_postings(
    seeded: seed.Seed, downloads: list[tuple[str, Any]]
) -> None:
    at = _page("demand", AS_A)
    assert at.get("plotly_chart")  # the members' aggregate passed the rules and is drawn
    at.button(key="demand_fan_dl_tray").click().run()
    at.button(key="demand_trend_dl_tray").click().run()
    at = _page("deck", AS_A, at)
    assert len(at.session_state["deck_tray"]) == 2
    decks = [(n, t) for n, t in _tables_and_decks(downloads) if n.endswith(".pptx")]
    assert decks, "the deck page offers a .pptx"
    for name, text in decks:
        assert "New postings a month" in text  # the members' chart is in it
        assert _leaks(text, seeded) == [], name


def test_signed_in_users_get_their_role_and_strangers_get_aggregates(seeded: seed.Seed) -> None:
    workflows.add_user("ana@harbor.org", seed.A, "employer")
    secrets = {
        "auth": {
            "redirect_uri": "http://localhost:8501/oauth2callback",
            "cookie_secret": "not-a-real-secret-but-long-enough-for-tests",
            "client_id": "gapboard",
            "client_secret": "x",
            "server_metadata_url": "https://id.example.org/.well-known/openid-configuration",
        }
    }

    def signed_in(user: dict[str, Any]) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        at.secrets = dict(secrets)
        at.user = user
        return _page("vacancies", {}, at)

    nobody = signed_in({"is_logged_in": False})
    assert any("Sign in to see" in i.value for i in nobody.info)
    assert not nobody.dataframe
    ana = signed_in({"is_logged_in": True, "email": "Ana@Harbor.org", "name": "Ana"})
    shown = "\n".join(_element_text(ana._tree))
    assert "employer of Harbor Health" in shown and "Local mode" not in shown
    assert sorted(ana.dataframe[0].value["posting_id"]) == sorted(seeded.a_ids)
    assert _leaks(shown, seeded) == []
    stranger = signed_in({"is_logged_in": True, "email": "who@nowhere.org"})
    assert any("ask your convener to add you" in w.value for w in stranger.warning)
    assert not stranger.dataframe
    assert any("aggregates only" in i.value for i in stranger.info)


def test_one_employers_cached_postings_never_serve_another(seeded: seed.Seed) -> None:
    # Same process, same warehouse version, so the same cache: only the viewer key differs.
    a = _page("vacancies", AS_A)
    assert sorted(a.dataframe[0].value["posting_id"]) == sorted(seeded.a_ids)
    b = _page("vacancies", {"view_as": "employer", "org": seed.B})
    assert sorted(b.dataframe[0].value["posting_id"]) == sorted(seeded.b_ids)
    again = _page("vacancies", AS_A)
    assert sorted(again.dataframe[0].value["posting_id"]) == sorted(seeded.a_ids)
