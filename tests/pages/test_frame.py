"""The frame: sections, the shared sidebar (region, watch-list, meeting mode), links that reopen a view,
and meeting mode paged one chart at a time (Streamlit AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import workflows

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")

pytestmark = pytest.mark.app

PAGES = [
    "overview",
    "meeting",
    "deck",
    "demand",
    "gaps",
    "training",
    "pathways",
    "outcomes",
    "vacancies",
    "sources",
]


@pytest.fixture(scope="module")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('wh') / 'warehouse.sqlite'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GAPBOARD_WAREHOUSE_URL", url)
        workflows.load_samples(if_empty=True)
    return url


@pytest.fixture()
def samples(sample_warehouse: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAPBOARD_WAREHOUSE_URL", sample_warehouse)


@pytest.fixture()
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAPBOARD_WAREHOUSE_URL", f"sqlite:///{tmp_path / 'warehouse.sqlite'}")


def _open(page: str = "overview", **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in params.items():
        at.query_params[name] = value
    if page != "overview":
        at.switch_page(f"views/{page}.py")
    return at.run()


def test_sections_are_the_questions_a_meeting_asks() -> None:
    text = Path(APP).read_text(encoding="utf-8")
    sections = [
        "Overview",
        "Demand",
        "Gaps",
        "Training",
        "Pathways",
        "Outcomes",
        "Vacancies",
        "Sources",
    ]
    positions = [text.index(f'    "{name}": [') for name in sections]
    assert positions == sorted(positions)
    for page in PAGES:
        assert f'"views/{page}.py"' in text


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_the_samples(samples: None, page: str) -> None:
    at = _open(page, region="southeast-michigan")
    assert not at.exception, at.exception
    assert at.title, "every page has a heading"
    assert not at.error, [e.value for e in at.error]
    assert at.sidebar.radio(key="sidebar_region").value == "southeast-michigan"
    if page in ("overview", "meeting", "demand", "gaps", "training", "pathways", "outcomes"):
        assert at.get("plotly_chart"), f"{page} draws a chart"


@pytest.mark.parametrize("page", ["outcomes", "deck", "vacancies", "demand"])
def test_pages_without_member_data_say_what_to_do(empty: None, page: str) -> None:
    at = _open(page, region="greater-boston")
    assert not at.exception
    told = " ".join(i.value for i in at.info)
    assert "Upload" in told or "Add to deck" in told or "data/samples" in told, told


def test_watch_list_starts_from_the_region_default(empty: None) -> None:
    at = _open(region="southeast-michigan")
    assert at.sidebar.multiselect(key="sidebar_watchlist").value[:3] == [
        "31-1131",
        "31-9092",
        "31-9093",
    ]
    boston = _open(region="greater-boston")
    assert boston.sidebar.multiselect(key="sidebar_watchlist").value[:3] == [
        "19-4021",
        "19-4031",
        "51-9061",
    ]
    # The default is not written into the link: only a changed list is.
    assert "watchlist" not in boston.query_params


def test_changing_region_updates_the_page_the_link_and_the_watch_list(empty: None) -> None:
    at = _open(region="greater-boston")
    before = at.metric[0].value
    at.sidebar.radio(key="sidebar_region").set_value("southeast-michigan").run()
    assert not at.exception
    assert at.title[0].value.startswith("Southeast Michigan")
    assert at.metric[0].value != before
    assert at.query_params["region"] == "southeast-michigan"
    assert "31-9093" in at.sidebar.multiselect(key="sidebar_watchlist").value


def test_changing_the_watch_list_changes_the_numbers_and_the_link(empty: None) -> None:
    at = _open(region="southeast-michigan")
    full = at.metric[2].value
    at.sidebar.multiselect(key="sidebar_watchlist").set_value(["31-9093"]).run()
    assert not at.exception
    assert at.metric[2].value != full
    assert "(1 occupations)" in at.metric[2].label or "1 occupation" in at.metric[2].label
    assert at.query_params["watchlist"] == "31-9093"


def test_a_link_reopens_region_watch_list_and_page_choices(empty: None) -> None:
    at = _open("demand", region="chicagoland", watchlist="31-9097,29-1141", occupation="29-2052")
    assert not at.exception
    assert at.sidebar.radio(key="sidebar_region").value == "chicagoland"
    assert at.sidebar.multiselect(key="sidebar_watchlist").value == ["31-9097", "29-1141"]
    assert at.selectbox(key="demand_soc").value == "29-2052"
    assert at.query_params["occupation"] == "29-2052"
    # Choosing another occupation writes it into the link.
    at.selectbox(key="demand_soc").set_value("31-9097").run()
    assert at.query_params["occupation"] == "31-9097"


def test_a_link_with_unknown_codes_keeps_the_known_ones(empty: None) -> None:
    at = _open(region="southeast-michigan", watchlist="31-9093,99-9999,=cmd")
    assert not at.exception
    assert at.sidebar.multiselect(key="sidebar_watchlist").value == ["31-9093"]


def test_the_pathways_link_names_its_occupation(empty: None) -> None:
    at = _open("pathways", region="greater-boston", pathways_soc="29-2052")
    assert not at.exception
    assert at.selectbox(key="pathways_occupation").value == "29-2052"


def test_meeting_mode_from_a_link_pages_one_chart_at_a_time(samples: None) -> None:
    at = _open("overview", region="southeast-michigan", meeting="1")
    assert not at.exception
    assert at.sidebar.toggle(key="sidebar_meeting").value is True
    charts = at.get("plotly_chart")
    assert len(charts) == 1  # one chart a screen
    texts = " ".join(h.value for h in at.get("html"))
    assert "slide 1 of 6" in texts
    assert "gb-headline" in texts
    assert at.button(key="meeting_prev").disabled
    titles = [at.title[0].value]
    for k in range(2, 7):
        at.button(key="meeting_next").click().run()
        assert not at.exception
        assert f"slide {k} of 6" in " ".join(h.value for h in at.get("html"))
        assert len(at.get("plotly_chart")) == 1
        assert at.query_params["slide"] == str(k)
        titles.append(at.title[0].value)
    assert len(set(titles)) == 6  # openings, gap, training, pathways, outcomes, postings
    assert at.button(key="meeting_next").disabled
    at.button(key="meeting_prev").click().run()
    assert "slide 5 of 6" in " ".join(h.value for h in at.get("html"))
    # Leaving meeting mode brings the sidebar back and drops it from the link.
    at.button(key="meeting_leave").click().run()
    assert not at.exception
    assert at.sidebar.toggle(key="sidebar_meeting").value is False
    assert "meeting" not in at.query_params


def test_meeting_mode_skips_slides_without_data_and_says_so(empty: None) -> None:
    at = _open("meeting", region="greater-boston")
    assert not at.exception
    note = " ".join(c.value for c in at.caption)
    assert "Not shown" in note and "placements" in note and "postings" in note
    assert "slide 1 of 4" in " ".join(h.value for h in at.get("html"))


def test_the_meeting_switch_hides_the_sidebar(samples: None) -> None:
    at = _open("gaps", region="southeast-michigan")
    assert "stSidebar" not in " ".join(
        h.value for h in at.get("html") if "display: none" in h.value
    )
    at.sidebar.toggle(key="sidebar_meeting").set_value(True).run()
    assert not at.exception
    styles = " ".join(h.value for h in at.get("html"))
    assert '[data-testid="stSidebar"]' in styles and "display: none" in styles
    assert at.query_params["meeting"] == "1"
    assert "slide 1 of" in styles
