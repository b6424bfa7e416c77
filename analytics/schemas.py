"""Named schemas for every frame that crosses a layer, validated where data enters.

Rates are fractions (0-1), `_pct` columns are percentages, counts are people (never the BLS
thousands), wages are US dollars, codes are strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl


class SchemaError(ValueError):
    """A frame does not have the columns or types its schema names."""


@dataclass(frozen=True)
class Schema:
    """A named set of columns with their Polars dtypes."""

    name: str
    columns: dict[str, pl.DataType | type[pl.DataType]]

    def validate(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Return the frame with exactly the schema's columns, in order, or raise SchemaError."""
        missing = [c for c in self.columns if c not in frame.columns]
        if missing:
            raise SchemaError(f"{self.name}: missing column(s) {', '.join(missing)}")
        wrong = [
            f"{c} is {frame.schema[c]}, expected {dtype}"
            for c, dtype in self.columns.items()
            if not _same_dtype(frame.schema[c], dtype)
        ]
        if wrong:
            raise SchemaError(f"{self.name}: " + "; ".join(wrong))
        return frame.select(list(self.columns))

    def empty(self) -> pl.DataFrame:
        """Return an empty frame with this schema."""
        return pl.DataFrame(schema=self.columns)


def _same_dtype(actual: pl.DataType, expected: pl.DataType | type[pl.DataType]) -> bool:
    if isinstance(expected, type):
        return actual.base_type() == expected
    return actual == expected


Str, F64, I64, I32, I16, I8, Bool, Date = (
    pl.String,
    pl.Float64,
    pl.Int64,
    pl.Int32,
    pl.Int16,
    pl.Int8,
    pl.Boolean,
    pl.Date,
)

# --- BLS Employment Projections (tables 1.2 and 1.10 joined on the matrix code) -------------
EpOccupationSchema = Schema(
    "EpOccupation",
    {
        "ep_code": Str,  # 2024 National Employment Matrix code, e.g. "31-1120"
        "title": Str,  # leading hierarchy spaces stripped
        "occupation_type": Str,  # "Line item" (detailed) or "Summary"
        "employment_2024": F64,  # people
        "employment_2034": F64,
        "employment_change": F64,
        "employment_change_pct": F64,
        "self_employed_pct": F64,  # null where BLS prints an em dash
        "exit_rate": F64,  # labor-force exit rate, 0-1, annual average
        "transfer_rate": F64,  # occupational transfer rate, 0-1
        "separations_rate": F64,
        "annual_exits": F64,
        "annual_transfers": F64,
        "annual_separations": F64,
        "annual_openings": F64,  # as published (rounded to the hundred)
        "median_annual_wage": F64,  # null when not available; lower bound when top-coded
        "wage_top_coded": Bool,  # BLS prints ">=$239,200"
        "entry_education": Str,
        "work_experience": Str,
        "job_training": Str,
    },
)

# EP matrix code -> detailed SOC 2018 code (31-1120 -> 31-1121 and 31-1122; identity otherwise)
EpSocMapSchema = Schema("EpSocMap", {"ep_code": Str, "soc_code": Str})

# --- OEWS (flat files or the reshaped CSV) ----------------------------------------------------
OewsSchema = Schema(
    "Oews",
    {
        "area_code": Str,  # 7 digits: 0000000 national, SS00000 state, 00CCCCC metro/nonmetro
        "area_type": Str,  # N, S, M
        "area_title": Str,
        "state_fips": Str,
        "industry_code": Str,  # 000000 cross-industry
        "soc_code": Str,
        "occ_title": Str,
        "occ_level": I8,  # 0 total/major, 1 minor, 2 broad, 3 detailed
        "employment": F64,  # null when not released
        "employment_rse_pct": F64,
        "hourly_mean_wage": F64,
        "annual_mean_wage": F64,
        "hourly_median_wage": F64,
        "annual_median_wage": F64,  # lower bound (239,200) when top-coded
        "annual_p10_wage": F64,
        "annual_p25_wage": F64,
        "annual_p75_wage": F64,
        "annual_p90_wage": F64,
        "jobs_per_1000": F64,
        "location_quotient": F64,
        "employment_flag": Str,  # null, or "not released"
        "wage_flag": Str,  # null, "not released", "top-coded", "hourly not published", ...
        "footnotes": Str,  # the BLS footnote codes as published, e.g. "a_median=5;h_median=5"
    },
)

