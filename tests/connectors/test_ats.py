import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import requests
import responses
from responses import matchers

from analytics.schemas import PublicPostingSchema
from connectors import ats, http
from connectors.errors import SourceError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ats"
GREENHOUSE = "https://boards-api.greenhouse.io/v1/boards/examplehealth/jobs"
LEVER = "https://api.lever.co/v0/postings/examplebio"


def _load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def _session() -> requests.Session:
    return http.build_session("workforce-data@consortium.example")


def _by_id(frame: pl.DataFrame) -> dict[str, dict[str, Any]]:
    return {row["posting_id"]: row for row in frame.iter_rows(named=True)}


def _lever_page(skip: int, limit: int, body: Any) -> None:
    responses.add(
        responses.GET,
        LEVER,
        json=body,
        match=[
            matchers.query_param_matcher({"mode": "json", "skip": str(skip), "limit": str(limit)})
        ],
    )


# --- Greenhouse ----------------------------------------------------------------------------------


def test_parse_greenhouse_jobs_into_the_vacancy_text_shape() -> None:
    frame = ats.parse_greenhouse_jobs(_load("greenhouse_jobs_content_true.json"), "examplehealth")
    assert frame.columns == list(PublicPostingSchema.columns)
    assert all(dtype == pl.String for dtype in frame.dtypes)
    assert frame.height == 5
    rows = _by_id(frame)

    rn = rows["4012345"]
    assert rn["title"] == "Registered Nurse - Medical/Surgical (Nights)"
    assert rn["posted_date"] == "2025-07-28"  # first_published, not the later updated_at
    assert (rn["location"], rn["city"], rn["state"]) == ("Boston, MA", "Boston", "MA")
    assert rn["employment_type"] == "Full-time"  # from the "Employment Type" custom field
    assert (rn["status"], rn["openings"]) == ("open", "1")
    assert rn["employer"] == "Example Health"
    assert rn["source"] == "greenhouse:examplehealth"
    assert rn["closed_date"] is None and rn["soc_hint"] is None

    cna = rows["4012388"]
    assert (cna["city"], cna["state"]) == ("Cambridge", "Massachusetts")  # country dropped
    assert cna["employment_type"] is None  # metadata null

    lab = rows["4012401"]
    assert lab["title"] == "Clinical Laboratory Scientist"  # stray spaces trimmed
    assert lab["posted_date"] == "2025-06-30"  # documented shape only: updated_at
    assert lab["employer"] == "examplehealth"  # no company_name: the board token
    assert lab["employment_type"] == "Part-time"

    spd = rows["4012455"]
    assert (spd["city"], spd["state"]) == ("Detroit", "MI")  # first of several locations
    assert spd["location"] == "Detroit, MI; Ann Arbor, MI"

    remote = rows["4012470"]
    assert (remote["location"], remote["city"], remote["state"]) == ("Remote", None, None)


@responses.activate
def test_fetch_greenhouse_asks_for_content_and_parses_the_board() -> None:
    responses.add(
        responses.GET,
        GREENHOUSE,
        json=_load("greenhouse_jobs_content_true.json"),
        match=[matchers.query_param_matcher({"content": "true"})],
    )
    frame = ats.fetch_greenhouse_jobs(_session(), "examplehealth")
    assert frame.height == 5
    assert frame["source"].unique().to_list() == ["greenhouse:examplehealth"]


@responses.activate
def test_unknown_greenhouse_board_says_what_to_check() -> None:
    responses.add(responses.GET, GREENHOUSE, status=404, json={"status": 404, "error": "Not found"})
    with pytest.raises(SourceError, match="board token"):
        ats.fetch_greenhouse_jobs(_session(), "examplehealth")


@responses.activate
def test_greenhouse_answer_without_jobs_is_a_source_error() -> None:
    responses.add(responses.GET, GREENHOUSE, json={"meta": {"total": 0}})
    with pytest.raises(SourceError, match="jobs"):
        ats.fetch_greenhouse_jobs(_session(), "examplehealth")


def test_empty_board_gives_an_empty_frame_with_the_columns() -> None:
    frame = ats.parse_greenhouse_jobs({"jobs": [], "meta": {"total": 0}}, "examplehealth")
    assert frame.height == 0 and frame.columns == list(PublicPostingSchema.columns)


