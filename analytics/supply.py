"""Training supply: completers of the programs inside a region, allocated to occupations.

Two sources: IPEDS completions of the institutions located in the region's counties (mean of the
latest survey years, by institution, CIP and award level) and the programs members enter in the
warehouse (non-credit certificates, apprenticeships, employer academies, which IPEDS misses).

A program's completers go only to occupations that the CIP-SOC crosswalk links to its CIP code
and whose BLS typical entry education the award reaches (see IPEDS_AWARD_CEILINGS and
MEMBER_AWARD_CEILINGS, with ENTRY_EDUCATION_OVERRIDES), never from a certificate to
postsecondary teachers (25-1xxx) nor from a graduate award to an occupation its students already
hold (GRADUATE_EXCLUSIONS), split among those occupations in proportion to the region's annual
openings. Supply = completers x in-field placement rate x share; seats x share is the
capacity. A program that reports no placement rate gets DEFAULT_PLACEMENT_RATE, and every row
says which rate it used and why (`placement_rate_source`).
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from analytics.schemas import (
    CountySupplySchema,
    OccupationLinkSchema,
    SupplyProgramSchema,
    SupplySchema,
)

# BLS "typical education needed for entry" categories, lowest first (EP table 1.2 wording).
EDUCATION_LEVELS: tuple[str, ...] = (
    "No formal educational credential",
    "High school diploma or equivalent",
    "Some college, no degree",
    "Postsecondary nondegree award",
    "Associate's degree",
    "Bachelor's degree",
    "Master's degree",
    "Doctoral or professional degree",
)
EDUCATION_RANK = {level: rank for rank, level in enumerate(EDUCATION_LEVELS)}
NONDEGREE, ASSOCIATE, BACHELOR, MASTER, DOCTORAL = EDUCATION_LEVELS[3:]

# Award -> the highest typical entry education of the occupations its completers can enter
# (every level up to and including it). IPEDS AWLEVEL codes, then the member feed's levels.
IPEDS_AWARD_CEILINGS: dict[int, str] = {
    1: NONDEGREE,  # certificate under 1 year (before 2020)
    20: NONDEGREE,  # certificate under 12 weeks
    21: NONDEGREE,  # certificate 12 weeks to 1 year
    2: NONDEGREE,  # certificate 1 to 2 years
    4: NONDEGREE,  # certificate 2 to 4 years
    3: ASSOCIATE,
    5: BACHELOR,
    6: BACHELOR,  # postbaccalaureate certificate: builds on a bachelor's
    7: MASTER,
    8: MASTER,  # post-master's certificate
    17: DOCTORAL,  # research/scholarship
    18: DOCTORAL,  # professional practice
    19: DOCTORAL,  # other
}
IPEDS_CERTIFICATES = frozenset({1, 2, 4, 6, 8, 20, 21})
MEMBER_AWARD_CEILINGS: dict[str, str] = {
    "certificate": NONDEGREE,
    "apprenticeship": NONDEGREE,  # registered apprenticeships lead to non-degree entry jobs
    "associate": ASSOCIATE,
    "bachelor": BACHELOR,
    "master": MASTER,
    "doctoral": DOCTORAL,
}
MEMBER_CERTIFICATES = frozenset({"certificate", "apprenticeship"})
# Occupations that a lower award than BLS's "typical" entry education leads into, by licensure
# or because EP publishes them together with a higher-level occupation: EP code -> the level
# used instead. Kept short; each entry has its reason.
ENTRY_EDUCATION_OVERRIDES: dict[str, str] = {
    # An associate degree in nursing (ADN) qualifies for the NCLEX-RN licence like a BSN.
    "29-1141": ASSOCIATE,
    # EP publishes clinical laboratory technologists (bachelor's) and technicians (29-2012,
    # associate's) as one line, 29-2010, at the technologists' level.
    "29-2010": ASSOCIATE,
}
POSTSECONDARY_TEACHERS = "25-1"
# Occupations a graduate award (master's or doctoral level) does not add people to, because its
# students must already be in them: graduate nursing degrees and certificates (MSN, DNP, nurse
# practitioner) are taken by licensed RNs. IPEDS does not separate the few direct-entry programs.
GRADUATE_EXCLUSIONS = frozenset({"29-1141"})

IPEDS_YEARS = 3
MEMBER_SOURCE = "member programs"
SCENARIO_SOURCE = "scenario"
REPORTED = "reported by the program"
# IPEDS reports completions, not where completers go to work, and a member program may leave
# its rate out (a scenario's new program, say). Counting every completer as entering the
# occupations the crosswalk maps their program to is the only choice that rests on no invented
# number; it is an upper bound on supply, so the gap shown is the smallest it could be. Scenarios
# (analytics.gaps) can set a lower rate for any program or source.
DEFAULT_PLACEMENT_RATE = 1.0
DEFAULT_PLACEMENT_BASIS = (
    "default 1.0: no placement data, every completer counted in the mapped occupations "
    "(an upper bound on supply)"
)
REGIONAL_BASIS = "regional openings"
NATIONAL_BASIS = "national openings"


def ipeds_source(years: Iterable[int]) -> str:
    """Return the source label of IPEDS supply for the survey years used, e.g. "IPEDS completions 2022–2024 avg"."""
    chosen = sorted(years)
    span = f"{chosen[0]}–{chosen[-1]}" if len(chosen) > 1 else f"{chosen[0]}"
    return f"IPEDS completions {span} avg"


def award_ceiling(award_level: str | int) -> tuple[str, bool]:
    """Return (highest entry education the award feeds, whether it is a certificate).

    Takes an IPEDS AWLEVEL code or a member award level (certificate, associate, ...); raises
    ValueError for anything else.
    """
    if isinstance(award_level, int) or str(award_level).strip().isdigit():
        code = int(award_level)
        if code not in IPEDS_AWARD_CEILINGS:
            raise ValueError(f"unknown IPEDS award level {code}")
        return IPEDS_AWARD_CEILINGS[code], code in IPEDS_CERTIFICATES
    level = str(award_level).strip().lower()
    if level not in MEMBER_AWARD_CEILINGS:
        raise ValueError(
            f"unknown award level '{award_level}'; use one of {', '.join(MEMBER_AWARD_CEILINGS)}"
        )
    return MEMBER_AWARD_CEILINGS[level], level in MEMBER_CERTIFICATES


def compute_ipeds_programs(
    region_id: str,
    completions: pl.DataFrame,
    institutions: pl.DataFrame,
    award_levels: pl.DataFrame,
    cip_titles: pl.DataFrame,
    region_counties: Iterable[str],
    years: int = IPEDS_YEARS,
) -> pl.DataFrame:
    """Return the region's IPEDS programs (SupplyProgram): mean completers of the latest `years` survey years.

    Only institutions whose county is in the region count. A program missing from a survey year
    had no completers that year (the mean divides by `years`); programs averaging zero are left
    out. CIP rollups (two-digit codes such as the "99" grand totals) are never summed.
    """
    chosen = sorted(completions["survey_year"].unique().to_list())[-years:]
    if not chosen:
        return SupplyProgramSchema.empty()
    inside = institutions.filter(pl.col("county_fips").is_in(list(region_counties))).select(
        "unitid", pl.col("institution").alias("provider"), "county_fips"
    )
    ceilings = pl.DataFrame(
        {
            "award_level": list(IPEDS_AWARD_CEILINGS),
            "max_entry_education": list(IPEDS_AWARD_CEILINGS.values()),
            "is_certificate": [c in IPEDS_CERTIFICATES for c in IPEDS_AWARD_CEILINGS],
        },
        schema={
            "award_level": pl.Int8,
            "max_entry_education": pl.String,
            "is_certificate": pl.Boolean,
        },
    )
    titles = cip_titles.filter(pl.col("digits") == 6).select(
        "cip_code", pl.col("cip_title").str.strip_chars_end(".").alias("program")
    )
    programs = (
        completions.filter(
            pl.col("survey_year").is_in(chosen),
            pl.col("cip_code").str.contains(r"^\d{2}\.\d{4}$"),
        )
        .join(inside, on="unitid", how="inner")
        .group_by("unitid", "provider", "county_fips", "cip_code", "award_level")
        .agg((pl.col("completers").sum() / len(chosen)).alias("annual_completers"))
        .filter(pl.col("annual_completers") > 0)
        .join(ceilings, on="award_level", how="inner")
        .join(
            award_levels.select("award_level", pl.col("award_label").alias("award_text")),
            on="award_level",
            how="left",
        )
        .join(titles, on="cip_code", how="left")
    )
    frame = programs.select(
        pl.lit(region_id).alias("region_id"),
        pl.lit(ipeds_source(chosen)).alias("source"),
        "provider",
        pl.coalesce("program", pl.lit("CIP ") + pl.col("cip_code")).alias("program"),
        "unitid",
        "cip_code",
        pl.coalesce("award_text", pl.col("award_level").cast(pl.String)).alias("award_level"),
        "max_entry_education",
        "is_certificate",
        "county_fips",
        pl.col("annual_completers").cast(pl.Float64),
        pl.lit(DEFAULT_PLACEMENT_RATE).alias("placement_rate"),
        pl.lit(DEFAULT_PLACEMENT_BASIS).alias("placement_rate_source"),
        pl.lit(None, pl.Float64).alias("annual_seats"),
    )
    return SupplyProgramSchema.validate(frame.sort("provider", "cip_code", "award_level"))


def compute_member_programs(
    region_id: str, programs: pl.DataFrame, region_counties: Iterable[str]
) -> pl.DataFrame:
    """Return the member programs (warehouse Program rows) located in the region (SupplyProgram).

    Award levels outside MEMBER_AWARD_CEILINGS (which intake refuses) are left out.
    """
    ceilings = pl.DataFrame(
        {
            "award_level": list(MEMBER_AWARD_CEILINGS),
            "max_entry_education": list(MEMBER_AWARD_CEILINGS.values()),
            "is_certificate": [a in MEMBER_CERTIFICATES for a in MEMBER_AWARD_CEILINGS],
        }
    )
    inside = programs.filter(pl.col("county_fips").is_in(list(region_counties))).with_columns(
        pl.col("award_level").str.strip_chars().str.to_lowercase()
    )
    frame = inside.join(ceilings, on="award_level", how="inner").select(
        pl.lit(region_id).alias("region_id"),
        pl.lit(MEMBER_SOURCE).alias("source"),
        "provider",
        "program",
        pl.lit(None, pl.String).alias("unitid"),
        "cip_code",
        "award_level",
        "max_entry_education",
        "is_certificate",
        "county_fips",
        pl.col("annual_completers").cast(pl.Float64),
        pl.col("placement_rate").fill_null(DEFAULT_PLACEMENT_RATE).cast(pl.Float64),
        pl.when(pl.col("placement_rate").is_null())
        .then(pl.lit(DEFAULT_PLACEMENT_BASIS))
        .otherwise(pl.lit(REPORTED))
        .alias("placement_rate_source"),
        pl.col("annual_seats").cast(pl.Float64),
    )
    return SupplyProgramSchema.validate(frame.sort("provider", "program"))


def compute_occupation_links(
    cip_soc: pl.DataFrame, ep: pl.DataFrame, ep_soc: pl.DataFrame, demand: pl.DataFrame
) -> pl.DataFrame:
    """Return every CIP -> occupation link with the occupation's entry education and openings (OccupationLink).

    The crosswalk's SOC 2018 codes are taken to EP line items through `ep_soc` (EpSocMap, from
    analytics.projections.compute_ep_soc_map), the codes Demand is keyed on. `education_rank` is
    the rank of the entry education an award must reach: BLS's typical entry education, except
    for the occupations in ENTRY_EDUCATION_OVERRIDES. Links to occupations without an EP line item
    or without a typical entry education are dropped.
    """
    lines = ep.filter(pl.col("occupation_type") == "Line item").select(
        pl.col("ep_code").alias("soc_code"),
        pl.col("title").alias("ep_title"),
        "entry_education",
        pl.col("annual_openings").alias("national_openings"),
    )
    regional = demand.select(
        "soc_code",
        pl.col("title").alias("region_title"),
        pl.col("annual_openings").alias("regional_openings"),
    ).unique("soc_code", keep="first")
    ranks = pl.DataFrame(
        {"entry_education": list(EDUCATION_RANK), "education_rank": list(EDUCATION_RANK.values())},
        schema={"entry_education": pl.String, "education_rank": pl.Int8},
    )
    frame = (
        cip_soc.select("cip_code", pl.col("soc_code").alias("soc_2018"))
        .join(ep_soc.select("ep_code", pl.col("soc_code").alias("soc_2018")), on="soc_2018")
        .select("cip_code", pl.col("ep_code").alias("soc_code"))
        .unique()
        .join(lines, on="soc_code", how="inner")
        .with_columns(
            pl.col("soc_code")
            .replace_strict(ENTRY_EDUCATION_OVERRIDES, default=pl.col("entry_education"))
            .alias("_entry_for_awards")
        )
        .join(ranks.rename({"entry_education": "_entry_for_awards"}), on="_entry_for_awards")
        .join(regional, on="soc_code", how="left")
        .select(
            "cip_code",
            "soc_code",
            pl.coalesce("region_title", "ep_title").alias("title"),
            "entry_education",
            "education_rank",
            pl.col("soc_code")
            .str.starts_with(POSTSECONDARY_TEACHERS)
            .alias("is_postsecondary_teacher"),
            pl.col("regional_openings").cast(pl.Float64),
            pl.col("national_openings").cast(pl.Float64),
        )
    )
    return OccupationLinkSchema.validate(frame.sort("cip_code", "soc_code"))


def _eligible(programs: pl.DataFrame, links: pl.DataFrame) -> pl.DataFrame:
    """Program x occupation pairs the award rule allows, with each pair's share of the program."""
    ranks = pl.DataFrame(
        {"max_entry_education": list(EDUCATION_RANK), "_ceiling": list(EDUCATION_RANK.values())},
        schema={"max_entry_education": pl.String, "_ceiling": pl.Int8},
    )
    pairs = (
        programs.with_row_index("_program")
        .join(ranks, on="max_entry_education", how="left")
        .join(links.drop("entry_education"), on="cip_code", how="inner")
        .filter(
            pl.col("education_rank") <= pl.col("_ceiling"),
            ~(pl.col("is_certificate") & pl.col("is_postsecondary_teacher")),
            ~(
                (pl.col("_ceiling") >= EDUCATION_RANK[MASTER])
                & pl.col("soc_code").is_in(list(GRADUATE_EXCLUSIONS))
            ),
        )
    )
    regional = pl.col("regional_openings").fill_null(0.0).clip(lower_bound=0.0)
    national = pl.col("national_openings").fill_null(0.0).clip(lower_bound=0.0)
    regional_total = regional.sum().over("_program")
    national_total = national.sum().over("_program")
    use_regional = regional_total > 0
    return pairs.with_columns(
        pl.when(use_regional)
        .then(regional / regional_total)
        .when(national_total > 0)
        .then(national / national_total)
        .otherwise(1.0 / pl.len().over("_program"))
        .alias("share"),
        pl.when(use_regional)
        .then(pl.lit(REGIONAL_BASIS))
        .otherwise(pl.lit(NATIONAL_BASIS))
        .alias("share_basis"),
    )