OewsAreaSchema = Schema(
    "OewsArea", {"area_code": Str, "area_type": Str, "state_fips": Str, "area_title": Str}
)

# --- O*NET database ---------------------------------------------------------------------------
OnetOccupationSchema = Schema(
    "OnetOccupation", {"onet_code": Str, "soc_code": Str, "title": Str, "description": Str}
)
OnetTitleSchema = Schema(
    "OnetTitle",
    {
        "onet_code": Str,
        "soc_code": Str,
        "title": Str,
        "short_title": Str,  # null where O*NET writes "n/a"
        "kind": Str,  # "occupation", "alternate" or "reported"
    },
)
# Job titles coded to SOC (analytics.titles.code_titles), one row per title given.
CodedTitleSchema = Schema(
    "CodedTitle",
    {
        "title": Str,  # as given
        "soc_code": Str,  # SOC 2018 "29-1141"; null when nothing plausible was found
        "soc_title": Str,
        "onet_code": Str,  # O*NET-SOC "29-1141.00"
        "confidence": F64,  # 0-1
        "needs_review": Bool,  # confidence below the threshold
        "method": Str,  # "override", "exact", "fuzzy" or "none"
    },
)
OnetJobZoneSchema = Schema("OnetJobZone", {"onet_code": Str, "soc_code": Str, "job_zone": I8})
OnetEducationSchema = Schema(
    "OnetEducation",
    {
        "onet_code": Str,
        "soc_code": Str,
        "category": I8,  # RL category 1-12
        "category_label": Str,
        "share_pct": F64,  # percent of respondents
    },
)
OnetSkillSchema = Schema(
    "OnetSkill",
    {
        "onet_code": Str,
        "soc_code": Str,
        "element_id": Str,
        "skill": Str,
        "importance": F64,  # IM scale, 1-5
        "level": F64,  # LV scale, 0-7
        "suppress": Bool,  # O*NET recommends suppression (level estimate)
    },
)
OnetRelatedSchema = Schema(
    "OnetRelated",
    {"onet_code": Str, "related_onet_code": Str, "tier": Str, "rank": I16},
)
OnetTaskSchema = Schema(
    "OnetTask", {"onet_code": Str, "task_id": Str, "task": Str, "task_type": Str}
)
OnetTechnologySchema = Schema(
    "OnetTechnology",
    {
        "onet_code": Str,
        "example": Str,
        "commodity_code": Str,
        "commodity_title": Str,
        "hot_technology": Bool,
    },
)

# --- CIP 2020 - SOC 2018 ---------------------------------------------------------------------
CipSocSchema = Schema(
    "CipSoc", {"cip_code": Str, "cip_title": Str, "soc_code": Str, "soc_title": Str}
)
CipTitleSchema = Schema(
    "CipTitle",
    {"cip_code": Str, "cip_family": Str, "cip_title": Str, "cip_definition": Str, "digits": I8},
)

# --- Geography --------------------------------------------------------------------------------
CountySchema = Schema(
    "County",
    {
        "county_fips": Str,
        "state_fips": Str,
        "county_name": Str,
        "state_name": Str,
        "cbsa_code": Str,  # null when the county is in no CBSA
        "cbsa_title": Str,
        "cbsa_kind": Str,  # "metro", "micro" or null
        "central_outlying": Str,
    },
)

