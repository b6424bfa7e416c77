"""The BLS API refusing a request inside an HTTP 200 body, over a real loopback socket.

The registration key travels in the POST body (the server below sees it), and must appear in no
message, log line or chained traceback that the failure produces.
"""

from __future__ import annotations

import json
import logging
import threading
import traceback
from collections.abc import Iterator
from http import server as http_server
from typing import Any

import pytest

from connectors import bls_api, http
from connectors.errors import SourceError

KEY = "fa17c0de5ecre7fa17c0de5ecre7fa17"
REFUSED = {
    "status": "REQUEST_NOT_PROCESSED",
    "responseTime": 12,
    "message": [
        "Request could not be serviced, as the daily threshold for total number of requests "
        "allocated to the user has been reached.",
        f"Key {KEY} is over its quota.",
    ],
    "Results": {},
}


def _succeeded(series_ids: list[str]) -> dict[str, Any]:
    return {
        "status": "REQUEST_SUCCEEDED",
        "responseTime": 10,
        "message": [],
        "Results": {
            "series": [
                {"seriesID": s, "data": [{"year": "2024", "period": "M01", "value": "1.0"}]}
                for s in series_ids
            ]
        },
    }


class _Api(http_server.BaseHTTPRequestHandler):
    """Answers the first `ok` posts with data, then refuses; records every body."""

    bodies: list[dict[str, Any]] = []
    ok = 0

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).bodies.append(body)
        answer = _succeeded(body["seriesid"]) if len(self.bodies) <= self.ok else REFUSED
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[_Api]]:
    handler = type("Api", (_Api,), {"bodies": [], "ok": 0})
    srv = http_server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(bls_api, "API_URL", f"http://127.0.0.1:{srv.server_address[1]}/v2/")
    yield handler
    srv.shutdown()
    srv.server_close()


def _everything_said(caught: pytest.ExceptionInfo[SourceError], log: str) -> str:
    chain = "".join(traceback.format_exception(caught.value))
    return "\n".join([str(caught.value), repr(caught.value), chain, log])


def test_refusal_in_a_200_body_is_a_clear_failure_without_the_key(
    api: type[_Api], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(SourceError) as caught:
        bls_api.fetch_bls_series(http.build_session(), ["CEU6562000101"], 2017, 2019, KEY)
    assert api.bodies[0]["registrationkey"] == KEY  # the key did travel, in the body
    message = str(caught.value)
    assert message.startswith("BLS API did not process the request (status REQUEST_NOT_PROCESSED)")
    assert "daily threshold" in message and "GAPBOARD_BLS_API_KEY" in message
    assert "[registration key removed]" in message
    assert KEY not in _everything_said(caught, caplog.text)
    assert len(api.bodies) == 1  # a refusal is an answer: not retried


def test_a_refusal_after_a_good_batch_returns_nothing_partial(
    api: type[_Api], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    api.ok = 1
    ids = [f"CEU65620001{i:02d}" for i in range(60)]  # 60 series: two posts of 50 and 10
    with pytest.raises(SourceError, match="REQUEST_NOT_PROCESSED") as caught:
        bls_api.fetch_bls_series(http.build_session(), ids, 2024, 2024, KEY)
    assert [len(b["seriesid"]) for b in api.bodies] == [50, 10]
    assert KEY not in _everything_said(caught, caplog.text)