def compute_supply(programs: pl.DataFrame, links: pl.DataFrame) -> pl.DataFrame:
    """Return program x occupation supply (Supply): completers x placement rate x share, and seats x share.

    A program's completers are split among the occupations its CIP links to whose entry education
    the award reaches (certificates never to postsecondary teachers), in proportion to the region's
    annual openings; when none of them has regional openings, in proportion to national openings.
    """
    pairs = _eligible(programs, links).filter(pl.col("share") > 0)
    frame = pairs.with_columns(
        (
            pl.col("annual_completers")
            * pl.col("placement_rate").fill_null(DEFAULT_PLACEMENT_RATE)
            * pl.col("share")
        ).alias("annual_supply"),
        (pl.col("annual_seats") * pl.col("share")).alias("annual_capacity"),
    )
    return SupplySchema.validate(frame.sort("_program", "soc_code"))


def compute_unallocated(programs: pl.DataFrame, links: pl.DataFrame) -> pl.DataFrame:
    """Return the programs whose completers reach no occupation (SupplyProgram).

    Their CIP has no crosswalk link to an occupation with BLS data, or none whose entry education
    the award reaches (e.g. a certificate in a field whose jobs need a bachelor's).
    """
    placed = _eligible(programs, links)["_program"].unique()
    rest = programs.with_row_index("_program").filter(~pl.col("_program").is_in(placed.implode()))
    return SupplyProgramSchema.validate(rest)