# --- IPEDS ------------------------------------------------------------------------------------
IpedsCompletionSchema = Schema(
    "IpedsCompletion",
    {
        "survey_year": I16,
        "unitid": Str,
        "cip_code": Str,  # six-digit programs only: the CIP 99 grand totals are dropped
        "major_number": I8,
        "award_level": I8,
        "completers": I32,
        "completers_men": I32,
        "completers_women": I32,
    },
)
IpedsInstitutionSchema = Schema(
    "IpedsInstitution",
    {
        "unitid": Str,
        "institution": Str,
        "city": Str,
        "state": Str,
        "county_fips": Str,
        "county_name": Str,
        "cbsa_code": Str,
        "latitude": F64,
        "longitude": F64,
        "sector": I8,
        "sector_label": Str,
        "hd_year": I16,
    },
)
IpedsAwardLevelSchema = Schema("IpedsAwardLevel", {"award_level": I8, "award_label": Str})

# --- Job postings indexes (Indeed Hiring Lab, CC BY 4.0) --------------------------------------
PostingsIndexSchema = Schema(
    "PostingsIndex",
    {
        "date": Date,
        "geography": Str,  # "US", a lower-case state code, or a CBSA code
        "series": Str,  # sector name, "total postings", "new postings"
        "index_value": F64,  # 2020-02-01 = 100 (metro file: converted from percent change)
        "adjustment": Str,  # "SA" or "NSA"
    },
)

# --- CPS annual averages (national) -----------------------------------------------------------
CpsDemographicsSchema = Schema(
    "CpsDemographics",
    {
        "year": I16,
        "row_order": I16,
        "occupation": Str,  # Census occupation title
        "total_employed": F64,  # people
        "pct_women": F64,
        "pct_white": F64,
        "pct_black": F64,
        "pct_asian": F64,
        "pct_hispanic": F64,
    },
)
CpsAgeSchema = Schema(
    "CpsAge",
    {
        "year": I16,
        "row_order": I16,
        "occupation": Str,
        "total_employed": F64,
        "age_16_24": F64,  # people
        "age_25_34": F64,
        "age_35_44": F64,
        "age_45_54": F64,
        "age_55_64": F64,
        "age_65_plus": F64,
        "median_age": F64,
    },
)

# --- Monthly series (forecasting) ------------------------------------------------------------
SeriesSchema = Schema("Series", {"series_id": Str, "title": Str, "ds": Date, "y": F64})
# Forecasts: one row per series and future month; `cutoff` is the last month of the history.
# Intervals are null where they cannot be estimated (a trend projection from under 3 months).
ForecastSchema = Schema(
    "Forecast",
    {
        "series_id": Str,
        "ds": Date,
        "cutoff": Date,
        "model": Str,  # the model that made it, e.g. "ETS(A,Ad,A)", "trend (short series)"
        "yhat": F64,
        "lo80": F64,
        "hi80": F64,
        "lo95": F64,
        "hi95": F64,
    },
)
# Rolling-origin backtest: every model's forecast from every origin, beside the actual value.
BacktestSchema = Schema(
    "Backtest",
    {
        "series_id": Str,
        "ds": Date,
        "y": F64,
        "cutoff": Date,
        "model": Str,  # seasonal naive, ets, arima, theta, combination, trend, or selected
        "label": Str,  # the fitted model at that origin, e.g. "ARIMA(0,1,1)(0,1,1)[12]"
        "yhat": F64,
        "lo80": F64,
        "hi80": F64,
        "lo95": F64,
        "hi95": F64,
    },
)

# --- BLS Public Data API v2 (timeseries/data), one row per series x period --------------------
BlsApiSeriesSchema = Schema(
    "BlsApiSeries",
    {
        "series_id": Str,  # e.g. "OEUM001446000000029114101", "CEU6562000101"
        "year": I16,
        "period": Str,  # "M01".."M12", "M13" (annual average), "A01" (annual), "Q01".., "S01"..
        "period_name": Str,
        "value": F64,  # as published (BLS units: CES in thousands); null where BLS prints "-"
        "footnotes": Str,  # footnote texts joined with "; ", null when none
        "date": Date,  # first of the month for M01-M12, null otherwise
    },
)