def test_nothing_is_dropped_even_without_id_title_or_date() -> None:
    frame = ats.parse_greenhouse_jobs(
        {"jobs": [{"id": None, "title": None, "updated_at": "not a date", "location": None}]}
    )
    row = frame.row(0, named=True)
    assert row["posting_id"] is None and row["title"] is None
    assert row["posted_date"] == "not a date"  # kept, for intake to quarantine with a reason
    assert row["source"] == "greenhouse"


# --- Lever ---------------------------------------------------------------------------------------


def test_parse_lever_postings_reads_epoch_milliseconds_as_utc_dates() -> None:
    frame = ats.parse_lever_postings(_load("lever_postings_page1.json"), "examplebio")
    rows = _by_id(frame)
    gmp = rows["2f6a1c0e-3b7d-4e58-9a41-6c2d8e0b5f13"]
    assert gmp["title"] == "Manufacturing Associate I (GMP), Night Shift"
    assert gmp["posted_date"] == "2025-07-14"  # createdAt 1752498300000
    assert (gmp["city"], gmp["state"]) == ("Lexington", "Massachusetts")
    assert gmp["employment_type"] == "Full-time"
    assert (gmp["employer"], gmp["source"]) == ("examplebio", "lever:examplebio")
    assert (gmp["status"], gmp["openings"]) == ("open", "1")
    qc = rows["8c91d4b2-5e0a-47f3-b1c6-2a7e9d3f4081"]
    assert qc["posted_date"] == "2025-08-01"  # 02:30 UTC: the UTC date is kept
    assert (qc["city"], qc["state"]) == ("Boston", "MA")


@responses.activate
def test_fetch_lever_pages_with_skip_and_limit_until_a_short_page() -> None:
    _lever_page(0, 2, _load("lever_postings_page1.json"))
    _lever_page(2, 2, _load("lever_postings_page2.json"))
    frame = ats.fetch_lever_postings(_session(), "examplebio", page_size=2)
    assert frame.height == 3
    assert len(responses.calls) == 2
    crc = _by_id(frame)["d4e7a9b1-0c2f-4a63-8e15-7b9c1f2d6a40"]
    assert crc["title"] == "Clinical Research Coordinator"
    assert (crc["city"], crc["state"], crc["posted_date"]) == ("Chicago", "Illinois", "2025-09-02")
    assert crc["employment_type"] == "Part-time"


@responses.activate
def test_fetch_lever_stops_when_a_full_page_is_followed_by_an_empty_one() -> None:
    _lever_page(0, 2, _load("lever_postings_page1.json"))
    _lever_page(2, 2, [])
    frame = ats.fetch_lever_postings(_session(), "examplebio", page_size=2)
    assert frame.height == 2 and len(responses.calls) == 2


@responses.activate
def test_fetch_lever_stops_if_the_site_ignores_skip() -> None:
    page = _load("lever_postings_page1.json")
    responses.add(responses.GET, LEVER, json=page)  # same answer whatever skip says
    frame = ats.fetch_lever_postings(_session(), "examplebio", page_size=2)
    assert frame.height == 2
    assert len(responses.calls) == 2


@responses.activate
def test_unknown_lever_site_says_what_to_check() -> None:
    responses.add(
        responses.GET, LEVER, status=404, json={"ok": False, "error": "Document not found"}
    )
    with pytest.raises(SourceError, match="site name"):
        ats.fetch_lever_postings(_session(), "examplebio")


@responses.activate
def test_lever_server_errors_are_source_errors_after_retrying() -> None:
    responses.add(responses.GET, LEVER, status=502)
    with pytest.raises(SourceError, match="HTTP 502"):
        ats.fetch_lever_postings(_session(), "examplebio")


@pytest.mark.parametrize("bad", ["", "../admin", "example bio", "a/b"])
def test_board_names_are_checked_before_any_request(bad: str) -> None:
    with pytest.raises(SourceError, match="is not valid"):
        ats.fetch_lever_postings(_session(), bad)
    with pytest.raises(SourceError, match="is not valid"):
        ats.fetch_greenhouse_jobs(_session(), bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Boston, MA", ("Boston", "MA")),
        ("Ann Arbor, Michigan, United States", ("Ann Arbor", "Michigan")),
        ("Naperville, IL, USA", ("Naperville", "IL")),
        ("Worcester, MA | Remote", ("Worcester", "MA")),
        ("MA", (None, "MA")),
        ("Remote", (None, None)),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_split_location(text: str | None, expected: tuple[str | None, str | None]) -> None:
    assert ats.split_location(text) == expected
