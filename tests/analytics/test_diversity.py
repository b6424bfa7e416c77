"""Workforce diversity: Census occupation titles matched to SOC codes, and the CPS profile."""

from __future__ import annotations

import polars as pl
import pytest

from analytics import diversity as dv
from analytics.projections import compute_ep_soc_map
from analytics.schemas import DiversitySchema
from connectors import snapshots
from workflows import reference_dir

# SOC code -> (Census title in CPS Table 11, how it is matched)
EXPECTED = {
    "31-9092": ("Medical assistants", dv.SAME_TITLE),
    "29-1141": ("Registered nurses", dv.SAME_TITLE),
    "31-1131": ("Nursing assistants", dv.SAME_TITLE),
    "43-6013": ("Medical secretaries and administrative assistants", dv.SAME_TITLE),
    "29-2057": ("Dietetic technicians and ophthalmic medical technicians", dv.COMBINED),
    "31-2022": ("Physical therapist assistants and aides", dv.COMBINED),
    "31-1133": ("Orderlies and psychiatric aides", dv.COMBINED),
    "29-2099": ("Miscellaneous health technologists and technicians", dv.MISCELLANEOUS),
    "29-2012": ("Clinical laboratory technologists and technicians", dv.BROAD_GROUP),
    "25-1072": ("Postsecondary teachers", dv.BROAD_GROUP),
    "31-9093": (None, None),  # medical equipment preparers: no Census title says so
}


def _ref(name: str) -> pl.DataFrame:
    return snapshots.read_dataset(reference_dir(), name)


@pytest.fixture(scope="module")
def lookup() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    ep, occupations = _ref("ep_occupations"), _ref("onet_occupations")
    codes = pl.concat([occupations["soc_code"], _ref("cip_soc")["soc_code"]]).unique()
    return dv.build_title_lookup(EXPECTED, ep, occupations, compute_ep_soc_map(ep, codes))


def test_census_titles_match_soc_codes(
    lookup: tuple[dict[str, list[str]], dict[str, list[str]]],
) -> None:
    census = _ref("cps_demographics").filter(pl.col("year") == 2022)["occupation"]
    got = dv.match_census_titles(census, *lookup)
    found = {r["soc_code"]: (r["cps_occupation"], r["match_method"]) for r in got.to_dicts()}
    assert found == EXPECTED


def test_normalize_title_ignores_case_punctuation_and_ampersands() -> None:
    assert dv.normalize_title("File Clerks") == dv.normalize_title("File clerks")
    assert dv.normalize_title("Speech-Language  Pathologists") == "speech language pathologists"
    assert dv.normalize_title("Food Prep & Serving") == "food prep and serving"


def test_profile_of_medical_assistants_beside_all_occupations(
    lookup: tuple[dict[str, list[str]], dict[str, list[str]]],
) -> None:
    own, groups = lookup
    chosen = {
        "31-9092": ("Medical Assistants", "target"),
        "43-6013": ("Medical Secretaries", "feeder"),
        "31-9093": ("Medical Equipment Preparers", "feeder"),
    }
    frame = dv.compute_diversity(_ref("cps_demographics"), _ref("cps_age"), chosen, own, groups)
    assert frame.columns == list(DiversitySchema.columns)
    rows = {r["title"]: r for r in frame.to_dicts()}
    ma = rows["Medical Assistants"]
    # cpsaat11 2022: medical assistants 541 thousand, 89.2% women, 15.7% Black, 5.6% Asian,
    # 32.9% Hispanic or Latino.
    assert (ma["race_sex_year"], ma["total_employed"]) == (2022, 541_000.0)
    assert (ma["pct_women"], ma["pct_black"], ma["pct_asian"], ma["pct_hispanic"]) == (
        89.2, 15.7, 5.6, 32.9,
    )  # fmt: skip
    # cpsaat11b 2025: 680 thousand, 15 aged 16-19 and 126 aged 20-24, median age 35.
    assert ma["age_year"] == 2025
    assert ma["pct_age_16_24"] == pytest.approx(141 / 680 * 100)
    assert ma["median_age"] == 35.0
    ages = [ma[f"pct_age_{g}"] for g in dv.AGE_GROUPS]
    assert sum(ages) == pytest.approx(100.0, abs=0.5)
    everyone = rows[dv.ALL_OCCUPATIONS]
    assert everyone["role"] == "all occupations"
    assert (everyone["pct_women"], everyone["pct_hispanic"]) == (46.8, 18.5)
    assert everyone["median_age"] == 42.1
    unmatched = rows["Medical Equipment Preparers"]
    assert unmatched["cps_occupation"] is None and unmatched["pct_women"] is None
    assert list(rows) == [
        "Medical Assistants", "Medical Secretaries", "Medical Equipment Preparers",
        dv.ALL_OCCUPATIONS,
    ]  # fmt: skip