# --- Public job boards (Greenhouse, Lever) and USAJOBS, in the vacancy feed's terms -----------
# All text, like a member feed before analytics.intake: values are kept as the source gave them
# (dates as ISO text when they could be read). `city` is not a county: the boards give a place
# name, so county_fips stays for intake or title coding to settle. `soc_hint` is a suggestion
# from the OPM series (USAJOBS only), never a member-given soc_code.
PublicPostingSchema = Schema(
    "PublicPosting",
    {
        "posting_id": Str,
        "title": Str,
        "posted_date": Str,  # ISO yyyy-mm-dd
        "closed_date": Str,
        "status": Str,  # "open" for boards (published postings), null for USAJOBS
        "openings": Str,  # "1": one posting, one opening unless the source says otherwise
        "employment_type": Str,
        "location": Str,  # the location text as given
        "city": Str,
        "state": Str,  # as given: "MA", "Massachusetts" (or a country for posts abroad)
        "employer": Str,
        "occupation_series": Str,  # OPM series, e.g. "0610" (USAJOBS only)
        "soc_hint": Str,  # 6-digit SOC 2018 suggested by the OPM series, null when ambiguous
        "source": Str,  # "greenhouse:<board>", "lever:<site>", "usajobs"
    },
)


# --- Regions and demand -----------------------------------------------------------------------
@dataclass(frozen=True)
class Region:
    """A named set of counties (or a whole state, or the nation) that a consortium plans for."""

    region_id: str
    name: str
    kind: str  # "counties", "state" or "nation"
    counties: tuple[str, ...] = ()
    cbsas: tuple[str, ...] = ()
    state_fips: str | None = None
    description: str = ""
    watchlist: tuple[str, ...] = field(default_factory=tuple)


RegionAreaSchema = Schema(
    "RegionArea",
    {
        "region_id": Str,
        "area_code": Str,
        "area_title": Str,
        "counties_in_region": I32,
        "counties_in_area": I32,
        "coverage": Str,  # "whole", "partial" or "not published"
    },
)
DemandSchema = Schema(
    "Demand",
    {
        "region_id": Str,
        "soc_code": Str,
        "title": Str,
        "base_year": I16,
        "base_employment": F64,
        "projected_year": I16,
        "projected_employment": F64,
        "growth_pct": F64,
        "annual_openings": F64,
        "median_annual_wage": F64,
        "wage_top_coded": Bool,
        "entry_education": Str,
        "growth_source": Str,
    },
)

