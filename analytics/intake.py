"""Validation of member feeds (DESIGN.md "Feed formats"): typed rows kept, broken rows set aside with a reason.

Pure functions on Polars frames. In: the feed as read (every column text, the file's own headers)
and the column mapping {file column: feed field}. Out: accepted rows in the kind's feed schema and
rejected rows with their reasons and the original values as JSON, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from analytics.schemas import (
    FEED_FIELDS,
    PlacementFeedSchema,
    ProgramFeedSchema,
    RejectSchema,
    Schema,
    VacancyFeedSchema,
)

STATUSES = ("open", "filled", "cancelled")
_STATUS_SPELLINGS = {"open": "open", "filled": "filled", "cancelled": "cancelled", "canceled": "cancelled"}  # fmt: skip
_WAGE_UNITS = {
    "hour": "hour", "hourly": "hour", "hr": "hour", "perhour": "hour", "hours": "hour",
    "year": "year", "yearly": "year", "annual": "year", "annually": "year", "yr": "year",
    "peryear": "year", "salary": "year", "salaried": "year", "annualsalary": "year",
}  # fmt: skip
AWARD_LEVELS = ("certificate", "associate", "bachelor", "master", "doctoral", "apprenticeship")
_AWARD_SPELLINGS = {
    "certificate": "certificate", "cert": "certificate", "certification": "certificate",
    "postsecondarycertificate": "certificate", "noncreditcertificate": "certificate",
    "creditcertificate": "certificate", "diploma": "certificate", "noncredit": "certificate",
    "associate": "associate", "associates": "associate", "associatedegree": "associate",
    "associatesdegree": "associate", "aas": "associate", "aa": "associate", "as": "associate",
    "adn": "associate", "bachelor": "bachelor", "bachelors": "bachelor",
    "bachelordegree": "bachelor", "bachelorsdegree": "bachelor", "ba": "bachelor",
    "bs": "bachelor", "bsn": "bachelor", "master": "master", "masters": "master",
    "mastersdegree": "master", "masterdegree": "master", "msn": "master", "doctoral": "doctoral",
    "doctorate": "doctoral", "doctoraldegree": "doctoral", "phd": "doctoral",
    "apprenticeship": "apprenticeship", "registeredapprenticeship": "apprenticeship",
}  # fmt: skip
# USPS codes of the states, DC and Puerto Rico -> state FIPS (names come from the counties frame).
STATE_CODES = {
    "AL": "01", "AK": "02", "AZ": "04", "AR": "05", "CA": "06", "CO": "08", "CT": "09", "DE": "10",
    "DC": "11", "FL": "12", "GA": "13", "HI": "15", "ID": "16", "IL": "17", "IN": "18", "IA": "19",
    "KS": "20", "KY": "21", "LA": "22", "ME": "23", "MD": "24", "MA": "25", "MI": "26", "MN": "27",
    "MS": "28", "MO": "29", "MT": "30", "NE": "31", "NV": "32", "NH": "33", "NJ": "34", "NM": "35",
    "NY": "36", "NC": "37", "ND": "38", "OH": "39", "OK": "40", "OR": "41", "PA": "42", "RI": "44",
    "SC": "45", "SD": "46", "TN": "47", "TX": "48", "UT": "49", "VT": "50", "VA": "51", "WA": "53",
    "WV": "54", "WI": "55", "WY": "56", "PR": "72",
}  # fmt: skip

_ISO_DATE = r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$"
_US_DATE = r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?$"
_US_NUMBER = r"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"
_COMMA_DECIMAL = r"^[-+]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+$"
# Text a spreadsheet would run as a formula if the value were ever opened in one.
_FORMULA = r"^(?:[=+@]|-[^\d.\s])"


@dataclass(frozen=True)
class IntakeResult:
    """Rows of one feed that passed validation (typed) and rows set aside (RejectSchema)."""

    accepted: pl.DataFrame
    rejected: pl.DataFrame

    @property
    def reasons(self) -> dict[str, int]:
        """Return how many rejected rows each reason accounts for, most frequent first."""
        return count_reasons(self.rejected)


def validate_feed(
    raw: pl.DataFrame,
    kind: str,
    mapping: Mapping[str, str],
    counties: pl.DataFrame | None = None,
    cip_codes: pl.Series | None = None,
) -> IntakeResult:
    """Return the accepted and rejected rows of a feed of the given kind."""
    if kind == "vacancies":
        return validate_vacancies(raw, mapping, _need(counties, "counties"))
    if kind == "programs":
        return validate_programs(raw, mapping, _need(counties, "counties"), cip_codes)
    if kind == "placements":
        return validate_placements(raw, mapping)
    raise ValueError(f"unknown feed kind {kind!r}")


def validate_vacancies(
    raw: pl.DataFrame, mapping: Mapping[str, str], counties: pl.DataFrame
) -> IntakeResult:
    """Return vacancy rows in VacancyFeedSchema, and the rows that break a rule with their reasons.

    `counties` holds the valid county codes (county_fips, with county_name, state_fips and
    state_name for rows that give a county and state instead of a code).
    """
    work = _evaluate(
        _fields(raw, mapping, "vacancies"),
        [
            _date("posted_date", required=True),
            _date("closed_date"),
            _count("openings"),
            _amount("wage_min"),
            _amount("wage_max"),
            _soc("soc_code"),
            _county(counties, required=False),
            _vocabulary("status", _STATUS_SPELLINGS, "open, filled or cancelled"),
            _vocabulary("wage_unit", _WAGE_UNITS, "hour or year"),
        ],
    )
    checks = [
        *_text_checks(("posting_id", "title"), required=True),
        *_text_checks(("education_required", "employment_type")),
        (_v("closed_date") < _v("posted_date"), "closed_date is before posted_date"),
        (_v("wage_min") > _v("wage_max"), "wage_min is above wage_max"),
    ]
    accepted = {
        "row_number": pl.col("row_number"),
        "posting_id": pl.col("posting_id"),
        "title": pl.col("title"),
        "soc_code": _v("soc_code"),
        "county_fips": _v("county_fips"),
        "posted_date": _v("posted_date"),
        "closed_date": _v("closed_date"),
        "status": _v("status"),
        "openings": _v("openings").fill_null(1).cast(pl.Int64),
        "wage_min": _v("wage_min"),
        "wage_max": _v("wage_max"),
        "wage_unit": _v("wage_unit"),
        "education_required": pl.col("education_required"),
        "employment_type": pl.col("employment_type"),
    }
    return _split(
        raw,
        work,
        checks,
        accepted,
        VacancyFeedSchema,
        key=("posting_id",),
        duplicate="posting_id repeats an earlier row of this file",
    )


def validate_programs(
    raw: pl.DataFrame,
    mapping: Mapping[str, str],
    counties: pl.DataFrame,
    cip_codes: pl.Series | None = None,
) -> IntakeResult:
    """Return program rows in ProgramFeedSchema, and the rows that break a rule with their reasons.

    `cip_codes`, when given, is the set of valid six-digit CIP 2020 codes ("51.0801").
    """
    work = _evaluate(
        _fields(raw, mapping, "programs"),
        [
            _count("annual_completers", required=True),
            _count("annual_seats"),
            _rate("placement_rate", required=True),
            _rate("completion_rate"),
            _amount("duration_weeks"),
            _amount("cost"),
            _cip("cip_code", cip_codes),
            _vocabulary("award_level", _AWARD_SPELLINGS, ", ".join(AWARD_LEVELS), required=True),
            _county(counties, required=True),
        ],
    )
    checks = [
        *_text_checks(("provider", "program"), required=True),
        *_text_checks(("modality",)),
    ]
    accepted = {
        "row_number": pl.col("row_number"),
        "provider": pl.col("provider"),
        "program": pl.col("program"),
        "cip_code": _v("cip_code"),
        "award_level": _v("award_level"),
        "county_fips": _v("county_fips"),
        "annual_completers": _v("annual_completers").cast(pl.Int64),
        "placement_rate": _v("placement_rate"),
        "annual_seats": _v("annual_seats").cast(pl.Int64),
        "duration_weeks": _v("duration_weeks"),
        "cost": _v("cost"),
        "completion_rate": _v("completion_rate"),
        "modality": pl.col("modality"),
    }
    return _split(
        raw,
        work,
        checks,
        accepted,
        ProgramFeedSchema,
        key=("provider", "program", "county_fips"),
        duplicate="provider, program and county repeat an earlier row of this file",
    )


def validate_placements(raw: pl.DataFrame, mapping: Mapping[str, str]) -> IntakeResult:
    """Return placement rows in PlacementFeedSchema, and the rows that break a rule with their reasons."""
    work = _evaluate(
        _fields(raw, mapping, "placements"),
        [
            _date("completed_on", required=True),
            _date("hired_on"),
            _date("separated_on"),
            _amount("hourly_wage"),
            _soc("soc_code"),
        ],
    )
    checks = [
        *_text_checks(("participant_id", "provider", "program", "cohort"), required=True),
        *_text_checks(("employer",)),
        (
            pl.col("participant_id").str.contains(r"^\d{3}-?\d{2}-?\d{4}$|@"),
            "participant_id looks like a Social Security number or e-mail; send a pseudonymous id",
        ),
        (
            _v("separated_on").is_not_null() & _v("hired_on").is_null(),
            "separated_on is given without hired_on",
        ),
        (_v("separated_on") < _v("hired_on"), "separated_on is before hired_on"),
    ]
    accepted = {
        "row_number": pl.col("row_number"),
        "participant_id": pl.col("participant_id"),
        "provider": pl.col("provider"),
        "program": pl.col("program"),
        "cohort": pl.col("cohort"),
        "completed_on": _v("completed_on"),
        "employer": pl.col("employer"),
        "soc_code": _v("soc_code"),
        "hired_on": _v("hired_on"),
        "hourly_wage": _v("hourly_wage"),
        "separated_on": _v("separated_on"),
    }
    return _split(
        raw,
        work,
        checks,
        accepted,
        PlacementFeedSchema,
        key=("provider", "program", "cohort", "participant_id"),
        duplicate="participant_id repeats an earlier row for the same program and cohort",
    )


def count_reasons(rejected: pl.DataFrame) -> dict[str, int]:
    """Return {reason: rows} over rejected rows (a row with two reasons counts under both)."""
    if rejected.height == 0:
        return {}
    counted = (
        rejected.select(pl.col("reason").str.split("; ").alias("reason"))
        .explode("reason")
        .group_by("reason")
        .len()
        .sort(["len", "reason"], descending=[True, False])
    )
    return {str(r): int(n) for r, n in counted.iter_rows()}


def apply_title_codes(accepted: pl.DataFrame, codes: pl.DataFrame) -> pl.DataFrame:
    """Return vacancy rows with soc_code, soc_confidence, soc_needs_review and soc_method filled.

    A code the member gave is kept (confidence 1.0, method "given"); other rows take the code of
    their title from `codes` (title, soc_code, confidence, needs_review, method); a title with no
    code is flagged for review.
    """
    coded = codes.select(
        pl.col("title"),
        pl.col("soc_code").alias("_soc"),
        pl.col("confidence").cast(pl.Float64).alias("_confidence"),
        pl.col("needs_review").cast(pl.Boolean).alias("_review"),
        pl.col("method").cast(pl.String).alias("_method"),
    ).unique("title", keep="first")
    given = pl.col("soc_code").is_not_null()
    return (
        accepted.join(coded, on="title", how="left", maintain_order="left")
        .with_columns(
            pl.when(given).then(pl.col("soc_code")).otherwise(pl.col("_soc")).alias("soc_code"),
            pl.when(given).then(1.0).otherwise(pl.col("_confidence")).alias("soc_confidence"),
            pl.when(given)
            .then(False)
            .otherwise(pl.col("_review").fill_null(True) | pl.col("_soc").is_null())
            .alias("soc_needs_review"),
            pl.when(given)
            .then(pl.lit("given"))
            .otherwise(pl.col("_method").fill_null("uncoded"))
            .alias("soc_method"),
        )
        .drop("_soc", "_confidence", "_review", "_method")
    )


def build_program_soc_codes(programs: pl.DataFrame, cip_soc: pl.DataFrame) -> pl.DataFrame:
    """Return programs with `soc_codes`: the SOC codes the CIP-SOC crosswalk links to each CIP, comma-separated."""
    links = (
        cip_soc.select("cip_code", "soc_code")
        .unique()
        .sort("cip_code", "soc_code")
        .group_by("cip_code", maintain_order=True)
        .agg(pl.col("soc_code").str.join(",").alias("soc_codes"))
    )
    return programs.join(links, on="cip_code", how="left", maintain_order="left")


# --- the machinery ----------------------------------------------------------------------------

Check = tuple[pl.Expr, str]


@dataclass(frozen=True)
class _Parse:
    """How one field is read: its typed value and the checks on it, from the `inputs` columns."""

    field: str
    value: pl.Expr
    checks: list[Check]
    inputs: tuple[str, ...]


def _v(field: str) -> pl.Expr:
    return pl.col(f"_v_{field}")


def _need(frame: pl.DataFrame | None, name: str) -> pl.DataFrame:
    if frame is None:
        raise ValueError(f"validating this feed needs the {name} frame")
    return frame


def _fields(raw: pl.DataFrame, mapping: Mapping[str, str], kind: str) -> pl.DataFrame:
    """Return one stripped text column per feed field (null when blank or absent), row_number and _blank."""
    source = {field: column for column, field in mapping.items() if column in raw.columns}
    unmapped = [c for c in raw.columns if c not in source.values()]
    stripped = raw.select(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("row_number"),
        *[
            pl.col(column).cast(pl.String).str.strip_chars().alias(f)
            for f, column in source.items()
        ],
        *[
            (pl.col(c).cast(pl.String).str.strip_chars().fill_null("") != "").alias(f"_filled_{i}")
            for i, c in enumerate(unmapped)
        ],
    )
    work = stripped.select(
        "row_number",
        *[
            pl.when(pl.col(f) != "").then(pl.col(f)).alias(f)
            if f in source
            else pl.lit(None, dtype=pl.String).alias(f)
            for f in FEED_FIELDS[kind]
        ],
        *[f"_filled_{i}" for i in range(len(unmapped))],
    )
    filled = [pl.col(f).is_not_null() for f in FEED_FIELDS[kind]] + [
        pl.col(f"_filled_{i}") for i in range(len(unmapped))
    ]
    return work.with_columns((~pl.any_horizontal(filled)).alias("_blank")).drop(
        [f"_filled_{i}" for i in range(len(unmapped))]
    )


def _evaluate(work: pl.DataFrame, parses: list[_Parse]) -> pl.DataFrame:
    """Add _v_<field> (value) and _r_<field> (reasons) columns, computed once per distinct input.

    Feeds repeat the same dates, counties, statuses and amounts on many rows; reading each distinct
    value once keeps validation of a few hundred thousand rows well under a second.
    """
    distincts = pl.collect_all([work.lazy().select(list(p.inputs)).unique() for p in parses])
    for parse, distinct in zip(parses, distincts, strict=True):
        inputs = list(parse.inputs)
        judged = distinct.select(
            *inputs,
            parse.value.alias(f"_v_{parse.field}"),
            _reason_text(parse.checks).alias(f"_r_{parse.field}"),
        )
        if judged.height == 1:
            # One input on every row (a constant column, or one the feed leaves empty): its
            # value and reasons are repeated rather than joined.
            work = work.with_columns(
                pl.lit(judged[name][0], dtype=judged.schema[name]).alias(name)
                for name in (f"_v_{parse.field}", f"_r_{parse.field}")
            )
        else:
            work = work.join(judged, on=inputs, how="left", nulls_equal=True, maintain_order="left")
    return work


def _reason_text(checks: list[Check]) -> pl.Expr:
    if not checks:
        return pl.lit(None, dtype=pl.String)
    joined = (
        pl.concat_list([pl.when(cond.fill_null(False)).then(pl.lit(text)) for cond, text in checks])
        .list.drop_nulls()
        .list.join("; ")
    )
    return pl.when(joined != "").then(joined)


def _text_checks(fields: tuple[str, ...], required: bool = False) -> list[Check]:
    checks: list[Check] = []
    for field in fields:
        if required:
            checks.append((pl.col(field).is_null(), f"{field} is missing"))
        checks.append(
            (pl.col(field).str.contains(_FORMULA), f"{field} looks like a spreadsheet formula")
        )
    return checks


def _date(field: str, required: bool = False) -> _Parse:
    """Read a date written ISO (2025-03-01, with or without a time) or US (3/1/2025, 3/1/25)."""
    text = pl.col(field)
    iso = text.str.extract_groups(_ISO_DATE)
    us = text.str.extract_groups(_US_DATE)
    us_year = us.struct[2]
    year = pl.coalesce(
        iso.struct[0],
        pl.when(us_year.str.len_chars() == 2).then(pl.lit("20") + us_year).otherwise(us_year),
    )
    month = pl.coalesce(iso.struct[1], us.struct[0])
    day = pl.coalesce(iso.struct[2], us.struct[1])
    value = pl.concat_str(
        [year, pl.lit("-"), month.str.zfill(2), pl.lit("-"), day.str.zfill(2)]
    ).str.to_date("%Y-%m-%d", strict=False)
    checks: list[Check] = [
        (
            text.is_not_null() & year.is_null(),
            f"{field} is not a date (write YYYY-MM-DD or M/D/YYYY)",
        ),
        (year.is_not_null() & value.is_null(), f"{field} is not a real date"),
    ]
    if required:
        checks.insert(0, (text.is_null(), f"{field} is missing"))
    return _Parse(field, value, checks, (field,))


def _number(field: str) -> pl.Expr:
    """Return the number in a text column ("1,234.50", "$18.75", "18,75" in comma-decimal files)."""
    text = pl.col(field).str.replace_all(r"[\s$]|USD", "")
    has_comma = text.str.contains(",", literal=True)
    us = text.str.contains(_US_NUMBER)
    comma_decimal = text.str.contains(_COMMA_DECIMAL) & ~us
    normalized = (
        pl.when(~has_comma)
        .then(text)
        .when(us)
        .then(text.str.replace_all(",", "", literal=True))
        .when(comma_decimal)
        .then(text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
    )
    value = normalized.cast(pl.Float64, strict=False)
    return pl.when(value.is_finite()).then(value)


def _amount(field: str, required: bool = False) -> _Parse:
    value = _number(field)
    checks: list[Check] = [
        (pl.col(field).is_not_null() & value.is_null(), f"{field} is not a number"),
        (value < 0, f"{field} is negative"),
    ]
    if required:
        checks.insert(0, (pl.col(field).is_null(), f"{field} is missing"))
    return _Parse(field, value, checks, (field,))


def _count(field: str, required: bool = False) -> _Parse:
    parse = _amount(field, required)
    whole = ((parse.value % 1) != 0, f"{field} is not a whole number")
    return _Parse(field, parse.value, [*parse.checks, whole], parse.inputs)


def _rate(field: str, required: bool = False) -> _Parse:
    """Read a 0-1 rate from "0.85" or "85%"."""
    text = pl.col(field)
    percent = text.str.ends_with("%")
    number = (
        pl.when(percent)
        .then(text.str.strip_suffix("%").str.strip_chars().cast(pl.Float64, strict=False) / 100)
        .otherwise(_number(field))
    )
    value = pl.when(number.is_finite()).then(number)
    checks: list[Check] = [
        (text.is_not_null() & value.is_null(), f"{field} is not a number"),
        ((value < 0) | (value > 1), f"{field} must be between 0 and 1 (or a percent like 85%)"),
    ]
    if required:
        checks.insert(0, (text.is_null(), f"{field} is missing"))
    return _Parse(field, value, checks, (field,))


def _soc(field: str) -> _Parse:
    """Read a 6-digit SOC code from "29-1141", O*NET "29-1141.00" or "291141"."""
    text = pl.col(field)
    dashed = text.str.extract(r"^(\d{2}-\d{4})(?:\.\d{2})?$", 1)
    plain = text.str.extract_groups(r"^(\d{2})(\d{4})$")
    value = pl.coalesce(dashed, plain.struct[0] + "-" + plain.struct[1])
    check = (text.is_not_null() & value.is_null(), f"{field} is not a SOC code (like 29-1141)")
    return _Parse(field, value, [check], (field,))


def _cip(field: str, known: pl.Series | None) -> _Parse:
    """Read a CIP 2020 code "51.0801" (also "510801", or "1.0101" that lost its leading zero)."""
    text = pl.col(field)
    dotted = text.str.extract_groups(r"^(\d{1,2})\.(\d{1,4})$")
    plain = text.str.extract_groups(r"^(\d{2})(\d{4})$")
    value = pl.coalesce(
        dotted.struct[0].str.zfill(2) + "." + dotted.struct[1].str.pad_end(4, "0"),
        plain.struct[0] + "." + plain.struct[1],
    )
    checks: list[Check] = [
        (text.is_null(), f"{field} is missing"),
        (text.is_not_null() & value.is_null(), f"{field} is not a CIP code (like 51.0801)"),
    ]
    if known is not None:
        checks.append(
            (
                value.is_not_null() & ~value.is_in(known.implode()),
                f"{field} is not a CIP 2020 code",
            )
        )
    return _Parse(field, value, checks, (field,))


def _vocabulary(
    field: str, spellings: Mapping[str, str], allowed: str, required: bool = False
) -> _Parse:
    text = pl.col(field)
    key = text.str.to_lowercase().str.replace_all(r"[^a-z]", "")
    value = key.replace_strict(
        list(spellings), list(spellings.values()), default=None, return_dtype=pl.String
    )
    checks: list[Check] = [(text.is_not_null() & value.is_null(), f"{field} must be {allowed}")]
    if required:
        checks.insert(0, (text.is_null(), f"{field} is missing"))
    return _Parse(field, value, checks, (field,))


def _county_key(name: pl.Expr) -> pl.Expr:
    return (
        name.str.to_lowercase()
        .str.replace_all(r"\bsaint\b", "st")
        .str.replace_all(r"\b(county|parish)\b", "")
        .str.replace_all(r"[^a-z0-9]", "")
    )


def _county(counties: pl.DataFrame, required: bool) -> _Parse:
    """Read the county FIPS code, from county_fips or from the county and state names."""
    valid = counties["county_fips"].unique()
    states = {k.lower(): v for k, v in STATE_CODES.items()}
    for fips, name in counties.select("state_fips", "state_name").unique().iter_rows():
        if name:
            states[str(name).lower()] = str(fips)
    # A county without a name (DC in some lists) has no key: a null key would match every row
    # that names no county and give it that county.
    lookup = (
        counties.select(
            (pl.col("state_fips") + "|" + _county_key(pl.col("county_name"))).alias("key"),
            pl.col("county_fips"),
        )
        .drop_nulls("key")
        .unique("key", keep="first")
    )
    state = (
        pl.col("state")
        .str.to_lowercase()
        .str.replace_all(r"\s+", " ")
        .replace_strict(list(states), list(states.values()), default=None, return_dtype=pl.String)
    )
    named = state + "|" + _county_key(pl.col("county"))
    by_name = pl.when(named.is_not_null()).then(
        named.replace_strict(
            lookup["key"], lookup["county_fips"], default=None, return_dtype=pl.String
        )
    )
    code_text = pl.col("county_fips").str.replace(r"\.0+$", "")
    code = pl.when(code_text.str.contains(r"^\d{4,5}$")).then(code_text.str.zfill(5))
    value = pl.coalesce(code, by_name)
    given_code = pl.col("county_fips").is_not_null()
    given_name = pl.col("county").is_not_null()
    checks: list[Check] = [
        (
            given_code & ~code.is_in(valid.implode()).fill_null(False),
            "county_fips is not a known county code",
        ),
        (~given_code & given_name & pl.col("state").is_null(), "county is given without state"),
        (
            ~given_code & given_name & pl.col("state").is_not_null() & by_name.is_null(),
            "county and state do not name a known county",
        ),
    ]
    if required:
        checks.append(
            (
                ~given_code & ~given_name,
                "county_fips is missing (give county_fips, or county and state)",
            )
        )
    return _Parse("county_fips", value, checks, ("county_fips", "county", "state"))


def _split(
    raw: pl.DataFrame,
    work: pl.DataFrame,
    checks: list[Check],
    accepted: dict[str, pl.Expr],
    schema: Schema,
    key: tuple[str, ...],
    duplicate: str,
) -> IntakeResult:
    """Rows with no reason are accepted (the first of each key), the others set aside with reasons."""
    per_field = [c for c in work.columns if c.startswith("_r_")]
    reasons = pl.concat_list(
        [pl.col(c) for c in per_field]
        + [pl.when(cond.fill_null(False)).then(pl.lit(text)) for cond, text in checks]
    ).list.drop_nulls()
    key_cols = [f"_key_{k}" for k in key]
    judged = (
        work.filter(~pl.col("_blank"))
        .with_columns(reasons.alias("_reasons"))
        .with_columns(
            *[accepted[k].alias(c) for k, c in zip(key, key_cols, strict=True)],
            (pl.col("_reasons").list.len() == 0).alias("_ok"),
        )
    )
    # A key's first occurrence is judged among good rows only: a broken first row does not push
    # its good repeat out.
    good = judged.filter(pl.col("_ok")).with_columns(
        (~pl.struct(key_cols).is_first_distinct()).alias("_dup")
    )
    kept = good.filter(~pl.col("_dup")).select(**accepted)
    bad_rows = pl.concat(
        [
            judged.filter(~pl.col("_ok")).select(
                "row_number", pl.col("_reasons").list.join("; ").alias("reason")
            ),
            good.filter(pl.col("_dup")).select("row_number", pl.lit(duplicate).alias("reason")),
        ]
    ).sort("row_number")
    numbered = raw.with_row_index("row_number", offset=1).with_columns(
        pl.col("row_number").cast(pl.Int64)
    )
    bad_original = numbered.filter(pl.col("row_number").is_in(bad_rows["row_number"].implode()))
    original = bad_original.select(
        "row_number",
        pl.struct(pl.exclude("row_number")).struct.json_encode().alias("original")
        if raw.columns
        else pl.lit("{}").alias("original"),
    )
    rejected = bad_rows.join(original, on="row_number", how="left", maintain_order="left")
    return IntakeResult(schema.validate(kept), RejectSchema.validate(rejected))
