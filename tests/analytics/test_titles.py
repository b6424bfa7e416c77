"""Job-title coding against O*NET 27.0 titles and a labelled set of real-world-style titles."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import polars as pl
import pytest

from analytics import titles
from analytics.schemas import CodedTitleSchema, OnetTitleSchema
from analytics.titles import TitleIndex, build_title_index, code_titles, normalize_title
from connectors.onet import parse_onet_titles

ROOT = Path(__file__).resolve().parents[2]
ONET = ROOT / "data" / "sources" / "onet"
LABELLED = ROOT / "tests" / "fixtures" / "titles" / "labelled_titles.csv"
USAJOBS = (
    ROOT
    / "data"
    / "sources"
    / "postings"
    / "usajobs_healthcare_lifesci_announcements_2025-06_2025-09.csv"
)


@pytest.fixture(scope="module")
def onet_titles() -> pl.DataFrame:
    return parse_onet_titles(ONET)


@pytest.fixture(scope="module")
def index(onet_titles: pl.DataFrame) -> TitleIndex:
    return build_title_index(onet_titles)


@pytest.fixture(scope="module")
def labelled() -> pl.DataFrame:
    return pl.read_csv(LABELLED, infer_schema=False)


@pytest.fixture(scope="module")
def coded(labelled: pl.DataFrame, index: TitleIndex) -> pl.DataFrame:
    out = code_titles(labelled["title"], index)
    return out.with_columns(
        label=labelled["soc_code"], right=(out["soc_code"] == labelled["soc_code"]).fill_null(False)
    )


# --- the labelled set --------------------------------------------------------------------------


def test_labelled_set_is_what_the_readme_says(labelled: pl.DataFrame) -> None:
    assert labelled.columns == ["title", "soc_code", "note"]
    assert labelled.height == 561
    assert labelled["title"].n_unique() == 561
    assert labelled["soc_code"].str.contains(r"^\d\d-\d\d\d\d$").all()
    federal = set(pl.read_csv(USAJOBS, infer_schema=False)["position_title"])
    assert labelled["title"].is_in(sorted(federal)).sum() == 200


def test_accuracy_on_the_labelled_set_at_detailed_soc(coded: pl.DataFrame) -> None:
    accuracy = coded["right"].mean()
    assert accuracy is not None and accuracy >= 0.95, coded.filter(~pl.col("right"))
    # 553 of 561 when this test was written. Five misses are titles whose O*NET entries disagree
    # with the label (e.g. "PHYSICAL SCIENCE TECHNICIAN", O*NET: geological technicians); three
    # are from the last part of the set, scored once after the rules were final (see README).
    assert coded["right"].sum() >= 550


def test_both_halves_of_the_labelled_set_are_coded_well(
    labelled: pl.DataFrame, coded: pl.DataFrame
) -> None:
    federal = set(pl.read_csv(USAJOBS, infer_schema=False)["position_title"])
    is_federal = labelled["title"].is_in(sorted(federal))
    for part in (coded.filter(is_federal), coded.filter(~is_federal)):
        assert part["right"].mean() >= 0.95


def test_the_part_written_after_the_rules_were_final(coded: pl.DataFrame) -> None:
    last = coded.slice(500)
    assert last.height == 61
    assert last["right"].sum() == 58
    # The three misses all went to review; nothing sure of itself was wrong.
    assert last.filter(~pl.col("right"))["needs_review"].all()
    assert last.filter(~pl.col("needs_review"))["right"].all()


def test_confidence_means_something(coded: pl.DataFrame) -> None:
    sure = coded.filter(~pl.col("needs_review"))
    unsure = coded.filter(pl.col("needs_review"))
    assert sure.height > 0.9 * coded.height
    assert sure["right"].mean() >= 0.99
    assert unsure["right"].mean() < sure["right"].mean()
    assert coded.filter(pl.col("method") == "exact")["confidence"].min() >= 0.5
    assert coded["confidence"].is_between(0.0, 1.0).all()


@pytest.mark.parametrize(
    ("title", "soc_code"),
    [
        ("CNA - Nights - Float Pool - $2,000 Sign-On", "31-1131"),
        ("Medical Assistant II (CMA/RMA) - Family Medicine - Dearborn", "31-9092"),
        ("Sterile Processing Tech I - SPD - Weekends", "31-9093"),
        ("RN Med/Surg 5 West PRN", "29-1141"),
        ("Phlebotomist Per Diem", "31-9097"),
        ("Manufacturing Associate, Cell Therapy", "19-4021"),
        ("Patient Service Representative", "43-6013"),
        ("Pharmacy Tech - Retail", "29-2052"),
        ("Surgical Tech - OR - Evenings", "29-2055"),
        ("Research Associate II, Molecular Biology", "19-4021"),
        ("Lab Assistant - Specimen Processing", "29-2012"),
        ("HUC - ED - Nights", "43-6013"),
        ("EVS Tech - Weekend Days", "37-2011"),
        ("Medical Support Assistant (Advanced)", "43-6013"),
        ("Supervisory Medical Support Assistant", "43-1011"),
        ("Supervisory Social Worker", "21-1022"),
        ("Physician (Gastroenterology)", "29-1229"),
        ("PCT/Monitor Tech - Cardiac Stepdown", "31-1131"),
        ("Patient Care Technician - Dialysis", "29-2099"),
        ("Medical Technician - Ann Arbor", "29-2012"),
    ],
)
def test_titles_named_in_the_brief(index: TitleIndex, title: str, soc_code: str) -> None:
    assert code_titles([title], index)["soc_code"].item() == soc_code


# --- normalization -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "normalized"),
    [
        ("CNA - Nights - Float Pool - $2,000 Sign-On", "nursing assistant"),
        ("Certified Nursing Assistant (CNA) - Med/Surg - 7p-7a", "nursing assistant"),
        ("STNA - Long Term Care - Full Time Days", "nursing assistant"),
        ("Nursing Asst, 4 North Ortho, 12 hr nights", "nursing assistant"),
        ("Medical Assistant II (CMA/RMA) - Family Medicine - Dearborn", "medical assistant"),
        ("MA - Pediatrics - Float", "medical assistant"),
        ("Home Health Aide (HHA) - Dorchester, MA", "home health aide"),
        ("RN Med/Surg 5 West PRN", "registered nurse"),
        ("Travel RN - L&D - 13 weeks - Chicago, IL", "registered nurse"),
        ("Charge Nurse RN - Emergency Dept - Detroit Campus", "charge nurse"),
        ("Registered Nurse Sr - OR - Req #48213", "registered nurse"),
        ("LPN - Long Term Care - Weekend Double Shifts", "licensed practical nurse"),
        ("Sterile Processing Tech I - SPD - Weekends", "sterile processing technician"),
        ("CS Tech II - Central Services - Evenings", "sterile processing technician"),
        ("CPhT - Sterile Compounding - 7a-3:30p", "pharmacy technician"),
        ("Lead Pharmacy Technician", "pharmacy technician"),
        ("Team Lead - Sterile Processing - Days", "sterile processing technician"),
        ("Surgical Tech - OR - Evenings", "surgical technologist"),
        ("CST - Labor & Delivery - Nights", "surgical technologist"),
        ("MLS (ASCP) - Blood Bank - Evenings", "clinical laboratory technologist"),
        ("MLT - Hematology - Weekends", "clinical laboratory technician"),
        ("Phleb - Mobile Draw - Metro Detroit", "phlebotomist"),
        ("PT - Home Health - Per Visit", "physical therapist"),
        ("CNA - PT - Nights", "nursing assistant"),
        ("Rad Tech - X-Ray - PRN - Weekends", "radiologic technologist"),
        ("Unit Secretary - Mother/Baby - Evenings", "unit clerk"),
        ("EVS Tech - Weekend Days", "environmental services technician"),
        ("Physician (OB/GYN)", "obstetrician and gynecologist"),
        ("Health Technician (Ophthalmology)", "ophthalmology technician"),
        ("Medical Instrument Technician (EKG)", "ekg technician"),
        ("Diagnostic Radiologic Technologist (MRI)", "magnetic resonance imaging technologist"),
        ("Manufacturing Associate, Cell Therapy", "biomanufacturing technician"),
        ("Director of Nursing (DON) - Skilled Nursing", "nursing director"),
        ("Advanced Medical Support Assistant", "medical support assistant"),
        ("Advanced Practice Nurse (Nurse Practitioner)", "nurse practitioner"),
        ("Lead Abatement Worker", "lead abatement worker"),
        ("Day Care Teacher", "day care teacher"),
        ("Registered Nurses", "registered nurse"),
        ("Staff Pharmacist - Level 2 - 12 hr Days - Detroit Campus", "pharmacist"),
        ("Sr. Clinical Pharmacist - Travel/Contract - Job ID 55123", "clinical pharmacist"),
    ],
)
def test_normalize_title(title: str, normalized: str) -> None:
    assert normalize_title(title) == normalized


def test_normalize_title_is_idempotent(labelled: pl.DataFrame) -> None:
    for title in labelled["title"]:
        once = normalize_title(title)
        assert normalize_title(once) == once, title


@pytest.mark.parametrize("title", ["", "   ", "\t", "Nights - PRN - $5,000 Sign-On", "Boston, MA"])
def test_titles_with_no_job_normalize_to_nothing(title: str) -> None:
    assert normalize_title(title) == ""


# --- coding ------------------------------------------------------------------------------------


def test_empty_and_missing_titles_are_not_coded(index: TitleIndex) -> None:
    given = pl.Series("title", ["", "   ", None, "Phlebotomist"], dtype=pl.String)
    out = code_titles(given, index)
    assert out["title"].to_list() == ["", "   ", None, "Phlebotomist"]
    blank = out.head(3)
    assert blank["soc_code"].null_count() == 3
    assert blank["onet_code"].null_count() == 3
    assert blank["method"].to_list() == ["none"] * 3
    assert blank["confidence"].to_list() == [0.0] * 3
    assert blank["needs_review"].all()
    assert out["soc_code"][3] == "31-9097"
    assert code_titles([], index).schema == pl.Schema(CodedTitleSchema.columns)


def test_output_schema_order_and_duplicates(index: TitleIndex) -> None:
    given = ["Pharmacy Tech - Retail", "RN - ICU", "Pharmacy Tech - Retail", "Xyzzy Qwerty"]
    out = code_titles(given, index)
    assert out.schema == pl.Schema(CodedTitleSchema.columns)
    assert out["title"].to_list() == given
    assert out["soc_code"].to_list() == ["29-2052", "29-1141", "29-2052", None]
    assert out["soc_title"][0] == "Pharmacy Technicians"
    assert out["onet_code"][0] == "29-2052.00"
    assert out["method"].to_list() == ["exact", "exact", "exact", "none"]


def test_each_distinct_normalized_title_is_coded_once(
    index: TitleIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    original = titles._code_one

    def counting(normalized: str, *args: object) -> object:
        calls.append(normalized)
        return original(normalized, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(titles, "_code_one", counting)
    given = ["CNA - Nights", "CNA - Days", "Nurse Aide II - PRN", "STNA", "Phlebotomist"] * 3
    out = code_titles(given, index)
    assert sorted(calls) == ["nursing assistant", "phlebotomist"]
    assert out.height == 15


def test_overrides_win(index: TitleIndex) -> None:
    given = ["PCT - Nights", "Patient Care Tech II", "Phlebotomy Tech II - Nights", "STNA"]
    before = code_titles(given, index)
    assert before["soc_code"].to_list() == ["31-1131", "31-1131", "31-9097", "31-1131"]
    # Corrections may name the title as posted; it is normalized before it is used.
    overrides = pl.DataFrame(
        {
            "normalized_title": ["patient care technician", "Phlebotomy Technician"],
            "soc_code": ["29-2099", "31-9099"],
        }
    )
    after = code_titles(given, index, overrides=overrides)
    assert after["soc_code"].to_list() == ["29-2099", "29-2099", "31-9099", "31-1131"]
    assert after["method"].to_list() == ["override", "override", "override", "exact"]
    assert after["confidence"].to_list()[:3] == [1.0, 1.0, 1.0]
    assert not after["needs_review"].any()
    assert after["soc_title"][0] == "Health Technologists and Technicians, All Other"


def test_needs_review_is_confidence_below_threshold(
    index: TitleIndex, labelled: pl.DataFrame
) -> None:
    for threshold in (0.0, 0.8, 0.95, 1.0):
        out = code_titles(labelled["title"], index, threshold=threshold)
        assert (out["needs_review"] == (out["confidence"] < threshold)).all()
    assert not code_titles(labelled["title"], index, threshold=0.0)["needs_review"].any()


@pytest.mark.parametrize(
    "title",
    [
        "Physician (Primary Care)",  # family medicine or internal medicine: O*NET lists both
        "Physician",
        "Technician",
        "Specialist - Boston, MA",
        "Social Worker",  # healthcare or mental health: O*NET lists five codes
    ],
)
def test_titles_that_do_not_name_one_occupation_go_to_review(index: TitleIndex, title: str) -> None:
    out = code_titles([title], index)
    assert out["needs_review"].item()
    assert out["confidence"].item() < 0.8


def test_exact_titles_are_sure_and_misspelled_ones_a_little_less(index: TitleIndex) -> None:
    out = code_titles(["Phlebotomist", "Phlebotomst - Patient Service Center"], index)
    assert out["soc_code"].to_list() == ["31-9097", "31-9097"]
    assert out["method"].to_list() == ["exact", "fuzzy"]
    exact, fuzzy = out["confidence"].to_list()
    assert exact >= 0.98 and 0.8 <= fuzzy < exact


def test_ties_go_to_the_occupation_whose_official_title_it_is(index: TitleIndex) -> None:
    # O*NET also lists "Registered Nurse" under 11-9111, 15-1211, 25-1072 and 31-9099, "Nursing
    # Assistant" under 29-9093, 31-1121 and 31-1133, "Phlebotomist" under 31-9099.
    out = code_titles(["Registered Nurses", "Nursing Assistant", "Phlebotomist"], index)
    assert out["soc_code"].to_list() == ["29-1141", "31-1131", "31-9097"]
    assert out["confidence"].to_list() == [0.98, 0.98, 0.98]


def test_house_rules_name_real_codes(onet_titles: pl.DataFrame) -> None:
    known = set(onet_titles["soc_code"])
    for title, (soc_code, reason) in titles.HOUSE_TITLES.items():
        assert soc_code in known, title
        assert reason and normalize_title(title) == title


# --- the index ---------------------------------------------------------------------------------


def test_index_is_built_from_the_onet_schema(onet_titles: pl.DataFrame, index: TitleIndex) -> None:
    assert onet_titles.columns == list(OnetTitleSchema.columns)
    assert len(index.keys) == len(index.lookup) == len(index.key_soc) > 40_000
    assert index.soc_titles["29-1141"] == "Registered Nurses"
    assert index.soc_onet["29-1141"] == "29-1141.00"
    hit = index.lookup["nursing assistant"]
    assert (index.key_soc[hit], index.key_confidence[hit]) == ("31-1131", 0.98)


def test_index_survives_pickling(index: TitleIndex) -> None:
    copy = pickle.loads(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
    given = ["CNA - Nights", "QC Analyst I - Chemistry - GMP", "Registerd Nurse - Step Down"]
    assert code_titles(given, copy).equals(code_titles(given, index))


def _decorated(titles_: list[str], n: int) -> list[str]:
    """Distinct postings made from the labelled titles with levels, shifts, places and pay."""
    rng = random.Random(7)
    levels = ["", " I", " II", " III", "Sr. ", "Senior ", "Lead "]
    decorations = [
        ["Nights", "Days", "Evenings", "Weekends", "7p-7a", "12 hr Nights", "2nd Shift"],
        ["PRN", "Per Diem", "Full Time", "Part Time", "Float Pool", "Travel", "Contract"],
        ["Boston, MA", "Detroit Campus", "Chicago, IL", "Worcester, MA", "Southfield, MI"],
        ["$2,000 Sign-On Bonus", "Sign On Bonus", "Req #{}", "Job ID {}", "Up to $45/hr"],
    ]
    out: dict[str, None] = {}
    while len(out) < n:
        title = rng.choice(titles_)
        level = rng.choice(levels)
        title = level + title if level.endswith(" ") else title + level
        parts = [title]
        for pool, share in zip(decorations, (0.7, 0.5, 0.6, 0.3), strict=True):
            if rng.random() < share:
                parts.append(rng.choice(pool).format(rng.randint(10_000, 99_999)))
        out[" - ".join(parts)] = None
    return list(out)


# Speed is measured by `gapboard bench` (bench/ingest.py), not asserted here.
def test_a_realistic_mix_is_coded_row_for_row(index: TitleIndex, labelled: pl.DataFrame) -> None:
    mix = _decorated(labelled["title"].to_list(), 2_000)
    titles._normalize.cache_clear()
    out = code_titles(mix, index)
    assert out.height == 2_000
    assert out["title"].to_list() == mix
    assert out["soc_code"].is_not_null().mean() > 0.95
