"""One HTTP session for every publisher and job board: timeouts, retries (POST too), a User-Agent.

BLS rejects scripted requests without a descriptive User-Agent, the BLS API is queried with
POST (which urllib3 does not retry unless told), and publishers answer 429/503 with a
Retry-After header when busy. Everything that goes over the network goes through here so
those rules hold in one place, and every failure becomes a SourceError that names the URL.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from tqdm import tqdm
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ReadTimeoutError,
)
from urllib3.util.retry import Retry

import settings
from connectors.errors import SourceError

# (connect, read) seconds: a publisher that accepts the connection but sends nothing for a
# minute is down, and a refresh must fall back to the last good snapshot rather than hang.
DEFAULT_TIMEOUT: tuple[float, float] = (10.0, 60.0)
RETRY_STATUSES = (429, 500, 502, 503, 504)
RETRY_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "POST"})
RETRIES = 4
BACKOFF_FACTOR = 1.0  # waits 0, 2, 4, 8 s between tries (urllib3 doubles from the second retry)
# A Retry-After of an hour (a spent daily quota) should fail the refresh, not freeze it.
MAX_RETRY_AFTER = 60.0
CHUNK_BYTES = 1 << 16


class _CappedRetry(Retry):
    """urllib3 Retry that honours Retry-After but never waits longer than MAX_RETRY_AFTER."""

    def get_retry_after(self, response: Any) -> float | None:
        seconds = super().get_retry_after(response)
        if seconds is None:
            return None
        return min(seconds, MAX_RETRY_AFTER)


class _TimeoutAdapter(HTTPAdapter):
    """HTTPAdapter that applies a default (connect, read) timeout to requests that set none."""

    def __init__(self, timeout: tuple[float, float], **kwargs: Any) -> None:
        self.default_timeout = timeout
        super().__init__(**kwargs)

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: None | float | tuple[float, float] | tuple[float, None] = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        return super().send(
            request,
            stream=stream,
            timeout=self.default_timeout if timeout is None else timeout,
            verify=verify,
            cert=cert,
            proxies=proxies,
        )


def user_agent(contact_email: str) -> str:
    """Return the User-Agent Gapboard sends: product, version, purpose and a contact address."""
    return f"Gapboard/{_version()} (+labor-market dashboard; contact: {contact_email})"


def build_session(contact_email: str | None = None) -> requests.Session:
    """Return a requests.Session with default timeouts, retries (incl. POST) and Gapboard's User-Agent."""
    retry = _CappedRetry(
        total=RETRIES,
        connect=RETRIES,
        read=RETRIES,
        status=RETRIES,
        backoff_factor=BACKOFF_FACTOR,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=RETRY_METHODS,
        respect_retry_after_header=True,
        # Hand the last 5xx/429 back instead of raising, so the error can say what it was.
        raise_on_status=False,
    )
    adapter = _TimeoutAdapter(DEFAULT_TIMEOUT, max_retries=retry)
    session = requests.Session()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = user_agent(contact_email or settings.contact_email())
    return session


def fetch_response(
    session: requests.Session, method: str, url: str, label: str, **kwargs: Any
) -> requests.Response:
    """Return the service's response (any status), or raise SourceError if none arrived."""
    try:
        return session.request(method, url, **kwargs)
    except requests.RequestException as exc:
        raise SourceError(f"{label}: {method} {url} failed: {failure_reason(exc)}") from exc


def fetch_json(session: requests.Session, method: str, url: str, label: str, **kwargs: Any) -> Any:
    """Return the decoded JSON body of a successful (2xx) response, or raise SourceError."""
    response = fetch_response(session, method, url, label, **kwargs)
    check_status(response, label)
    try:
        return response.json()
    except ValueError as exc:
        raise SourceError(
            f"{label}: {url} answered HTTP {response.status_code} but the body is not JSON "
            f"({_snippet(response.text)!r})"
        ) from exc


