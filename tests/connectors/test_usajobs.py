import csv
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from analytics.schemas import FEED_FIELDS, PublicPostingSchema
from connectors import usajobs
from connectors.errors import SourceError

ROOT = Path(__file__).resolve().parents[2]
ANNOUNCEMENTS = (
    ROOT / "data/sources/postings/usajobs_healthcare_lifesci_announcements_2025-06_2025-09.csv"
)
OCCUPATIONS = ROOT / "data/sources/onet/Occupation Data.txt"


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    return usajobs.parse_usajobs_announcements(ANNOUNCEMENTS)


def _row(frame: pl.DataFrame, posting_id: str) -> dict[str, Any]:
    rows = frame.filter(pl.col("posting_id") == posting_id)
    assert rows.height == 1
    return rows.row(0, named=True)


def test_every_announcement_becomes_a_text_row(frame: pl.DataFrame) -> None:
    assert frame.height == 4753
    assert frame.columns == list(PublicPostingSchema.columns)
    assert all(dtype == pl.String for dtype in frame.dtypes)
    assert frame["posting_id"].n_unique() == 4753
    assert frame["source"].unique().to_list() == ["usajobs"]
    assert frame["openings"].unique().to_list() == ["1"]
    assert frame["status"].null_count() == 4753


def test_feed_columns_use_the_vacancy_feed_names(frame: pl.DataFrame) -> None:
    feed_named = {"posting_id", "title", "posted_date", "closed_date", "status", "openings",
                  "employment_type", "state"}  # fmt: skip
    assert feed_named <= set(frame.columns)
    assert feed_named <= set(FEED_FIELDS["vacancies"])


def test_ma_il_mi_rows_match_the_extract_flag(frame: pl.DataFrame) -> None:
    ours = frame.filter(pl.col("state").is_in(["Massachusetts", "Illinois", "Michigan"]))
    assert ours.height == 282
    flagged = pl.read_csv(ANNOUNCEMENTS, infer_schema=False).filter(pl.col("in_ma_il_mi") == "Y")
    assert sorted(ours["posting_id"]) == sorted(flagged["usajobs_control_number"])
    assert ours.group_by("state").len().sort("state").rows() == [
        ("Illinois", 73),
        ("Massachusetts", 94),
        ("Michigan", 115),
    ]


def test_dates_are_iso(frame: pl.DataFrame) -> None:
    for column in ("posted_date", "closed_date"):
        dates = frame[column].str.to_date("%Y-%m-%d", strict=False)
        assert dates.null_count() == 0
    assert frame["posted_date"].min() == "2025-06-02"
    assert frame["posted_date"].max() == "2025-09-19"
    assert (frame["closed_date"] >= frame["posted_date"]).all()


def test_parsed_rows(frame: pl.DataFrame) -> None:
    psych = _row(frame, "799669600")
    assert psych == {
        "posting_id": "799669600",
        "title": "Supervisory Clinical Psychologist (Behavioral Health Director)",
        "posted_date": "2025-07-28",  # from "2025-07-28 00:00:00.000"
        "closed_date": "2025-09-17",  # from "2025-09-17T23:59:59.9970"
        "status": None,
        "openings": "1",
        "employment_type": None,
        "location": "Fort Thompson, South Dakota",
        "city": "Fort Thompson",
        "state": "South Dakota",
        "employer": "Department of Health and Human Services",
        "occupation_series": "0180",
        "soc_hint": "19-3033",
        "source": "usajobs",
    }
    rn = _row(frame, "844275400")
    assert (rn["title"], rn["city"], rn["state"]) == (
        "Registered Nurse (PACT Float)",
        "Lynn",
        "Massachusetts",
    )
    assert (rn["occupation_series"], rn["soc_hint"]) == ("0610", "29-1141")
    assert rn["employer"] == "Department of Veterans Affairs"
    np_ = _row(frame, "843771900")
    assert np_["title"] == "Nurse Practitioner (Mental Health)"
    assert (np_["occupation_series"], np_["soc_hint"]) == ("0610", "29-1171")