# --- Training supply, gaps and the vacancy signal (analytics.supply, gaps, vacancies) ---------
# One row per training program inside a region: an IPEDS program (institution x CIP x award
# level, completers averaged over the latest survey years) or a member program.
SupplyProgramSchema = Schema(
    "SupplyProgram",
    {
        "region_id": Str,
        "source": Str,  # "IPEDS completions 2022–2024 avg", "member programs" or "scenario"
        "provider": Str,  # institution or training provider
        "program": Str,  # IPEDS: the CIP title
        "unitid": Str,  # IPEDS institution id; null for member and scenario programs
        "cip_code": Str,
        "award_level": Str,  # IPEDS award-level label, or the member feed's award level
        "max_entry_education": Str,  # highest BLS typical entry education the award can feed
        "is_certificate": Bool,  # certificates never feed postsecondary teachers (25-1xxx)
        "county_fips": Str,  # null for a scenario program placed in no county
        "annual_completers": F64,  # people a year
        "placement_rate": F64,  # in-field placement share, 0-1
        "placement_rate_source": Str,  # "reported by the program", or the default and its basis
        "annual_seats": F64,  # capacity, people a year; null when unknown (IPEDS has none)
    },
)
# CIP -> occupation links along which completers are allocated (crosswalk, via the EP codes).
OccupationLinkSchema = Schema(
    "OccupationLink",
    {
        "cip_code": Str,
        "soc_code": Str,  # EP line-item code, as in Demand (31-1120 stands for 31-1121/31-1122)
        "title": Str,
        "entry_education": Str,  # BLS typical education needed for entry
        "education_rank": I8,  # level an award must reach: 0 no formal credential .. 7 doctoral
        "is_postsecondary_teacher": Bool,  # 25-1xxx
        "regional_openings": F64,  # the region's annual openings; null when not estimated there
        "national_openings": F64,  # BLS annual openings, the weight when the region has none
    },
)
# Program x occupation: the part of a program's completers allocated to the occupation.
SupplySchema = Schema(
    "Supply",
    {
        **SupplyProgramSchema.columns,
        "soc_code": Str,
        "title": Str,
        "share": F64,  # 0-1, in proportion to the eligible occupations' annual openings
        "share_basis": Str,  # "regional openings", or "national openings" (none in the region)
        "annual_supply": F64,  # completers x placement rate x share, people a year
        "annual_capacity": F64,  # seats x share; null when seats are unknown
    },
)
GapSchema = Schema(
    "Gap",
    {
        "region_id": Str,
        "soc_code": Str,
        "title": Str,
        "annual_openings": F64,  # demand: projected openings (blended with the vacancy signal if asked)
        "annual_supply": F64,  # people a year, scenario included
        "gap": F64,  # annual_openings - annual_supply
        "coverage": F64,  # annual_supply / annual_openings; null when there are no openings
        "projected_openings": F64,  # regional annual openings (BLS separations method)
        "vacancy_openings": F64,  # member postings' openings a year; null when none or suppressed
        "ipeds_supply": F64,
        "member_supply": F64,
        "scenario_supply": F64,  # from programs a scenario adds
        "pathway_supply": F64,  # incumbent-worker pathways of a scenario
        "baseline_supply": F64,  # without the scenario
        "baseline_gap": F64,
        "annual_capacity": F64,  # allocated seats; null when no program reports seats
        "top_provider": Str,  # the provider supplying most of the occupation's supply
        "top_provider_share": F64,  # its share of annual_supply from programs, 0-1
        "entry_education": Str,
        "demand_source": Str,
    },
)
CountySupplySchema = Schema(
    "CountySupply",
    {
        "region_id": Str,
        "county_fips": Str,
        "county_name": Str,
        "soc_code": Str,
        "title": Str,
        "annual_supply": F64,
        "ipeds_supply": F64,
        "member_supply": F64,
        "annual_capacity": F64,
    },
)
# Member vacancies by occupation x month inside a region, after disclosure. Rows with soc_code
# "00-0000" are all occupations; rows with a null month cover the whole window. Suppressed
# values are null with status "suppressed".
VacancySignalSchema = Schema(
    "VacancySignal",
    {
        "region_id": Str,
        "soc_code": Str,
        "title": Str,
        "month": Date,  # first day of the month; null on the rows for the whole window
        "months": I16,  # months the row covers (1, or the window's length)
        "new_postings": I64,
        "openings": I64,  # openings of the postings posted in the period
        "open_at_month_end": I64,  # postings open at the month's end; null on window rows
        "median_days_to_fill": F64,  # postings filled in the period
        "median_offered_annual_wage": F64,  # US dollars a year (hourly x 2,080)
        "status": Str,  # "shown" or "suppressed": the counts
        "days_to_fill_status": Str,
        "wage_status": Str,
        "own_new_postings": I64,  # the viewing member's own postings; null without a member
        "own_openings": I64,
        "own_open_at_month_end": I64,
    },
)
# Indeed Hiring Lab postings index, monthly means of the daily values (2020-02-01 = 100).
PostingsTrendSchema = Schema(
    "PostingsTrend",
    {
        "month": Date,
        "geography": Str,  # "US" or a lower-case state code
        "series": Str,  # Indeed sector, or "total postings"
        "index_value": F64,
        "days": I16,  # daily values in the mean
        "adjustment": Str,  # "SA" or "NSA"
    },
)


