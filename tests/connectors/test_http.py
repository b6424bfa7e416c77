from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import responses
from responses import registries
from urllib3.response import HTTPResponse

from connectors import http
from connectors.errors import SourceError

URL = "https://download.bls.gov/pub/time.series/oe/oe.area"
API = "https://api.bls.gov/publicAPI/v2/timeseries/data/"


def _session() -> requests.Session:
    return http.build_session("workforce-data@consortium.example")


@responses.activate
def test_user_agent_names_product_version_and_contact_address() -> None:
    responses.add(responses.GET, URL, json={"ok": True})
    http.fetch_json(_session(), "GET", URL, "OEWS areas")
    agent = responses.calls[0].request.headers["User-Agent"]
    assert agent.startswith("Gapboard/0.1.0 (")
    assert "labor-market dashboard" in agent
    assert "contact: workforce-data@consortium.example" in agent


def test_contact_address_defaults_to_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAPBOARD_CONTACT_EMAIL", "hr-analytics@hospital.example")
    agent = http.build_session().headers["User-Agent"]
    assert isinstance(agent, str) and agent.endswith("contact: hr-analytics@hospital.example)")


@responses.activate(registry=registries.OrderedRegistry)
def test_get_is_retried_on_503_then_succeeds() -> None:
    responses.add(responses.GET, URL, status=503)
    responses.add(responses.GET, URL, status=503)
    responses.add(responses.GET, URL, json={"rows": 3})
    assert http.fetch_json(_session(), "GET", URL, "OEWS areas") == {"rows": 3}
    assert len(responses.calls) == 3


@responses.activate(registry=registries.OrderedRegistry)
def test_post_is_retried_too() -> None:
    responses.add(responses.POST, API, status=503)
    responses.add(responses.POST, API, status=502)
    responses.add(responses.POST, API, json={"status": "REQUEST_SUCCEEDED"})
    body = http.fetch_json(_session(), "POST", API, "BLS API", json={"seriesid": ["X"]})
    assert body == {"status": "REQUEST_SUCCEEDED"}
    assert [c.request.method for c in responses.calls] == ["POST"] * 3
    assert all(c.request.body == b'{"seriesid": ["X"]}' for c in responses.calls)


@responses.activate
def test_gives_up_after_the_retries_with_a_source_error() -> None:
    responses.add(responses.POST, API, status=503, body="Service Unavailable")
    with pytest.raises(SourceError) as caught:
        http.fetch_json(_session(), "POST", API, "BLS API", json={})
    message = str(caught.value)
    assert "BLS API" in message and API in message
    assert "HTTP 503" in message and "after retrying" in message
    assert "\n" not in message
    assert len(responses.calls) == http.RETRIES + 1


@responses.activate
def test_client_errors_are_not_retried() -> None:
    responses.add(responses.GET, URL, status=404, body="Not Found")
    with pytest.raises(SourceError, match="HTTP 404"):
        http.fetch_json(_session(), "GET", URL, "OEWS areas")
    assert len(responses.calls) == 1


def test_retry_policy_covers_post_429_and_retry_after() -> None:
    retry = _session().get_adapter(API).max_retries
    assert "POST" in retry.allowed_methods
    assert set(retry.status_forcelist) == {429, 500, 502, 503, 504}
    assert retry.respect_retry_after_header
    assert retry.total == http.RETRIES and retry.backoff_factor > 0


def test_retry_after_is_honoured_and_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr("urllib3.util.retry.time.sleep", waits.append)
    retry = _session().get_adapter(API).max_retries
    retry.sleep(HTTPResponse(status=429, headers={"Retry-After": "7"}))
    retry.sleep(HTTPResponse(status=503, headers={"Retry-After": "3600"}))
    assert waits == [7.0, http.MAX_RETRY_AFTER]


@responses.activate
def test_every_request_gets_the_default_timeout_unless_it_sets_one() -> None:
    responses.add(responses.GET, URL, json={})
    session = _session()
    session.get(URL)
    session.get(URL, timeout=3)
    assert responses.calls[0].request.req_kwargs["timeout"] == http.DEFAULT_TIMEOUT
    assert responses.calls[1].request.req_kwargs["timeout"] == 3