def test_locations_with_a_facility_or_no_place(frame: pl.DataFrame) -> None:
    naval = frame.filter(pl.col("location") == "Naval Medical Center, Portsmouth, Virginia")
    assert naval.height >= 1
    assert (naval["city"][0], naval["state"][0]) == ("Portsmouth", "Virginia")
    remote = frame.filter(pl.col("location").str.starts_with("Anywhere in the U.S."))
    assert remote.height == 28
    assert remote["city"].null_count() == 28 and remote["state"].null_count() == 28


def test_soc_hints_follow_the_series_table(frame: pl.DataFrame) -> None:
    hints = frame.group_by("occupation_series", "soc_hint").len()

    def hinted(series: str) -> dict[str | None, int]:
        rows = hints.filter(pl.col("occupation_series") == series)
        return dict(zip(rows["soc_hint"], rows["len"], strict=True))

    assert hinted("0620") == {"29-2061": 271}  # Practical Nurse -> LPN/LVN
    assert hinted("0621") == {"31-1131": 163}  # Nursing Assistant
    assert hinted("0660") == {"29-1051": 96}  # Pharmacist
    assert hinted("0661") == {"29-2052": 59}  # Pharmacy Technician
    assert hinted("0602") == {None: 853}  # Medical Officer: every specialty, left to title coding
    assert hinted("0640") == {None: 179}  # Health Aid and Technician: too broad
    assert hinted("0679") == {None: 299}  # Medical Support Assistance: clerical, ambiguous
    assert hinted("0645") == {"29-2012": 29, "31-9097": 15}  # phlebotomists by title
    assert hinted("0647") == {"29-2034": 106, "29-2035": 18}  # MRI technologists by title
    nurses = hinted("0610")
    assert nurses["29-1141"] == 705 and nurses["29-1171"] == 87 and nurses["29-1151"] == 15
    assert nurses[None] == 31  # "Advanced Practice Nurse" of no stated kind
    assert frame["soc_hint"].null_count() == 1771


def test_every_hinted_soc_is_an_onet_occupation_with_that_title() -> None:
    with OCCUPATIONS.open(encoding="utf-8", newline="") as f:
        titles = {
            r["O*NET-SOC Code"]: r["Title"]
            for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        }
    pairs = [(soc, title) for _, _, soc, title in usajobs.OPM_SERIES_SOC]
    pairs += [(soc, title) for _, _, soc, title in usajobs.OPM_TITLE_SOC if soc is not None]
    for soc, title in pairs:
        assert titles.get(f"{soc}.00") == title, soc
    series = [s for s, *_ in usajobs.OPM_SERIES_SOC]
    assert len(series) == len(set(series))
    assert all(s in series for s, *_ in usajobs.OPM_TITLE_SOC)


def _write(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "usajobs.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _announcement(**changes: str) -> dict[str, str]:
    row = {
        "usajobs_control_number": "840000001",
        "position_title": "  Practical   Nurse ",
        "position_open_date": "2025-08-04 00:00:00.000",
        "position_close_date": "2025-08-18T23:59:59.9970",
        "position_location": "Ann Arbor, Michigan",
        "hiring_agency": "Department of Veterans Affairs",
        "occupation_series": "620",
    }
    row.update(changes)
    return row


def test_series_padding_title_spaces_and_unreadable_dates(tmp_path: Path) -> None:
    path = _write(tmp_path, [_announcement(position_close_date="until filled")])
    row = usajobs.parse_usajobs_announcements(path).row(0, named=True)
    assert row["occupation_series"] == "0620" and row["soc_hint"] == "29-2061"
    assert row["title"] == "Practical Nurse"
    assert row["posted_date"] == "2025-08-04"
    assert row["closed_date"] == "until filled"  # kept for intake to quarantine with a reason
    assert (row["city"], row["state"]) == ("Ann Arbor", "Michigan")


def test_missing_column_names_the_file(tmp_path: Path) -> None:
    row = _announcement()
    del row["occupation_series"]
    with pytest.raises(SourceError, match=r"usajobs\.csv: missing column\(s\) occupation_series"):
        usajobs.parse_usajobs_announcements(_write(tmp_path, [row]))


def test_unreadable_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="nowhere.csv"):
        usajobs.parse_usajobs_announcements(tmp_path / "nowhere.csv")
