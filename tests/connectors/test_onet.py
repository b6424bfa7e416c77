"""O*NET 27.0 parsers against the real publisher files in data/sources/onet."""

import shutil
from pathlib import Path

import polars as pl
import pytest

from analytics.schemas import OnetSkillSchema, OnetTitleSchema
from connectors import onet
from connectors.errors import SourceError
from settings import SOURCES_DIR

ONET = SOURCES_DIR / "onet"


def _copy(tmp_path: Path, *names: str) -> Path:
    for name in names:
        shutil.copy(ONET / name, tmp_path / name)
    return tmp_path


def test_occupations_carry_the_soc_code_of_the_first_seven_characters() -> None:
    frame = onet.parse_onet_occupations(ONET)
    assert frame.height == 1016
    rn = frame.filter(pl.col("onet_code") == "29-1141.00").row(0, named=True)
    assert rn["soc_code"] == "29-1141"
    assert rn["title"] == "Registered Nurses"
    assert frame.filter(pl.col("onet_code") == "29-1141.04")["soc_code"].item() == "29-1141"


def test_titles_combine_official_alternate_and_reported_with_na_as_null() -> None:
    frame = onet.parse_onet_titles(ONET)
    assert frame.schema == pl.Schema(OnetTitleSchema.columns)
    counts = dict(frame.group_by("kind").len().iter_rows())
    assert counts == {"occupation": 1016, "alternate": 52754, "reported": 7541}
    # 52,754 alternate titles, of which 50,565 carry the literal "n/a" as short title.
    assert frame.filter(pl.col("kind") == "alternate")["short_title"].null_count() == 50565
    assert not frame["short_title"].eq("n/a").any()
    cna = frame.filter(
        (pl.col("title") == "Certified Nursing Assistant (CNA)") & (pl.col("kind") == "alternate")
    )
    assert set(cna["soc_code"]) == {"31-1131", "29-9093"}
    assert cna["short_title"].to_list() == ["CNA", "CNA"]
    reported = frame.filter((pl.col("kind") == "reported") & (pl.col("onet_code") == "31-1131.00"))
    assert "Patient Care Assistant (PCA)" in reported["title"].to_list()


def test_job_zones_are_small_integers() -> None:
    frame = onet.parse_onet_job_zones(ONET)
    assert frame.height == 923
    zones = dict(frame.select("onet_code", "job_zone").iter_rows())
    assert zones["29-1141.00"] == 4 and zones["31-1131.00"] == 3 and zones["11-1011.00"] == 5


def test_education_keeps_required_level_only_with_category_labels() -> None:
    frame = onet.parse_onet_education(ONET)
    assert frame.height == 10224  # the RL rows: 852 occupations x 12 categories
    rn = frame.filter(pl.col("onet_code") == "29-1141.00")
    assert rn.height == 12
    bachelor = rn.filter(pl.col("category") == 6).row(0, named=True)
    assert bachelor["category_label"] == "Bachelor's Degree"
    assert bachelor["share_pct"] == pytest.approx(55.92)
    assert rn.filter(pl.col("category") == 5)["share_pct"].item() == pytest.approx(19.39)
    totals = frame.group_by("onet_code").agg(pl.col("share_pct").sum())["share_pct"]
    assert totals.min() >= 99.9 and totals.max() <= 100.1


def test_skills_pivot_importance_and_level_with_suppression_from_the_level_row() -> None:
    frame = onet.parse_onet_skills(ONET)
    assert frame.schema == pl.Schema(OnetSkillSchema.columns)
    assert frame.height == 30555 and frame["onet_code"].n_unique() == 873
    listening = frame.filter(
        (pl.col("onet_code") == "29-1141.00") & (pl.col("element_id") == "2.A.1.b")
    ).row(0, named=True)
    assert listening["skill"] == "Active Listening"
    assert (listening["importance"], listening["level"]) == (4.0, 4.25)
    assert listening["suppress"] is False
    assert frame["suppress"].sum() == 164
    ceo = frame.filter((pl.col("onet_code") == "11-1011.00") & (pl.col("element_id") == "2.B.3.c"))
    assert ceo.row(0, named=True)["suppress"] is True
    assert (ceo["importance"].item(), ceo["level"].item()) == (1.12, 0.62)


