import json
import logging
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import requests
import responses

from analytics.schemas import BlsApiSeriesSchema
from connectors import bls_api, http
from connectors.errors import SourceError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "http"
OEWS = FIXTURES / "bls_api_v2_oews_msa_nurses_2025.json"
CES = FIXTURES / "bls_api_v2_ces_national_healthcare_2017-2019.json"
KEY = "0123456789abcdef0123456789abcdef"
URL = bls_api.API_URL


def _session() -> requests.Session:
    return http.build_session("workforce-data@consortium.example")


def _payload(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


def _ids(path: Path) -> list[str]:
    return [s["seriesID"] for s in _payload(path)["Results"]["series"]]


def _bodies() -> list[dict[str, Any]]:
    return [json.loads(c.request.body) for c in responses.calls]


def _value(frame: pl.DataFrame, series_id: str, period: str = "A01") -> float:
    row = frame.filter(pl.col("series_id") == series_id, pl.col("period") == period)
    assert row.height == 1
    return float(row["value"][0])


@responses.activate
def test_oews_metro_series_from_the_recorded_payload() -> None:
    responses.add(responses.POST, URL, json=_payload(OEWS))
    ids = _ids(OEWS)
    frame = bls_api.fetch_bls_series(_session(), ids, 2025, 2025, KEY)

    assert frame.schema == BlsApiSeriesSchema.empty().schema
    assert frame.height == 18
    # Boston-Cambridge-Newton (0014460), Registered Nurses (291141): employment, mean, median.
    assert _value(frame, "OEUM001446000000029114101") == 64240
    assert _value(frame, "OEUM001446000000029114104") == 121820
    assert _value(frame, "OEUM001446000000029114113") == 106180
    # Detroit-Warren-Dearborn (0019820), Nursing Assistants (311131): employment.
    assert _value(frame, "OEUM001982000000031113101") == 17300
    assert frame["year"].unique().to_list() == [2025]
    assert frame["period_name"].unique().to_list() == ["Annual"]
    assert frame["date"].null_count() == 18  # annual periods have no month

    (body,) = _bodies()
    assert body["seriesid"] == ids  # 25-character OEWS ids go out exactly as given
    assert all(len(s) == 25 for s in body["seriesid"])
    assert (body["startyear"], body["endyear"]) == ("2025", "2025")
    assert body["registrationkey"] == KEY
    assert responses.calls[0].request.headers["Content-Type"] == "application/json"


@responses.activate
def test_ces_monthly_series_without_a_key() -> None:
    responses.add(responses.POST, URL, json=_payload(CES))
    frame = bls_api.fetch_bls_series(
        _session(), ["CEU6562000101", "CEU6562200001"], 2017, 2019, None
    )
    assert frame.height == 66  # 33 months, 2017-01 to 2019-09, for each series
    health = frame.filter(pl.col("series_id") == "CEU6562000101")
    assert health["date"].to_list()[0] == date(2017, 1, 1)
    assert health["date"].to_list()[-1] == date(2019, 9, 1)
    assert health["value"][0] == pytest.approx(15540.4)  # 2017-01, oldest first after sorting
    last = health.filter(pl.col("date") == date(2019, 9, 1))
    assert last["value"][0] == pytest.approx(16476.9)
    assert last["period_name"][0] == "September"
    hospitals = frame.filter(pl.col("series_id") == "CEU6562200001", pl.col("period") == "M09")
    assert hospitals.sort("year")["value"].to_list()[-1] == pytest.approx(5268.1)
    (body,) = _bodies()
    assert "registrationkey" not in body


def _echo(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    """Answer like the API: one annual observation per requested series and year."""
    body = json.loads(request.body or b"{}")
    years = range(int(body["startyear"]), int(body["endyear"]) + 1)
    series = [
        {
            "seriesID": sid,
            "data": [
                {"year": str(y), "period": "A01", "periodName": "Annual", "value": "1"}
                for y in years
            ],
        }
        for sid in body["seriesid"]
    ]
    answer = {"status": "REQUEST_SUCCEEDED", "message": [], "Results": {"series": series}}
    return 200, {}, json.dumps(answer)


def _oews_ids(n: int) -> list[str]:
    # OEUM + area 0014460 + industry 000000 + occupation + datatype 01
    return [f"OEUM001446000000029{1000 + i:04d}01" for i in range(n)]


@responses.activate
def test_sixty_series_with_a_key_go_in_two_posts() -> None:
    responses.add_callback(responses.POST, URL, callback=_echo)
    ids = _oews_ids(60)
    frame = bls_api.fetch_bls_series(_session(), ids, 2024, 2025, KEY)
    assert [len(b["seriesid"]) for b in _bodies()] == [50, 10]
    assert frame.height == 120 and frame["series_id"].n_unique() == 60


@responses.activate
def test_twenty_five_years_with_a_key_go_in_two_windows() -> None:
    responses.add_callback(responses.POST, URL, callback=_echo)
    frame = bls_api.fetch_bls_series(_session(), ["CEU6562000101"], 2000, 2024, KEY)
    assert [(b["startyear"], b["endyear"]) for b in _bodies()] == [
        ("2000", "2019"),
        ("2020", "2024"),
    ]
    assert frame["year"].to_list() == list(range(2000, 2025))


@responses.activate
def test_without_a_key_batches_are_smaller() -> None:
    responses.add_callback(responses.POST, URL, callback=_echo)
    bls_api.fetch_bls_series(_session(), _oews_ids(60), 2000, 2024, None)
    bodies = _bodies()
    assert len(bodies) == 9  # 25 + 25 + 10 series x 10 + 10 + 5 years
    assert {len(b["seriesid"]) for b in bodies} == {25, 10}
    assert {(b["startyear"], b["endyear"]) for b in bodies} == {
        ("2000", "2009"),
        ("2010", "2019"),
        ("2020", "2024"),
    }


def test_year_windows() -> None:
    assert bls_api.year_windows(2017, 2019, 20) == [(2017, 2019)]
    assert bls_api.year_windows(2000, 2024, 10) == [(2000, 2009), (2010, 2019), (2020, 2024)]
    assert bls_api.year_windows(2000, 2019, 20) == [(2000, 2019)]


@responses.activate
def test_no_series_means_no_request() -> None:
    frame = bls_api.fetch_bls_series(_session(), [], 2020, 2024, KEY)
    assert frame.height == 0 and frame.columns == list(BlsApiSeriesSchema.columns)
    assert len(responses.calls) == 0


@responses.activate
def test_request_not_processed_in_a_200_body_is_a_source_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    # Constructed error body in the API's shape; the second message echoes the key on purpose.
    responses.add(
        responses.POST,
        URL,
        json={
            "status": "REQUEST_NOT_PROCESSED",
            "responseTime": 0,
            "message": [
                "Request could not be serviced, as the daily threshold for total number of "
                "requests allocated to the user has been reached.",
                f"Registration key {KEY} has used its daily quota.",
            ],
            "Results": {},
        },
    )
    with pytest.raises(SourceError) as caught:
        bls_api.fetch_bls_series(_session(), ["CEU6562000101"], 2017, 2019, KEY)
    text = str(caught.value)
    assert "REQUEST_NOT_PROCESSED" in text
    assert "daily threshold for total number of requests" in text
    assert KEY not in text and KEY not in repr(caught.value)
    assert caught.value.__cause__ is None
    assert KEY not in caplog.text
    assert len(responses.calls) == 1  # a refusal is an answer, not something to retry


@responses.activate
def test_key_never_leaks_when_the_service_fails(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    responses.add(responses.POST, URL, status=500, body=f"Internal error for key {KEY}")
    with pytest.raises(SourceError) as caught:
        bls_api.fetch_bls_series(_session(), ["CEU6562000101"], 2017, 2019, KEY)
    assert "HTTP 500" in str(caught.value)
    for text in (str(caught.value), repr(caught.value), caplog.text):
        assert KEY not in text
    chained = caught.value.__cause__ or caught.value.__context__
    assert chained is None or caught.value.__suppress_context__
    assert len(responses.calls) == http.RETRIES + 1


@responses.activate
def test_timeout_is_a_source_error_without_the_key() -> None:
    responses.add(responses.POST, URL, body=requests.ReadTimeout("Read timed out."))
    with pytest.raises(SourceError, match="no answer in time") as caught:
        bls_api.fetch_bls_series(_session(), ["CEU6562000101"], 2017, 2019, KEY)
    assert KEY not in str(caught.value)


@responses.activate
def test_succeeded_with_messages_logs_them(caplog: pytest.LogCaptureFixture) -> None:
    payload = _payload(OEWS)
    payload["message"] = ["No Data Available for Series OEUM001446000000029114101 Year: 2024"]
    responses.add(responses.POST, URL, json=payload)
    with caplog.at_level(logging.WARNING, logger="connectors.bls_api"):
        frame = bls_api.fetch_bls_series(_session(), _ids(OEWS), 2024, 2025, KEY)
    assert frame.height == 18
    assert "No Data Available for Series OEUM001446000000029114101" in caplog.text


def test_dashes_footnotes_annual_averages_and_unreadable_values(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = [
        {"year": "2019", "period": "M13", "periodName": "Annual", "value": "16300.2",
         "footnotes": [{}]},
        {"year": "2019", "period": "M12", "periodName": "December", "value": "-",
         "footnotes": [{"code": "P", "text": "preliminary"}, {"code": "X", "text": "revised"}]},
        {"year": "2019", "period": "M11", "periodName": "November", "value": "(NA)",
         "footnotes": []},
    ]  # fmt: skip
    payload = {
        "status": "REQUEST_SUCCEEDED",
        "message": [],
        "Results": [{"series": [{"seriesID": "CEU6562000101", "data": data}]}],
    }
    with caplog.at_level(logging.WARNING, logger="connectors.bls_api"):
        frame = bls_api.parse_bls_response(payload)
    rows = {r["period"]: r for r in frame.iter_rows(named=True)}
    assert rows["M13"]["date"] is None and rows["M13"]["value"] == pytest.approx(16300.2)
    assert rows["M12"]["value"] is None and rows["M12"]["date"] == date(2019, 12, 1)
    assert rows["M12"]["footnotes"] == "preliminary; revised"
    assert rows["M13"]["footnotes"] is None
    assert rows["M11"]["value"] is None
    assert "'(NA)'" in caplog.text and "1 value(s)" in caplog.text  # "-" is expected, not warned