def _supply_parts() -> list[pl.Expr]:
    """Total annual supply with its IPEDS and member parts (for a group_by)."""
    return [
        pl.col("title").first(),
        pl.col("annual_supply").sum(),
        pl.col("annual_supply")
        .filter(pl.col("source").str.starts_with("IPEDS"))
        .sum()
        .alias("ipeds_supply"),
        pl.col("annual_supply")
        .filter(pl.col("source") == MEMBER_SOURCE)
        .sum()
        .alias("member_supply"),
    ]


def _capacity() -> pl.Expr:
    """Summed seats, null when no program in the group reports seats."""
    return (
        pl.when(pl.col("annual_capacity").count() > 0)
        .then(pl.col("annual_capacity").sum())
        .alias("annual_capacity")
    )


def compute_supply_by_occupation(supply: pl.DataFrame) -> pl.DataFrame:
    """Return annual supply and capacity per occupation, with the part from each source."""
    return (
        supply.group_by("soc_code")
        .agg(
            *_supply_parts(),
            pl.col("annual_supply")
            .filter(pl.col("source") == SCENARIO_SOURCE)
            .sum()
            .alias("scenario_supply"),
            _capacity(),
        )
        .sort("annual_supply", "soc_code", descending=[True, False])
    )


def compute_county_supply(
    region_id: str, supply: pl.DataFrame, counties: pl.DataFrame
) -> pl.DataFrame:
    """Return supply by county and occupation (CountySupply), for programs that name a county.

    Demand has no county split (OEWS publishes metro and state estimates only), so only supply is
    given by county.
    """
    names = counties.select("county_fips", "county_name")
    frame = (
        supply.filter(pl.col("county_fips").is_not_null())
        .group_by("county_fips", "soc_code")
        .agg(
            *_supply_parts(),
            _capacity(),
        )
        .join(names, on="county_fips", how="left")
        .with_columns(pl.lit(region_id).alias("region_id"))
    )
    return CountySupplySchema.validate(
        frame.sort("county_fips", "annual_supply", descending=[False, True])
    )


def describe_supply_coverage(
    region_counties: Iterable[str], institutions: pl.DataFrame, counties: pl.DataFrame
) -> str:
    """Return one sentence on which IPEDS institutions the supply covers, and any state it misses."""
    wanted = counties.filter(pl.col("county_fips").is_in(list(region_counties)))
    region_states = set(wanted["state_fips"].to_list())
    held = institutions.filter(pl.col("county_fips").is_not_null())
    held_states = set(held["county_fips"].str.slice(0, 2).to_list())
    inside = held.filter(pl.col("county_fips").is_in(wanted["county_fips"].implode()))
    text = (
        f"IPEDS supply counts {inside.height} institutions located in the region's "
        f"{wanted.height} counties"
    )
    missing = sorted(region_states - held_states)
    if missing:
        names = (
            wanted.filter(pl.col("state_fips").is_in(missing))["state_name"]
            .unique()
            .sort()
            .to_list()
        )
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        text += (
            f"; the shipped IPEDS extract holds no institutions in {shown}, so supply there is "
            "not counted"
        )
    return text + "."