@responses.activate
def test_timeout_becomes_a_source_error_naming_the_url() -> None:
    responses.add(
        responses.GET, URL, body=requests.ReadTimeout("Read timed out. (read timeout=60)")
    )
    with pytest.raises(SourceError) as caught:
        http.fetch_json(_session(), "GET", URL, "OEWS areas")
    assert "no answer in time" in str(caught.value) and URL in str(caught.value)


@responses.activate
def test_refused_connection_is_one_line() -> None:
    responses.add(responses.GET, URL, body=requests.ConnectionError("Name or service not known"))
    with pytest.raises(SourceError, match="connection failed") as caught:
        http.fetch_response(_session(), "GET", URL, "OEWS areas")
    assert "\n" not in str(caught.value)


@responses.activate
def test_body_that_is_not_json_is_a_source_error() -> None:
    responses.add(responses.GET, URL, body="<html>maintenance</html>")
    with pytest.raises(SourceError, match="not JSON"):
        http.fetch_json(_session(), "GET", URL, "OEWS areas")


# --- fetch_file ---------------------------------------------------------------------------------


@responses.activate
def test_fetch_file_writes_the_body_and_leaves_no_temp_file(tmp_path: Path) -> None:
    body = b"area_code\tarea_name\n0014460\tBoston-Cambridge-Newton, MA-NH\n"
    responses.add(responses.GET, URL, body=body, headers={"Content-Length": str(len(body))})
    dest = tmp_path / "oe" / "oe.area"
    assert http.fetch_file(_session(), URL, dest, "oews", progress=False) == dest
    assert dest.read_bytes() == body
    assert [p.name for p in dest.parent.iterdir()] == ["oe.area"]


@responses.activate
def test_fetch_file_failure_mid_stream_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "oe.area"
    dest.write_bytes(b"last good copy\n")
    before = dest.read_bytes()
    responses.add(responses.GET, URL, body=b"x" * 10_000)

    def cut(self: requests.Response, chunk_size: int = 1) -> Iterator[bytes]:
        yield b"area_code\tarea_name\n0014460\tBos"
        raise requests.exceptions.ChunkedEncodingError("Connection broken: reset by peer")

    monkeypatch.setattr(requests.Response, "iter_content", cut)
    with pytest.raises(SourceError) as caught:
        http.fetch_file(_session(), URL, dest, "oews", progress=False)
    assert URL in str(caught.value) and "connection cut" in str(caught.value)
    assert dest.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["oe.area"]


@responses.activate
def test_fetch_file_truncated_body_keeps_the_old_file(tmp_path: Path) -> None:
    dest = tmp_path / "oe.area"
    dest.write_bytes(b"last good copy\n")
    responses.add(responses.GET, URL, body=b"area_code", headers={"Content-Length": "5000"})
    with pytest.raises(SourceError, match="oe.area"):
        http.fetch_file(_session(), URL, dest, "oews", progress=False)
    assert dest.read_bytes() == b"last good copy\n"
    assert len(list(tmp_path.iterdir())) == 1


@responses.activate
def test_fetch_file_refuses_an_empty_body(tmp_path: Path) -> None:
    dest = tmp_path / "oe.area"
    dest.write_bytes(b"last good copy\n")
    responses.add(responses.GET, URL, body=b"")
    with pytest.raises(SourceError, match="empty file"):
        http.fetch_file(_session(), URL, dest, "oews", progress=False)
    assert dest.read_bytes() == b"last good copy\n"
    assert len(list(tmp_path.iterdir())) == 1


@responses.activate
def test_fetch_file_http_error_names_url_and_status(tmp_path: Path) -> None:
    responses.add(responses.GET, URL, status=404, body="Not Found")
    with pytest.raises(SourceError) as caught:
        http.fetch_file(_session(), URL, tmp_path / "oe.area", "oews", progress=False)
    assert "HTTP 404" in str(caught.value) and URL in str(caught.value)
    assert list(tmp_path.iterdir()) == []


@responses.activate
def test_fetch_file_progress_bar_goes_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = b"x" * 2048
    responses.add(responses.GET, URL, body=body, headers={"Content-Length": str(len(body))})
    http.fetch_file(_session(), URL, tmp_path / "f", "oews", progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "oews" in captured.err
