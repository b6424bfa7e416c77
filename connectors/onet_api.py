"""O*NET Web Services (API v2): one occupation's overview, for codes newer than the shipped database.

The service authenticates with an `X-API-Key` header, reports caller errors (unknown or
obsolete codes, missing data) as HTTP 422 with `{"error": "..."}`, and throttles clients above
about 5 requests a second, so every call here waits its turn on a process-wide limiter.
The key is never logged and is scrubbed from every message raised.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import requests

from connectors import http
from connectors.errors import SourceError

BASE_URL = "https://api-v2.onetcenter.org/"
LABEL = "O*NET Web Services"
MAX_REQUESTS_PER_SECOND = 5.0
_CODE = re.compile(r"^\d{2}-\d{4}(\.\d{2})?$")
_REDACTED = "[API key removed]"


class RateLimiter:
    """Spaces calls at least 1/rate seconds apart across threads (a client-side throttle)."""

    def __init__(
        self,
        rate_per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / rate_per_second
        self.clock = clock
        self.sleep = sleep
        self._next = float("-inf")
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Return once this call may go out, sleeping if the previous one was too recent."""
        with self._lock:
            now = self.clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self.sleep(start - now)


THROTTLE = RateLimiter(MAX_REQUESTS_PER_SECOND)


def occupation_url(code: str) -> str:
    """Return the v2 overview URL of an O*NET-SOC code ("29-1141" is read as "29-1141.00")."""
    return f"{BASE_URL}online/occupations/{quote(_onet_code(code))}/"


def fetch_onet_occupation(session: requests.Session, code: str, api_key: str) -> dict[str, Any]:
    """Return the O*NET Web Services overview of one occupation as the service's JSON object."""
    if not api_key:
        raise SourceError(f"{LABEL}: no API key; set GAPBOARD_ONET_API_KEY (free registration)")
    url = occupation_url(code)
    THROTTLE.wait()
    try:
        response = http.fetch_response(
            session,
            "GET",
            url,
            LABEL,
            headers={"X-API-Key": api_key, "Accept": "application/json"},
        )
    except SourceError as exc:
        raise SourceError(_scrub(str(exc), api_key)) from None
    if response.status_code == 422:
        raise SourceError(
            f"{LABEL} refused {_onet_code(code)}: {_scrub(_error_text(response), api_key)}"
        )
    if response.status_code in (401, 403):
        raise SourceError(
            f"{LABEL} did not accept the API key (HTTP {response.status_code}); "
            "check GAPBOARD_ONET_API_KEY"
        )
    try:
        http.check_status(response, LABEL)
        payload = response.json()
    except SourceError as exc:
        raise SourceError(_scrub(str(exc), api_key)) from None
    except ValueError:
        raise SourceError(f"{LABEL}: {url} answered with a body that is not JSON") from None
    if not isinstance(payload, dict):
        raise SourceError(f"{LABEL}: {url} answered with JSON that is not an object")
    return payload


def parse_onet_overview(payload: dict[str, Any]) -> dict[str, Any]:
    """Return code, soc_code, title, description, reported_titles (list) and job_zone (int or None)."""
    code = str(payload.get("code") or "").strip()
    if not _CODE.match(code):
        raise SourceError(f"{LABEL}: occupation overview without a valid O*NET-SOC code ({code!r})")
    return {
        "code": code,
        "soc_code": code[:7],
        "title": _clean(payload.get("title")),
        "description": _clean(payload.get("description")),
        "reported_titles": _reported_titles(payload),
        "job_zone": _job_zone(payload.get("job_zone")),
    }


def _onet_code(code: str) -> str:
    text = code.strip()
    if not _CODE.match(text):
        raise SourceError(
            f"{LABEL}: {code!r} is not an O*NET-SOC code (expected like 29-1141 or 29-1141.00)"
        )
    return text if "." in text else f"{text}.00"


def _reported_titles(payload: dict[str, Any]) -> list[str]:
    # v1.9 wrote {"sample_of_reported_job_titles": {"title": [...]}}; v2 lists titles directly,
    # as strings or as {"title": ...} objects. Accept each so a vintage change is not an outage.
    raw = payload.get("sample_of_reported_titles", payload.get("sample_of_reported_job_titles"))
    if isinstance(raw, dict):
        raw = raw.get("title", [])
    titles = []
    for item in raw or []:
        text = (item.get("title") or item.get("name")) if isinstance(item, dict) else item
        cleaned = _clean(text)
        if cleaned:
            titles.append(cleaned)
    return titles


def _job_zone(value: Any) -> int | None:
    if isinstance(value, dict):
        value = value.get("code", value.get("value"))
    try:
        zone = int(value)
    except (TypeError, ValueError):
        return None
    return zone if 1 <= zone <= 5 else None


def _error_text(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("error"):
        return str(body["error"])
    return " ".join(response.text.split())[:200] or "no error text"


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _scrub(text: str, api_key: str) -> str:
    return text.replace(api_key, _REDACTED) if api_key else text
