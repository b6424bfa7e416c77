"""BLS Public Data API v2: time series (OEWS, CES, JOLTS, ...) as one long typed frame.

The API takes at most 50 series and 20 years per query with a registration key (25 series and
10 years without), and reports refusals inside an HTTP 200 body (`status:
REQUEST_NOT_PROCESSED`, `message: [...]`), so the status is checked on every answer. The
registration key travels only in the POST body and is scrubbed from every message this
module logs or raises.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any

import polars as pl
import requests

from analytics.schemas import BlsApiSeriesSchema
from connectors import http
from connectors.errors import SourceError

log = logging.getLogger(__name__)

API_URL = "https://api.bls.gov/publicAPI/v2/timeseries/data/"
LABEL = "BLS API"
# (series per query, years per query): registered key, and without one.
LIMITS_WITH_KEY = (50, 20)
LIMITS_WITHOUT_KEY = (25, 10)
SUCCEEDED = "REQUEST_SUCCEEDED"
MISSING_VALUE = "-"  # BLS prints a dash where a value is not available
_REDACTED = "[registration key removed]"


def fetch_bls_series(
    session: requests.Session,
    series_ids: list[str],
    start_year: int,
    end_year: int,
    api_key: str | None,
) -> pl.DataFrame:
    """Return every observation of the series in [start_year, end_year] in BlsApiSeriesSchema."""
    ids = list(dict.fromkeys(s.strip().upper() for s in series_ids if s and s.strip()))
    if not ids:
        return BlsApiSeriesSchema.empty()
    if start_year > end_year:
        raise SourceError(f"{LABEL}: start year {start_year} is after end year {end_year}")
    max_series, max_years = LIMITS_WITH_KEY if api_key else LIMITS_WITHOUT_KEY
    rows: list[dict[str, Any]] = []
    for batch in _chunks(ids, max_series):
        for first, last in year_windows(start_year, end_year, max_years):
            log.info(
                "%s: %d series, %d-%d (%s)",
                LABEL,
                len(batch),
                first,
                last,
                "registered" if api_key else "unregistered",
            )
            body: dict[str, Any] = {
                "seriesid": batch,
                "startyear": str(first),
                "endyear": str(last),
            }
            if api_key:
                body["registrationkey"] = api_key
            payload = _post(session, body, api_key)
            rows.extend(_rows(payload, api_key))
    return parse_bls_rows(rows)


def parse_bls_response(payload: dict[str, Any]) -> pl.DataFrame:
    """Return the observations of one API answer in BlsApiSeriesSchema (SourceError if refused)."""
    return parse_bls_rows(_rows(payload, None))


def parse_bls_rows(rows: Sequence[dict[str, Any]]) -> pl.DataFrame:
    """Return raw observation rows (series_id, year, period, ...) typed in BlsApiSeriesSchema."""
    if not rows:
        return BlsApiSeriesSchema.empty()
    raw = pl.DataFrame(
        rows,
        schema={
            "series_id": pl.String,
            "year": pl.String,
            "period": pl.String,
            "period_name": pl.String,
            "value": pl.String,
            "footnotes": pl.String,
        },
    )
    value_text = pl.col("value").str.strip_chars().str.replace_all(",", "")
    month = (
        pl.when(pl.col("period").str.contains(r"^M(0[1-9]|1[0-2])$"))
        .then(pl.col("period").str.slice(1, 2))
        .otherwise(None)
    )
    frame = raw.with_columns(
        pl.col("year").str.strip_chars().cast(pl.Int16, strict=False),
        value_text.cast(pl.Float64, strict=False).alias("value"),
        (pl.col("year").str.strip_chars() + "-" + month + "-01")
        .str.to_date("%Y-%m-%d", strict=False)
        .alias("date"),
        value_text.alias("_value_text"),
    )
    unreadable = frame.filter(
        pl.col("value").is_null()
        & pl.col("_value_text").is_not_null()
        & (pl.col("_value_text") != MISSING_VALUE)
        & (pl.col("_value_text") != "")
    )
    if unreadable.height:
        example = unreadable.row(0, named=True)
        log.warning(
            "%s: %d value(s) are not numbers and were kept as missing, e.g. %r in %s %s %s",
            LABEL,
            unreadable.height,
            example["_value_text"],
            example["series_id"],
            example["year"],
            example["period"],
        )
    if frame["year"].null_count():
        bad = frame.filter(pl.col("year").is_null())["series_id"][0]
        raise SourceError(f"{LABEL}: series {bad} has an observation without a readable year")
    frame = frame.sort("series_id", "year", "period")
    return BlsApiSeriesSchema.validate(frame)


def year_windows(start_year: int, end_year: int, max_years: int) -> list[tuple[int, int]]:
    """Return consecutive (first, last) year windows of at most max_years covering the range."""
    return [
        (first, min(first + max_years - 1, end_year))
        for first in range(start_year, end_year + 1, max_years)
    ]


def scrub(text: str, api_key: str | None) -> str:
    """Return text with the registration key replaced, so it can be logged or raised."""
    return text.replace(api_key, _REDACTED) if api_key else text


def _post(session: requests.Session, body: dict[str, Any], api_key: str | None) -> dict[str, Any]:
    try:
        payload = http.fetch_json(session, "POST", API_URL, LABEL, json=body)
    except SourceError as exc:
        # `from None`: the chained requests exception carries the request, and with it the key.
        raise SourceError(scrub(str(exc), api_key)) from None
    if not isinstance(payload, dict):
        raise SourceError(f"{LABEL}: {API_URL} answered with JSON that is not an object")
    return payload


def _rows(payload: dict[str, Any], api_key: str | None) -> list[dict[str, Any]]:
    status = payload.get("status")
    messages = [scrub(str(m), api_key) for m in payload.get("message") or []]
    if status != SUCCEEDED:
        said = "; ".join(messages) or "no message"
        raise SourceError(
            f"{LABEL} did not process the request (status {status}): {said}. "
            "Check the series ids, the years and GAPBOARD_BLS_API_KEY."
        )
    for message in messages:
        log.warning("%s: %s", LABEL, message)
    results = payload.get("Results") or {}
    # The live API answers with an object holding `series`; the documentation shows a list.
    blocks = results if isinstance(results, list) else [results]
    return [
        {
            "series_id": str(series.get("seriesID", "")).strip(),
            "year": _text(item.get("year")),
            "period": _text(item.get("period")),
            "period_name": _text(item.get("periodName")),
            "value": _text(item.get("value")),
            "footnotes": _footnotes(item.get("footnotes")),
        }
        for block in blocks
        for series in (block or {}).get("series") or []
        for item in series.get("data") or []
    ]


def _footnotes(notes: Any) -> str | None:
    texts = [
        str(note.get("text")).strip()
        for note in notes or []
        if isinstance(note, dict) and note.get("text")
    ]
    return "; ".join(texts) or None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