def check_status(response: requests.Response, label: str) -> None:
    """Return None for a 2xx response; raise SourceError naming the URL and status otherwise."""
    if response.ok:
        return
    status = f"HTTP {response.status_code}" + (f" {response.reason}" if response.reason else "")
    retried = " after retrying" if response.status_code in RETRY_STATUSES else ""
    detail = _snippet(response.text)
    message = f"{label}: {response.url} answered {status}{retried}"
    raise SourceError(f"{message}: {detail}" if detail else message)


def fetch_file(
    session: requests.Session, url: str, dest: Path, label: str, progress: bool = True
) -> Path:
    """Download url to dest atomically (temp file + os.replace) and return dest; SourceError on failure."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            written, expected = _stream(session, url, out, label, progress)
            out.flush()
            os.fsync(out.fileno())
        if written == 0:
            raise SourceError(f"{label}: {url} sent an empty file; {dest.name} was left as it was")
        if expected is not None and written != expected:
            raise SourceError(
                f"{label}: {url} sent {written:,} of {expected:,} bytes (connection cut); "
                f"{dest.name} was left as it was"
            )
        os.replace(tmp, dest)
    except SourceError:
        tmp.unlink(missing_ok=True)
        raise
    except (requests.RequestException, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise SourceError(
            f"{label}: download of {url} failed: {failure_reason(exc)}; "
            f"{dest.name} was left as it was"
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest


def failure_reason(exc: BaseException) -> str:
    """Return a one-line reason for a network failure (timeout, refused connection, retries spent)."""
    # After urllib3's retries, a read timeout arrives as a ConnectionError around MaxRetryError.
    cause = _retried_cause(exc)
    if isinstance(cause, NewConnectionError):  # a subclass of ConnectTimeoutError in urllib3
        kind = "connection failed"
    elif isinstance(exc, requests.ConnectTimeout) or isinstance(cause, ConnectTimeoutError):
        kind = "could not connect in time"
    elif isinstance(exc, requests.ReadTimeout) or isinstance(cause, ReadTimeoutError):
        kind = "no answer in time"
    elif isinstance(exc, requests.exceptions.RetryError):
        kind = "gave up after retrying"
    elif isinstance(exc, requests.exceptions.ChunkedEncodingError):
        kind = "connection cut mid-download"
    elif isinstance(exc, requests.exceptions.SSLError):
        kind = "TLS/SSL error"
    elif isinstance(exc, requests.ConnectionError):
        kind = "connection failed"
    elif isinstance(exc, OSError) and not isinstance(exc, requests.RequestException):
        kind = "could not write the file"
    else:
        kind = type(exc).__name__
    text = _first_line(str(cause if cause is not None else exc))
    return f"{kind} ({text})" if text else kind


def _retried_cause(exc: BaseException) -> BaseException | None:
    """Return the last error urllib3 met before giving up (inside a MaxRetryError), if any."""
    inner = exc.args[0] if exc.args else None
    return inner.reason if isinstance(inner, MaxRetryError) and inner.reason else None


def _stream(
    session: requests.Session, url: str, out: Any, label: str, progress: bool
) -> tuple[int, int | None]:
    """Write the body of url to out; return (bytes written, Content-Length when it counts bytes)."""
    with fetch_response(session, "GET", url, label, stream=True) as response:
        check_status(response, label)
        length = response.headers.get("Content-Length")
        # With gzip/deflate, Content-Length counts compressed bytes, not what iter_content yields.
        encoded = response.headers.get("Content-Encoding", "identity").lower() != "identity"
        expected = int(length) if length and length.isdigit() and not encoded else None
        written = 0
        with tqdm(
            total=expected,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            desc=label,
            file=sys.stderr,
            disable=not progress,
            leave=False,
        ) as bar:
            for chunk in response.iter_content(CHUNK_BYTES):
                if chunk:
                    out.write(chunk)
                    written += len(chunk)
                    bar.update(len(chunk))
    return written, expected


def _version() -> str:
    try:
        return metadata.version("gapboard")
    except metadata.PackageNotFoundError:
        return "dev"


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _snippet(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
