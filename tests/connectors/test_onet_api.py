import csv
import json
import logging
from pathlib import Path
from typing import Any

import pytest
import requests
import responses

from connectors import http, onet_api
from connectors.errors import SourceError

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "http" / "onet_ws_style_occupation_overview_27_0.json"
ONET = ROOT / "data" / "sources" / "onet"
KEY = "onet-test-key-5f3a9c"
RN_URL = "https://api-v2.onetcenter.org/online/occupations/29-1141.00/"


def _occupations() -> list[dict[str, Any]]:
    payload = json.loads(FIXTURE.read_text())
    assert payload["_note"].startswith("Constructed fixture")
    occupations: list[dict[str, Any]] = payload["occupation"]
    return occupations


def _tsv(name: str) -> list[dict[str, str]]:
    with (ONET / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def _session() -> requests.Session:
    return http.build_session("workforce-data@consortium.example")


class _FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture(autouse=True)
def _no_real_waiting(monkeypatch: pytest.MonkeyPatch) -> _FakeClock:
    clock = _FakeClock()
    monkeypatch.setattr(onet_api, "THROTTLE", onet_api.RateLimiter(5, clock, clock.sleep))
    return clock


@responses.activate
def test_fetch_sends_the_key_header_and_returns_the_overview() -> None:
    responses.add(responses.GET, RN_URL, json=_occupations()[0])
    payload = onet_api.fetch_onet_occupation(_session(), "29-1141.00", KEY)
    assert payload["title"] == "Registered Nurses"
    sent = responses.calls[0].request.headers
    assert sent["X-API-Key"] == KEY
    assert sent["Accept"] == "application/json"
    assert "contact: workforce-data@consortium.example" in sent["User-Agent"]


@responses.activate
def test_six_digit_soc_code_is_asked_as_the_dot_00_occupation() -> None:
    responses.add(responses.GET, RN_URL, json=_occupations()[0])
    onet_api.fetch_onet_occupation(_session(), "29-1141", KEY)
    assert responses.calls[0].request.url == RN_URL


def test_parse_overview_matches_the_onet_27_files() -> None:
    zones = {r["O*NET-SOC Code"]: int(r["Job Zone"]) for r in _tsv("Job Zones.txt")}
    data = {r["O*NET-SOC Code"]: r for r in _tsv("Occupation Data.txt")}
    shown = {
        (r["O*NET-SOC Code"], r["Reported Job Title"])
        for r in _tsv("Sample of Reported Titles.txt")
        if r["Shown in My Next Move"] == "Y"
    }
    parsed = [onet_api.parse_onet_overview(o) for o in _occupations()]
    assert [p["code"] for p in parsed] == ["29-1141.00", "31-1131.00", "29-2061.00"]
    for p in parsed:
        assert p["soc_code"] == p["code"][:7]
        assert p["title"] == data[p["code"]]["Title"]
        assert p["description"] == data[p["code"]]["Description"]
        assert p["job_zone"] == zones[p["code"]]
        assert p["reported_titles"] and all((p["code"], t) in shown for t in p["reported_titles"])
    rn, cna, lpn = parsed
    assert (rn["job_zone"], cna["job_zone"], lpn["job_zone"]) == (4, 3, 3)
    assert "Certified Nursing Assistant (CNA)" in cna["reported_titles"]
    assert "Staff Nurse" in rn["reported_titles"]


def test_parse_accepts_the_v2_list_shapes() -> None:
    payload = {
        "code": "29-2061.00",
        "title": "Licensed Practical and Licensed Vocational Nurses",
        "description": "Care for ill, injured, or convalescing patients.",
        "sample_of_reported_titles": ["Clinic Nurse", {"title": "Licensed Vocational Nurse (LVN)"}],
        "job_zone": {"code": 3, "title": "Job Zone Three: Medium Preparation Needed"},
    }
    parsed = onet_api.parse_onet_overview(payload)
    assert parsed["reported_titles"] == ["Clinic Nurse", "Licensed Vocational Nurse (LVN)"]
    assert parsed["job_zone"] == 3


def test_parse_without_job_zone_or_titles() -> None:
    parsed = onet_api.parse_onet_overview({"code": "31-1131.00", "title": "Nursing Assistants"})
    assert parsed["job_zone"] is None and parsed["reported_titles"] == []
    assert parsed["description"] is None


def test_parse_refuses_a_payload_without_a_code() -> None:
    with pytest.raises(SourceError, match="O\\*NET-SOC code"):
        onet_api.parse_onet_overview({"title": "Registered Nurses"})


@responses.activate
def test_422_is_a_source_error_with_the_service_text(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    url = "https://api-v2.onetcenter.org/online/occupations/29-9999.00/"
    # Constructed in the documented error shape: HTTP 422 with {"error": "..."}.
    responses.add(
        responses.GET,
        url,
        status=422,
        json={"error": "Information is not available for the requested O*NET-SOC code."},
    )
    with pytest.raises(SourceError) as caught:
        onet_api.fetch_onet_occupation(_session(), "29-9999.00", KEY)
    text = str(caught.value)
    assert "29-9999.00" in text
    assert "Information is not available for the requested O*NET-SOC code." in text
    assert KEY not in text and KEY not in caplog.text
    assert len(responses.calls) == 1  # a 422 is the caller's error: not retried


@responses.activate
def test_rejected_key_says_which_setting_to_fix() -> None:
    responses.add(responses.GET, RN_URL, status=403, body="<html>403 Forbidden</html>")
    with pytest.raises(SourceError, match="GAPBOARD_ONET_API_KEY") as caught:
        onet_api.fetch_onet_occupation(_session(), "29-1141.00", KEY)
    assert KEY not in str(caught.value)


@responses.activate
def test_server_failure_after_retries_never_shows_the_key() -> None:
    responses.add(responses.GET, RN_URL, status=503, body=f"upstream failed for {KEY}")
    with pytest.raises(SourceError, match="HTTP 503") as caught:
        onet_api.fetch_onet_occupation(_session(), "29-1141.00", KEY)
    assert KEY not in str(caught.value) and KEY not in repr(caught.value)


@responses.activate
def test_bad_code_or_missing_key_fails_before_any_request() -> None:
    with pytest.raises(SourceError, match="not an O\\*NET-SOC code"):
        onet_api.fetch_onet_occupation(_session(), "RN", KEY)
    with pytest.raises(SourceError, match="GAPBOARD_ONET_API_KEY"):
        onet_api.fetch_onet_occupation(_session(), "29-1141.00", "")
    assert len(responses.calls) == 0


@responses.activate
def test_requests_are_throttled_to_five_a_second(_no_real_waiting: _FakeClock) -> None:
    responses.add(responses.GET, RN_URL, json=_occupations()[0])
    session = _session()
    for _ in range(6):
        onet_api.fetch_onet_occupation(session, "29-1141.00", KEY)
    assert len(responses.calls) == 6
    # The first goes at once; each later one waits for its 0.2 s slot.
    assert _no_real_waiting.sleeps == pytest.approx([0.2] * 5)


def test_rate_limiter_does_not_wait_when_calls_are_spaced() -> None:
    clock = _FakeClock()
    limiter = onet_api.RateLimiter(5, clock, clock.sleep)
    for _ in range(3):
        limiter.wait()
        clock.now += 0.5
    assert clock.sleeps == []
