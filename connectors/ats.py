"""Public job-board APIs many employers use (Greenhouse, Lever), read into the vacancy feed's terms.

Both APIs are public and keyless: Greenhouse lists a board's published job posts in one
answer, Lever pages through a site's postings with `skip`/`limit`. Rows come back as text in
PublicPostingSchema, like a member feed before validation, so analytics.intake applies the same
rules (and quarantines the same problems) whichever way a vacancy arrived. Nothing is dropped
here: a posting without an id or title still becomes a row, for intake to set aside with a reason.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

import polars as pl
import requests

from analytics.schemas import PublicPostingSchema
from connectors import http
from connectors.errors import SourceError

log = logging.getLogger(__name__)

GREENHOUSE_URL = "https://boards-api.greenhouse.io/v1/boards/{token}/jobs"
LEVER_URL = "https://api.lever.co/v0/postings/{site}"
LEVER_PAGE_SIZE = 100
# A healthcare system posts hundreds of jobs, not tens of thousands: stop a runaway loop.
LEVER_MAX_PAGES = 200
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_COUNTRIES = {"united states", "united states of america", "usa", "us", "u.s.", "u.s.a."}
_STATE_CODE = re.compile(r"^[A-Z]{2}$")
# Greenhouse exposes job custom fields under `metadata`; these names hold the employment type.
_EMPLOYMENT_FIELDS = {"employment type", "employment_type", "job type", "type of employment"}


def fetch_greenhouse_jobs(session: requests.Session, board_token: str) -> pl.DataFrame:
    """Return the published job posts of a Greenhouse job board in PublicPostingSchema."""
    token = _slug(board_token, "Greenhouse board token")
    url = GREENHOUSE_URL.format(token=quote(token))
    label = f"Greenhouse board {token}"
    response = http.fetch_response(session, "GET", url, label, params={"content": "true"})
    if response.status_code == 404:
        raise SourceError(
            f"Greenhouse has no public job board {token!r} ({url}); check the board token "
            "(the name after boards.greenhouse.io/ in the careers page address)"
        )
    payload = _json(response, label)
    if not isinstance(payload, dict) or not isinstance(payload.get("jobs"), list):
        raise SourceError(f"{label}: {url} answered without a `jobs` list")
    return parse_greenhouse_jobs(payload, token)


def parse_greenhouse_jobs(
    payload: Mapping[str, Any], board_token: str | None = None
) -> pl.DataFrame:
    """Return a Greenhouse `GET /v1/boards/{token}/jobs` answer as text rows in PublicPostingSchema."""
    source = f"greenhouse:{board_token}" if board_token else "greenhouse"
    rows = []
    for job in payload.get("jobs") or []:
        location = _text((job.get("location") or {}).get("name"))
        city, state = split_location(location)
        posted = job.get("first_published") or job.get("updated_at")
        rows.append(
            _row(
                posting_id=_text(job.get("id")),
                title=_text(job.get("title")),
                posted_date=_iso_date(posted),
                employment_type=_metadata_value(job.get("metadata"), _EMPLOYMENT_FIELDS),
                location=location,
                city=city,
                state=state,
                employer=_text(job.get("company_name")) or board_token,
                source=source,
            )
        )
    return _frame(rows)


def fetch_lever_postings(
    session: requests.Session, company: str, page_size: int = LEVER_PAGE_SIZE
) -> pl.DataFrame:
    """Return every published posting of a Lever site (all pages) in PublicPostingSchema."""
    site = _slug(company, "Lever site name")
    url = LEVER_URL.format(site=quote(site))
    label = f"Lever site {site}"
    postings: list[dict[str, Any]] = []
    seen: set[str] = set()
    previous: list[Any] | None = None
    skip = 0
    for _ in range(LEVER_MAX_PAGES):
        params = {"mode": "json", "skip": str(skip), "limit": str(page_size)}
        response = http.fetch_response(session, "GET", url, label, params=params)
        if response.status_code == 404:
            raise SourceError(
                f"Lever has no postings site {site!r} ({url}); check the site name "
                "(the name after jobs.lever.co/ in the careers page address)"
            )
        page = _json(response, label)
        if not isinstance(page, list):
            raise SourceError(f"{label}: {url} answered with something other than a list")
        if page == previous:  # the same page again: the site ignores `skip`
            break
        fresh = [p for p in page if isinstance(p, dict) and _new_id(p.get("id"), seen)]
        if len(fresh) < len(page):
            log.warning(
                "%s: %d repeated or malformed posting(s) skipped", label, len(page) - len(fresh)
            )
        postings.extend(fresh)
        if len(page) < page_size:  # a short page is the last one
            break
        previous = page
        skip += len(page)
    else:
        log.warning("%s: stopped after %d pages of %d", label, LEVER_MAX_PAGES, page_size)
    return parse_lever_postings(postings, site)


def parse_lever_postings(
    payload: Sequence[Mapping[str, Any]], company: str | None = None
) -> pl.DataFrame:
    """Return Lever `GET /v0/postings/{site}?mode=json` postings as text rows in PublicPostingSchema."""
    source = f"lever:{company}" if company else "lever"
    rows = []
    for posting in payload:
        categories = posting.get("categories") or {}
        location = _text(categories.get("location"))
        city, state = split_location(location)
        rows.append(
            _row(
                posting_id=_text(posting.get("id")),
                title=_text(posting.get("text")),
                posted_date=_epoch_ms_date(posting.get("createdAt")),
                employment_type=_text(categories.get("commitment")),
                location=location,
                city=city,
                state=state,
                employer=company,
                source=source,
            )
        )
    return _frame(rows)


def split_location(text: str | None) -> tuple[str | None, str | None]:
    """Return (city, state) from board location text ("Boston, MA", "Cambridge, Massachusetts, United States")."""
    if not text:
        return None, None
    # Multi-location posts list several places; the first is the one the post is filed under.
    first = re.split(r"[;|]", text)[0]
    parts = [p.strip() for p in first.split(",") if p.strip()]
    while len(parts) > 1 and parts[-1].lower() in _COUNTRIES:
        parts.pop()
    if len(parts) >= 2:
        return parts[-2], parts[-1]
    if len(parts) == 1 and _STATE_CODE.match(parts[0]):
        return None, parts[0]
    return None, None


def _new_id(posting_id: Any, seen: set[str]) -> bool:
    """True for a posting not met on an earlier page (postings without an id always count)."""
    if posting_id is None:
        return True
    key = str(posting_id)
    if key in seen:
        return False
    seen.add(key)
    return True


def _row(**values: str | None) -> dict[str, str | None]:
    row: dict[str, str | None] = dict.fromkeys(PublicPostingSchema.columns)
    row.update(status="open", openings="1")
    row.update(values)
    return row


def _frame(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    if not rows:
        return PublicPostingSchema.empty()
    frame = pl.DataFrame(rows, schema=dict.fromkeys(PublicPostingSchema.columns, pl.String))
    return PublicPostingSchema.validate(frame)


def _json(response: requests.Response, label: str) -> Any:
    http.check_status(response, label)
    try:
        return response.json()
    except ValueError:
        raise SourceError(
            f"{label}: {response.url} answered with a body that is not JSON"
        ) from None


def _slug(value: str, what: str) -> str:
    text = (value or "").strip()
    if not _SLUG.match(text):
        raise SourceError(f"{what} {value!r} is not valid: use letters, digits, '.', '_' or '-'")
    return text


def _iso_date(value: Any) -> str | None:
    """ISO date of an ISO timestamp in the poster's own offset; unreadable text kept as given."""
    text = _text(value)
    if text is None:
        return None
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return text


def _epoch_ms_date(value: Any) -> str | None:
    if value is None or value == "":
        return None
    try:
        return datetime.fromtimestamp(int(value) / 1000, tz=UTC).date().isoformat()
    except (TypeError, ValueError, OverflowError, OSError):
        return str(value)


def _metadata_value(metadata: Any, names: set[str]) -> str | None:
    for field in metadata or []:
        if isinstance(field, dict) and str(field.get("name", "")).strip().lower() in names:
            value = field.get("value")
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value if v)
            return _text(value)
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None