# --- Member feeds and the warehouse (DESIGN.md "Feed formats") --------------------------------
# Every field a feed of each kind may carry, in order, and the columns a file must have
# (a required "county_fips" is also satisfied by the pair "county" + "state").
FEED_FIELDS: dict[str, tuple[str, ...]] = {
    "vacancies": (
        "posting_id", "title", "posted_date", "county_fips", "county", "state", "soc_code",
        "closed_date", "status", "openings", "wage_min", "wage_max", "wage_unit",
        "education_required", "employment_type",
    ),
    "programs": (
        "provider", "program", "cip_code", "award_level", "county_fips", "county", "state",
        "annual_completers", "placement_rate", "annual_seats", "duration_weeks", "cost",
        "completion_rate", "modality",
    ),
    "placements": (
        "participant_id", "provider", "program", "cohort", "completed_on", "employer", "soc_code",
        "hired_on", "hourly_wage", "separated_on",
    ),
}  # fmt: skip
FEED_REQUIRED: dict[str, tuple[str, ...]] = {
    "vacancies": ("posting_id", "title", "posted_date"),
    "programs": (
        "provider", "program", "cip_code", "award_level", "county_fips", "annual_completers",
        "placement_rate",
    ),
    "placements": ("participant_id", "provider", "program", "cohort", "completed_on", "hired_on"),
}  # fmt: skip

# Rows of a feed that passed validation (analytics.intake), before title coding and storage.
# `row_number` is the data row in the file (1 = the first row under the header).
VacancyFeedSchema = Schema(
    "VacancyFeed",
    {
        "row_number": I64,
        "posting_id": Str,
        "title": Str,
        "soc_code": Str,  # as given (6-digit SOC), else null until coded
        "county_fips": Str,  # null when the feed gives no county
        "posted_date": Date,
        "closed_date": Date,
        "status": Str,  # "open", "filled", "cancelled" or null
        "openings": I64,  # people; 1 when the feed leaves it empty
        "wage_min": F64,  # US dollars per wage_unit
        "wage_max": F64,
        "wage_unit": Str,  # "hour" or "year"
        "education_required": Str,
        "employment_type": Str,
    },
)
ProgramFeedSchema = Schema(
    "ProgramFeed",
    {
        "row_number": I64,
        "provider": Str,
        "program": Str,
        "cip_code": Str,  # CIP 2020, "51.0801"
        "award_level": Str,  # certificate, associate, bachelor, master, doctoral, apprenticeship
        "county_fips": Str,
        "annual_completers": I64,
        "placement_rate": F64,  # 0-1
        "annual_seats": I64,
        "duration_weeks": F64,
        "cost": F64,  # US dollars
        "completion_rate": F64,  # 0-1
        "modality": Str,
    },
)
PlacementFeedSchema = Schema(
    "PlacementFeed",
    {
        "row_number": I64,
        "participant_id": Str,  # pseudonymous
        "provider": Str,
        "program": Str,
        "cohort": Str,
        "completed_on": Date,
        "employer": Str,
        "soc_code": Str,
        "hired_on": Date,
        "hourly_wage": F64,
        "separated_on": Date,
    },
)
# A row set aside: why, and the row exactly as the file had it (JSON object of original headers).
RejectSchema = Schema("Reject", {"row_number": I64, "reason": Str, "original": Str})