def test_related_tasks_and_technology() -> None:
    related = onet.parse_onet_related(ONET)
    assert related.height == 18460
    first = related.filter((pl.col("onet_code") == "31-9092.00") & (pl.col("rank") == 1))
    assert first.row(0, named=True)["related_onet_code"] == "29-2057.00"
    assert first.row(0, named=True)["tier"] == "Primary-Short"

    tasks = onet.parse_onet_tasks(ONET)
    assert tasks.height == 19265
    quoted = tasks.filter(pl.col("task_id") == "15287").row(0, named=True)
    assert quoted["task"].startswith('Conduct "head counts"')  # quotes inside an unquoted file
    assert quoted["task_type"] is None  # "n/a" in the file
    assert (
        tasks["task_type"].value_counts().filter(pl.col("task_type") == "Core")["count"].item()
        == 13225
    )

    tech = onet.parse_onet_technology(ONET)
    assert tech.height == 30826
    assert tech["hot_technology"].sum() == 13431
    acrobat = tech.filter(
        (pl.col("onet_code") == "11-1011.00") & (pl.col("example") == "Adobe Systems Adobe Acrobat")
    )
    assert acrobat.row(0, named=True)["commodity_code"] == "43232202"


def test_text_files_are_utf8() -> None:
    for path in ONET.glob("*.txt"):
        path.read_bytes().decode("utf-8")  # raises if O*NET ever ships another encoding


def test_attribution_names_the_release_license_and_trademark() -> None:
    text = onet.ONET_ATTRIBUTION
    assert "O*NET 27.0 Database" in text and "USDOL/ETA" in text
    assert "CC BY 4.0" in text and "trademark" in text and "modified" in text


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="Job Zones.txt: file not found"):
        onet.parse_onet_job_zones(tmp_path)


def test_missing_column_is_named(tmp_path: Path) -> None:
    lines = (ONET / "Job Zones.txt").read_text(encoding="utf-8").splitlines()[:4]
    lines[0] = lines[0].replace("Job Zone\t", "Zone\t")
    (tmp_path / "Job Zones.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"Job Zones.txt: missing column\(s\) 'Job Zone'"):
        onet.parse_onet_job_zones(tmp_path)


def test_other_encodings_and_bad_values_are_refused(tmp_path: Path) -> None:
    head = (ONET / "Occupation Data.txt").read_bytes().splitlines()[:3]
    (tmp_path / "Occupation Data.txt").write_bytes(b"\n".join(head).replace(b"Chief", b"Ch\xe9f"))
    with pytest.raises(SourceError, match="Occupation Data.txt: not UTF-8"):
        onet.parse_onet_occupations(tmp_path)

    zones = (ONET / "Job Zones.txt").read_text(encoding="utf-8").splitlines()[:3]
    zones[1] = zones[1].replace("\t5\t", "\tfive\t")
    (tmp_path / "Job Zones.txt").write_text("\n".join(zones), encoding="utf-8")
    with pytest.raises(SourceError, match="'Job Zone' are not numbers.*'five'"):
        onet.parse_onet_job_zones(tmp_path)


def test_education_needs_its_category_labels(tmp_path: Path) -> None:
    _copy(tmp_path, "Education, Training, and Experience.txt")
    with pytest.raises(SourceError, match="Experience Categories.txt: file not found"):
        onet.parse_onet_education(tmp_path)
    categories = (ONET / "Education, Training, and Experience Categories.txt").read_text(
        encoding="utf-8"
    )
    kept = [line for line in categories.splitlines() if "\tRL\t12\t" not in line]
    (tmp_path / "Education, Training, and Experience Categories.txt").write_text(
        "\n".join(kept), encoding="utf-8"
    )
    with pytest.raises(SourceError, match="no label for RL category 12"):
        onet.parse_onet_education(tmp_path)


def test_damaged_workbook_is_named(tmp_path: Path) -> None:
    (tmp_path / "Skills.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(SourceError, match="Skills.xlsx: not an Excel workbook"):
        onet.parse_onet_skills(tmp_path)
