"""The reference datasets Gapboard ships: where each comes from, how it is parsed, what it may be used for."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from analytics import schemas

BLS = "U.S. Bureau of Labor Statistics"
ONET = "USDOL/ETA O*NET"
NCES = "National Center for Education Statistics"
CENSUS = "U.S. Census Bureau / OMB"
INDEED = "Indeed Hiring Lab"
PUBLIC = "U.S. Government work, public domain"
CC_BY = "CC BY 4.0 (attribution required)"
ONET_ZIP = "https://www.onetcenter.org/dl_files/database/db_27_0_text.zip"
ONET_XLSX_ZIP = "https://www.onetcenter.org/dl_files/database/db_27_0_excel.zip"
INDEED_RAW = "https://raw.githubusercontent.com/hiring-lab/job_postings_tracker/master/US"


@dataclass(frozen=True)
class Download:
    """One publisher file: its URL, and where it lands in the source layout (inside a zip: `member`)."""

    url: str
    dest: str
    member: str | None = None


@dataclass(frozen=True)
class Dataset:
    """A reference dataset: its parser, its source files (relative to a source folder) and provenance."""

    name: str
    title: str
    parser: str  # "module:function"; called with the resolved paths of `files`
    files: tuple[str, ...]
    schema: schemas.Schema
    publisher: str
    source_url: str
    vintage: str
    license: str
    downloads: tuple[Download, ...] = field(default_factory=tuple)
    directory_arg: bool = False  # the parser takes the folder of its first file
    list_arg: bool = False  # the parser takes a list of paths
    # When the publisher's download is in another layout than the shipped files (OEWS: the BLS
    # flat files rather than the reshaped CSV), the parser and file that read the download.
    remote_parser: str | None = None
    remote_file: str | None = None

    def parse(self, source_dir: Path, downloaded: bool = False) -> pl.DataFrame:
        """Return the dataset parsed from the files under source_dir, validated against its schema."""
        if downloaded and self.remote_parser and self.remote_file:
            module_name, func_name = self.remote_parser.split(":")
            remote = getattr(importlib.import_module(module_name), func_name)
            return self.schema.validate(remote(source_dir / self.remote_file))
        module_name, func_name = self.parser.split(":")
        func: Callable[..., pl.DataFrame] = getattr(importlib.import_module(module_name), func_name)
        paths = [source_dir / f for f in self.files]
        if self.directory_arg:
            frame = func(paths[0].parent)
        elif self.list_arg:
            frame = func(paths)
        else:
            frame = func(*paths)
        return self.schema.validate(frame)


def _onet(
    name: str, title: str, parser: str, filenames: tuple[str, ...], schema: schemas.Schema
) -> Dataset:
    def download(filename: str) -> Download:
        kind = "excel" if filename.endswith(".xlsx") else "text"
        url = ONET_XLSX_ZIP if kind == "excel" else ONET_ZIP
        return Download(url, f"onet/{filename}", member=f"db_27_0_{kind}/{filename}")

    return Dataset(
        name=name,
        title=title,
        parser=f"connectors.onet:{parser}",
        files=tuple(f"onet/{f}" for f in filenames),
        schema=schema,
        publisher=ONET,
        source_url="https://www.onetcenter.org/database.html",
        vintage="O*NET 27.0 (August 2022)",
        license=CC_BY,
        downloads=tuple(download(f) for f in filenames),
        directory_arg=True,
    )


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "ep_occupations",
        "Employment Projections 2024–34, tables 1.2 and 1.10",
        "connectors.bls:parse_ep_workbook",
        ("bls/ep_occupation_2024-34.xlsx",),
        schemas.EpOccupationSchema,
        BLS + ", Employment Projections program",
        "https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx",
        "2024–34 projections (released 2025)",
        PUBLIC,
        downloads=(
            Download(
                "https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx",
                "bls/ep_occupation_2024-34.xlsx",
            ),
        ),
    ),
    Dataset(
        "oews",
        "Occupational Employment and Wage Statistics, May 2025",
        "connectors.bls:parse_oews_csv",
        (
            "bls/oews_may2025_ma_il_mi_national.csv",
            "bls/oews_may2025_all_states_healthcare.csv",
            "bls/oews_may2025_national_healthcare_lifesci_industries.csv",
        ),
        schemas.OewsSchema,
        BLS + ", OEWS program",
        "https://download.bls.gov/pub/time.series/oe/",
        "May 2025 estimates (published 2026-05-15)",
        PUBLIC,
        downloads=tuple(
            Download(f"https://download.bls.gov/pub/time.series/oe/{f}", f"bls/oe/{f}")
            for f in ("oe.data.0.Current", "oe.area", "oe.occupation", "oe.industry")
        ),
        list_arg=True,
        remote_parser="connectors.bls:parse_oews_flat",
        remote_file="bls/oe",
    ),
    Dataset(
        "oews_areas",
        "OEWS areas (national, state, metropolitan and nonmetropolitan)",
        "connectors.bls:parse_oews_areas",
        ("bls/oews_may2025_areas.csv",),
        schemas.OewsAreaSchema,
        BLS + ", OEWS program",
        "https://download.bls.gov/pub/time.series/oe/oe.area",
        "May 2025",
        PUBLIC,
        downloads=(
            Download("https://download.bls.gov/pub/time.series/oe/oe.area", "bls/oe/oe.area"),
        ),
        remote_parser="connectors.bls:parse_oews_area_file",
        remote_file="bls/oe/oe.area",
    ),
    _onet(
        "onet_occupations",
        "O*NET occupations",
        "parse_onet_occupations",
        ("Occupation Data.txt",),
        schemas.OnetOccupationSchema,
    ),
    _onet(
        "onet_titles",
        "O*NET occupation, alternate and reported job titles",
        "parse_onet_titles",
        ("Occupation Data.txt", "Alternate Titles.txt", "Sample of Reported Titles.txt"),
        schemas.OnetTitleSchema,
    ),
    _onet(
        "onet_job_zones",
        "O*NET job zones",
        "parse_onet_job_zones",
        ("Job Zones.txt",),
        schemas.OnetJobZoneSchema,
    ),
    _onet(
        "onet_education",
        "O*NET required level of education",
        "parse_onet_education",
        (
            "Education, Training, and Experience.txt",
            "Education, Training, and Experience Categories.txt",
        ),
        schemas.OnetEducationSchema,
    ),
    _onet(
        "onet_skills",
        "O*NET skills (importance and level)",
        "parse_onet_skills",
        ("Skills.xlsx",),
        schemas.OnetSkillSchema,
    ),
    _onet(
        "onet_related",
        "O*NET related occupations",
        "parse_onet_related",
        ("Related Occupations.txt",),
        schemas.OnetRelatedSchema,
    ),
    _onet(
        "onet_tasks",
        "O*NET task statements",
        "parse_onet_tasks",
        ("Task Statements.txt",),
        schemas.OnetTaskSchema,
    ),
    _onet(
        "onet_technology",
        "O*NET technology skills",
        "parse_onet_technology",
        ("Technology Skills.txt",),
        schemas.OnetTechnologySchema,
    ),
    Dataset(
        "cip_soc",
        "CIP 2020 – SOC 2018 crosswalk",
        "connectors.crosswalks:parse_cip_soc",
        ("crosswalks/CIP2020_SOC2018_Crosswalk.csv",),
        schemas.CipSocSchema,
        NCES + " and " + BLS,
        "https://nces.ed.gov/ipeds/cipcode/resources.aspx?y=56",
        "CIP 2020 / SOC 2018",
        PUBLIC,
    ),
    Dataset(
        "cip_titles",
        "CIP 2020 codes and titles",
        "connectors.crosswalks:parse_cip_titles",
        ("crosswalks/CIPCode2020.csv",),
        schemas.CipTitleSchema,
        NCES,
        "https://nces.ed.gov/ipeds/cipcode/Files/CIPCode2020.csv",
        "CIP 2020",
        PUBLIC,
        downloads=(
            Download(
                "https://nces.ed.gov/ipeds/cipcode/Files/CIPCode2020.csv",
                "crosswalks/CIPCode2020.csv",
            ),
        ),
    ),
    Dataset(
        "counties",
        "Counties with their CBSA (July 2023 delineation)",
        "connectors.geo:parse_counties",
        ("geo/cbsa_county_delineation_2023.csv", "geo/county_fips_list_from_geojson.csv"),
        schemas.CountySchema,
        CENSUS,
        "https://www.census.gov/geographies/reference-files/time-series/demo/metro-micro/delineation-files.html",
        "July 2023 delineation (OMB Bulletin 23-01)",
        PUBLIC,
    ),
    Dataset(
        "ipeds_completions",
        "IPEDS completions by institution, CIP and award level, 2020–2024",
        "connectors.ipeds:parse_ipeds_completions",
        ("ipeds/ipeds_completions_c2020-c2024_a_ma_il_mi.csv",),
        schemas.IpedsCompletionSchema,
        NCES + ", IPEDS",
        "https://nces.ed.gov/ipeds/datacenter/DataFiles.aspx",
        "C2020–C2024 (C2024 provisional), first majors",
        PUBLIC,
    ),
    Dataset(
        "ipeds_institutions",
        "IPEDS institutional directory (HD)",
        "connectors.ipeds:parse_ipeds_institutions",
        ("ipeds/ipeds_hd_directory_ma_il_mi.csv",),
        schemas.IpedsInstitutionSchema,
        NCES + ", IPEDS",
        "https://nces.ed.gov/ipeds/datacenter/DataFiles.aspx",
        "HD2020–HD2024 (latest record per institution)",
        PUBLIC,
    ),
    Dataset(
        "ipeds_award_levels",
        "IPEDS award levels",
        "connectors.ipeds:parse_ipeds_award_levels",
        ("ipeds/ipeds_c2024_a_code_labels_awlevel_majornum.csv",),
        schemas.IpedsAwardLevelSchema,
        NCES + ", IPEDS",
        "https://nces.ed.gov/ipeds/datacenter/DataFiles.aspx",
        "C2024_A dictionary",
        PUBLIC,
    ),
    Dataset(
        "postings_sector",
        "Job postings index by occupational sector, United States",
        "connectors.postings:parse_indeed_sector",
        ("postings/indeed_job_postings_index_by_sector_US_2020-02-01_2024-09-27.csv",),
        schemas.PostingsIndexSchema,
        INDEED,
        "https://github.com/hiring-lab/job_postings_tracker",
        "daily, 2020-02-01 to 2024-09-27 (pre-November-2024 seasonal adjustment)",
        CC_BY,
    ),
    Dataset(
        "postings_state",
        "Job postings index by state",
        "connectors.postings:parse_indeed_state",
        ("postings/indeed_job_postings_index_by_state_2020-02-01_2026-08-14.csv",),
        schemas.PostingsIndexSchema,
        INDEED,
        "https://github.com/hiring-lab/job_postings_tracker",
        "daily, 2020-02-01 to 2026-08-14",
        CC_BY,
        downloads=(
            Download(
                f"{INDEED_RAW}/state_job_postings_us.csv",
                "postings/indeed_job_postings_index_by_state_2020-02-01_2026-08-14.csv",
            ),
        ),
    ),
    Dataset(
        "postings_national",
        "Job postings index, all postings, United States",
        "connectors.postings:parse_indeed_aggregate",
        ("postings/indeed_job_postings_index_aggregate_US_2020-02-01_2026-08-14.csv",),
        schemas.PostingsIndexSchema,
        INDEED,
        "https://github.com/hiring-lab/job_postings_tracker",
        "daily, 2020-02-01 to 2026-08-14",
        CC_BY,
        downloads=(
            Download(
                f"{INDEED_RAW}/aggregate_job_postings_US.csv",
                "postings/indeed_job_postings_index_aggregate_US_2020-02-01_2026-08-14.csv",
            ),
        ),
    ),
    Dataset(
        "postings_metro",
        "Job postings trend by metro area (MA, IL, MI)",
        "connectors.postings:parse_indeed_metro",
        ("postings/indeed_job_postings_index_by_metro_ma_il_mi_2020-02-01_2022-03-04.csv",),
        schemas.PostingsIndexSchema,
        INDEED,
        "https://github.com/hiring-lab/job_postings_tracker",
        "daily, 2020-02-01 to 2022-03-04",
        CC_BY,
    ),
    Dataset(
        "cps_demographics",
        "CPS employed persons by detailed occupation, sex, race and Hispanic or Latino ethnicity",
        "connectors.cps:parse_cps_demographics",
        ("cps/cpsaat11_2020-2022_tidy.csv",),
        schemas.CpsDemographicsSchema,
        BLS + ", Current Population Survey",
        "https://www.bls.gov/cps/cpsaat11.htm",
        "annual averages 2020–2022",
        PUBLIC,
    ),
    Dataset(
        "cps_age",
        "CPS employed persons by detailed occupation and age",
        "connectors.cps:parse_cps_age",
        ("cps/cpsaat11b_2025_tidy.csv",),
        schemas.CpsAgeSchema,
        BLS + ", Current Population Survey",
        "https://www.bls.gov/cps/cpsaat11b.htm",
        "annual averages 2025 (11-month average: October 2025 not collected)",
        PUBLIC,
    ),
    Dataset(
        "series_ces_health",
        "CES national health-care employment, monthly, not seasonally adjusted",
        "connectors.series:parse_ces_fred",
        ("series/ces_national_healthcare_monthly_nsa_1939-2019_fred.csv",),
        schemas.SeriesSchema,
        BLS + ", Current Employment Statistics (via FRED)",
        "https://fred.stlouisfed.org/",
        "as published in October 2019, through 2019-09",
        PUBLIC,
    ),
    Dataset(
        "series_ces_state",
        "CES total nonfarm and professional, scientific and technical services, MA, IL, MI and US, monthly, seasonally adjusted",
        "connectors.series:parse_ces_state",
        ("series/ces_state_total_nonfarm_prof_sci_tech_ma_il_mi_us_2015-2024_sa.csv",),
        schemas.SeriesSchema,
        BLS + ", Current Employment Statistics",
        "https://www.bls.gov/sae/",
        "2015-01 to 2024-12, as pulled from the BLS Public Data API",
        PUBLIC,
    ),
    Dataset(
        "series_jolts",
        "JOLTS total nonfarm job openings, monthly, seasonally adjusted",
        "connectors.series:parse_jolts",
        ("series/jolts_total_nonfarm_job_openings_JTSJOL_fred.csv",),
        schemas.SeriesSchema,
        BLS + ", Job Openings and Labor Turnover Survey (via FRED)",
        "https://fred.stlouisfed.org/series/JTSJOL",
        "2001-01 to 2021-07",
        PUBLIC,
    ),
)

DATASETS_BY_NAME = {d.name: d for d in DATASETS}

# Short citations for the source line under a chart; the Sources page gives the full entries.
_CITATION_PREFIXES = {
    "ep_": "BLS Employment Projections 2024–34",
    "oews": "BLS OEWS May 2025",
    "onet_": "O*NET 27.0 (USDOL/ETA, CC BY 4.0)",
    "cip_": "NCES CIP 2020–SOC 2018 crosswalk",
    "counties": "Census/OMB CBSA delineation, July 2023",
    "ipeds_": "NCES IPEDS completions 2020–2024",
    "postings_": "Indeed Hiring Lab job postings index (CC BY 4.0)",
    "cps_": "BLS Current Population Survey",
    "series_": "BLS CES / JOLTS",
}


def citation(name: str) -> str:
    """Return the short citation of a dataset, for the source line under a chart."""
    for prefix, text in _CITATION_PREFIXES.items():
        if name.startswith(prefix):
            return text
    return DATASETS_BY_NAME[name].title