# Rows as kept in the warehouse (connectors.warehouse reads return these).
VacancySchema = Schema(
    "Vacancy",
    {
        "member": Str,
        "posting_id": Str,
        "title": Str,
        "soc_code": Str,  # null only when the title could not be coded (soc_needs_review)
        "soc_confidence": F64,  # 1.0 when the member gave the code
        "soc_needs_review": Bool,
        "soc_method": Str,  # "given", or how analytics.titles coded it
        "county_fips": Str,
        "posted_date": Date,
        "closed_date": Date,
        "status": Str,
        "openings": I64,
        "wage_min": F64,
        "wage_max": F64,
        "wage_unit": Str,
        "education_required": Str,
        "employment_type": Str,
        "source_file": Str,
        "ingest_id": I64,
        "ingested_at": pl.Datetime,
    },
)
ProgramSchema = Schema(
    "Program",
    {
        "provider": Str,
        "program": Str,
        "cip_code": Str,
        "award_level": Str,
        "soc_codes": Str,  # derived from the CIP-SOC crosswalk, comma-separated
        "county_fips": Str,
        "annual_seats": I64,
        "annual_completers": I64,
        "completion_rate": F64,
        "placement_rate": F64,
        "duration_weeks": F64,
        "cost": F64,
        "modality": Str,
        "source_file": Str,
        "ingest_id": I64,
        "ingested_at": pl.Datetime,
    },
)
PlacementSchema = Schema(
    "Placement",
    {
        "participant_id": Str,
        "provider": Str,
        "program": Str,
        "cohort": Str,
        "completed_on": Date,
        "employer": Str,
        "soc_code": Str,
        "hired_on": Date,
        "hourly_wage": F64,
        "separated_on": Date,
        "source_file": Str,
        "ingest_id": I64,
        "ingested_at": pl.Datetime,
    },
)
IngestSchema = Schema(
    "Ingest",
    {
        "ingest_id": I64,
        "kind": Str,  # vacancies, programs or placements
        "member": Str,
        "uploaded_by": Str,
        "file_name": Str,
        "sha256": Str,
        "rows_read": I64,
        "accepted": I64,
        "rejected": I64,
        "updated": I64,
        "is_sample": Bool,
        "started_at": pl.Datetime,
        "finished_at": pl.Datetime,
    },
)


@dataclass(frozen=True)
class IngestSummary:
    """What one ingest did: rows kept (new or updated), rows set aside, and why."""

    ingest_id: int
    kind: str
    member: str | None
    file_name: str
    sha256: str
    rows_read: int
    accepted: int  # rows stored, new or updated
    rejected: int  # rows set aside in `rejects`
    updated: int  # accepted rows that replaced a row already in the warehouse
    needs_review: int  # accepted vacancies whose title coding needs a person to check
    reasons: dict[str, int] = field(default_factory=dict)  # reason -> rows
    mapping: dict[str, str] = field(default_factory=dict)  # file column -> feed field


# --- Pathways and outcomes (analytics.pathways, analytics.outcomes, analytics.diversity) -------
# One move between occupations, best first: the 0-1 score, its parts, wages, entry education.
PathwaySchema = Schema(
    "Pathway",
    {
        "rank": I32,
        "from_soc": Str,
        "from_title": Str,
        "to_soc": Str,
        "to_title": Str,
        "similarity": F64,  # 0-1, the weighted score (analytics.pathways.WEIGHTS)
        "skill_similarity": F64,  # Pearson r of the O*NET skill importance ratings
        "level_similarity": F64,
        "task_similarity": F64,  # cosine of task-statement words
        "related_tier": Str,  # O*NET Related Occupations tier, either direction, or null
        "job_zone_from": I8,
        "job_zone_to": I8,
        "industry_overlap": F64,  # 0-1, shared national industry staffing
        "from_median_annual_wage": F64,
        "to_median_annual_wage": F64,
        "wage_uplift_pct": F64,
        "wage_source": Str,  # "region" (both the region's OEWS medians) or "national"
        "entry_education": Str,  # of the destination
        "no_bachelors_needed": Bool,
        "skills_to_gain": Str,  # e.g. "Science (+1.1), Monitoring (+0.6)"
        "programs": I32,  # programs in the region that train for the destination
        "program_supply": F64,  # people a year they bring into it (analytics.supply)
    },
)
SkillGapSchema = Schema(
    "SkillGap",
    {
        "from_soc": Str,
        "to_soc": Str,
        "skill": Str,
        "importance_from": F64,  # O*NET IM, 1-5
        "importance_to": F64,
        "importance_gap": F64,
        "level_from": F64,  # O*NET LV, 0-7
        "level_to": F64,
        "level_gap": F64,
    },
)
# A program in a region that trains for an occupation (a slice of the region's Supply rows).
PathwayProgramSchema = Schema(
    "PathwayProgram",
    {
        "soc_code": Str,  # the occupation trained for (detailed SOC)
        "source": Str,  # "IPEDS completions 2022–2024 avg" or "member programs"
        "provider": Str,
        "program": Str,
        "cip_code": Str,
        "award_level": Str,
        "county_fips": Str,
        "annual_completers": F64,  # people a year, the whole program
        "share": F64,  # 0-1, the part of its completers allocated to this occupation
        "annual_supply": F64,  # people a year into this occupation
        "placement_rate": F64,
        "placement_rate_source": Str,
    },
)
# Trainee outcomes per provider, program and cohort (cohort null when all cohorts are pooled).
# `suppressed` names the columns withheld because they rest on fewer than 10 people (null there).
OutcomeSchema = Schema(
    "Outcome",
    {
        "provider": Str,
        "program": Str,
        "cohort": Str,
        "completers": I64,
        "placed": I64,
        "placement_rate": F64,
        "eligible_90d": I64,  # placed people hired at least 90 days before the as-of date
        "retained_90d": I64,
        "retained_90d_rate": F64,
        "eligible_365d": I64,
        "retained_365d": I64,
        "retained_365d_rate": F64,
        "wage_people": I64,  # placed people with an hourly wage at hire
        "median_hourly_wage": F64,
        "prior_wage_people": I64,  # placed people whose wage before the program is known
        "median_hourly_wage_gain": F64,
        "suppressed": Str,  # comma-separated column names, "" when nothing is withheld
    },
)
RetentionCurveSchema = Schema(
    "RetentionCurve",
    {
        "provider": Str,
        "program": Str,
        "days_after_hire": I32,
        "eligible": I64,  # hired at least this many days before the as-of date
        "retained": I64,
        "retained_rate": F64,  # null when suppressed
        "suppressed": Bool,
    },
)
PlacementBreakdownSchema = Schema(
    "PlacementBreakdown",
    {
        "by": Str,  # "employer" or "occupation"
        "category": Str,  # the employer, or the SOC code
        "label": Str,  # the employer, or the occupation title
        "placed": I64,  # null when suppressed
        "share_of_placed": F64,
        "median_hourly_wage": F64,
        "suppressed": Bool,
    },
)
# Return on a pathway program: what a placement costs and what it earns the worker in a year.
PathwayRoiSchema = Schema(
    "PathwayRoi",
    {
        "from_soc": Str,
        "from_title": Str,
        "to_soc": Str,
        "to_title": Str,
        "provider": Str,
        "program": Str,
        "cost": F64,  # US dollars per participant
        "completion_rate": F64,
        "placement_rate": F64,
        "placement_rate_source": Str,
        "cost_per_placement": F64,
        "hire_hourly_wage": F64,
        "hire_wage_source": Str,
        "prior_hourly_wage": F64,
        "prior_wage_source": Str,
        "annual_wage_gain_per_placed": F64,  # US dollars a year, per person placed
        "annual_wage_gain_per_participant": F64,  # the same spread over everyone who started
        "payback_months": F64,  # cost per placement / monthly wage gain of a placed person
    },
)
# CPS workforce profile of an occupation (national): 2022 sex/race shares, 2025 age mix.
DiversitySchema = Schema(
    "Diversity",
    {
        "soc_code": Str,  # null for the all-occupations row
        "title": Str,
        "role": Str,  # "target", "feeder" or "all occupations"
        "cps_occupation": Str,  # the Census occupation title matched, null when none
        "match_method": Str,
        "race_sex_year": I16,
        "total_employed": F64,  # people
        "pct_women": F64,  # null where BLS publishes no estimate (base under 50,000)
        "pct_black": F64,
        "pct_asian": F64,
        "pct_hispanic": F64,
        "age_year": I16,
        "age_total_employed": F64,
        "pct_age_16_24": F64,
        "pct_age_25_34": F64,
        "pct_age_35_44": F64,
        "pct_age_45_54": F64,
        "pct_age_55_64": F64,
        "pct_age_65_plus": F64,
        "median_age": F64,
    },
)
