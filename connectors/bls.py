"""Parse BLS publisher files: Employment Projections tables 1.2 and 1.10, and OEWS estimates."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import fastexcel
import polars as pl

from analytics.schemas import EpOccupationSchema, OewsAreaSchema, OewsSchema
from connectors.errors import SourceError

# --- Employment Projections workbook (occupation.xlsx) -----------------------------------------

EP_SHEET_PROJECTIONS = "Table 1.2"
EP_SHEET_SEPARATIONS = "Table 1.10"
_EP_CODE = re.compile(r"^\d{2}-\d{4}$")
_EM_DASH = "—"  # BLS prints it for "not available"
_XLSX_MAX_INFLATED_BYTES = 200 * 1024 * 1024  # the real workbook inflates to about 3 MB
_XLSX_MAX_RATIO = 200  # its XML parts compress about 26:1; a zip bomb reaches 1000:1

# BLS header text as printed -> schema column. Matching ignores case, dash style and [n] markers.
_EP_PROJECTIONS_COLUMNS = {
    "2024 National Employment Matrix code": "ep_code",
    "2024 National Employment Matrix title": "title",
    "Occupation type": "occupation_type",
    "Employment, 2024": "employment_2024",
    "Employment, 2034": "employment_2034",
    "Employment change, numeric, 2024–34": "employment_change",
    "Employment change, percent, 2024–34": "employment_change_pct",
    "Percent self employed, 2024": "self_employed_pct",
    "Occupational openings, 2024–34 annual average": "annual_openings",
    "Median annual wage, dollars, 2024[1]": "median_annual_wage",
    "Typical education needed for entry": "entry_education",
    "Work experience in a related occupation": "work_experience",
    "Typical on-the-job training needed to attain competency in the occupation": "job_training",
}
_EP_SEPARATIONS_COLUMNS = {
    "2024 National Employment Matrix code": "ep_code",
    "Labor force exit rate, 2024–34 annual average": "exit_rate",
    "Occupational transfer rate, 2024–34 annual average": "transfer_rate",
    "Total occupational separations rate, 2024–34 annual average": "separations_rate",
    "Labor force exits, 2024–34 annual average": "annual_exits",
    "Occupational transfers, 2024–34 annual average": "annual_transfers",
    "Total occupational separations, 2024–34 annual average": "annual_separations",
}
_EP_THOUSANDS = (
    "employment_2024",
    "employment_2034",
    "employment_change",
    "annual_openings",
    "annual_exits",
    "annual_transfers",
    "annual_separations",
)
_EP_RATES = ("exit_rate", "transfer_rate", "separations_rate")
_EP_PERCENTS = ("employment_change_pct", "self_employed_pct")
_EP_TEXTS = ("entry_education", "work_experience", "job_training")


def parse_ep_workbook(path: Path) -> pl.DataFrame:
    """Return BLS EP tables 1.2 and 1.10 joined on the matrix code (EpOccupationSchema, people)."""
    sheets = _open_workbook(path)
    projections = _ep_table(path, sheets, EP_SHEET_PROJECTIONS, _EP_PROJECTIONS_COLUMNS)
    separations = _ep_table(path, sheets, EP_SHEET_SEPARATIONS, _EP_SEPARATIONS_COLUMNS)
    only_one = set(projections["ep_code"]) ^ set(separations["ep_code"])
    if only_one:
        raise SourceError(
            f"{path}: {EP_SHEET_PROJECTIONS} and {EP_SHEET_SEPARATIONS} list different occupations "
            f"(e.g. {', '.join(sorted(only_one)[:3])}); download both tables from the same release"
        )
    raw = projections.join(separations, on="ep_code", how="left", maintain_order="left")
    _check_numbers(path, raw, [*_EP_THOUSANDS, *_EP_RATES, *_EP_PERCENTS])
    wage = pl.col("median_annual_wage").str.strip_chars()
    frame = raw.select(
        "ep_code",
        pl.col("title").str.strip_chars(),
        pl.col("occupation_type").str.strip_chars(),
        *[(_ep_number(c) * 1000).round(0).alias(c) for c in _EP_THOUSANDS],
        *[(_ep_number(c) / 100).round(6).alias(c) for c in _EP_RATES],
        *[_ep_number(c).alias(c) for c in _EP_PERCENTS],
        wage.str.replace_all(r"[^0-9.]", "")
        .cast(pl.Float64, strict=False)
        .alias("median_annual_wage"),
        # BLS prints ">=$239,200" where the OEWS wage is top-coded: keep the bound, flag it
        wage.str.starts_with(">=").fill_null(False).alias("wage_top_coded"),
        *[_ep_text(c).alias(c) for c in _EP_TEXTS],
    )
    return EpOccupationSchema.validate(frame)


def _open_workbook(path: Path) -> fastexcel.ExcelReader:
    if not path.is_file():
        raise SourceError(f"{path}: file not found; download occupation.xlsx from bls.gov/emp")
    if not zipfile.is_zipfile(path):
        raise SourceError(f"{path}: not an .xlsx workbook (not a zip file); download it again")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(f"{path}: damaged .xlsx workbook ({exc}); download it again") from exc
    inflated = sum(item.file_size for item in members)
    large = [m for m in members if m.file_size > 1_000_000]
    ratio = max((m.file_size / max(m.compress_size, 1) for m in large), default=0)
    if inflated > _XLSX_MAX_INFLATED_BYTES or ratio > _XLSX_MAX_RATIO:
        raise SourceError(
            f"{path}: workbook would inflate to {inflated:,} bytes (up to {ratio:.0f}:1), beyond "
            f"the {_XLSX_MAX_INFLATED_BYTES:,} bytes and {_XLSX_MAX_RATIO}:1 allowed; "
            "this is not the BLS occupation.xlsx"
        )
    try:
        return fastexcel.read_excel(path)
    except Exception as exc:  # calamine raises its own error types for any unreadable workbook
        raise SourceError(f"{path}: not a readable .xlsx workbook ({exc})") from exc


def _ep_table(
    path: Path, sheets: fastexcel.ExcelReader, sheet: str, columns: dict[str, str]
) -> pl.DataFrame:
    if sheet not in sheets.sheet_names:
        raise SourceError(
            f"{path}: sheet '{sheet}' not found (sheets: {', '.join(sheets.sheet_names)}); "
            "expected the BLS Employment Projections occupation.xlsx"
        )
    try:
        # every cell as text: numbers are checked and cast below, "—" and "None" survive as written
        grid = sheets.load_sheet(sheet, header_row=None, dtypes="string").to_polars()
    except Exception as exc:
        raise SourceError(f"{path}: sheet '{sheet}' could not be read ({exc})") from exc
    header_at = _find_header_row(grid)
    if header_at is None:
        raise SourceError(
            f"{path}: sheet '{sheet}' has no header row naming "
            "'2024 National Employment Matrix code' in its first rows"
        )
    found = {
        _header_key(str(cell)): name
        for name, cell in zip(grid.columns, grid.row(header_at), strict=True)
        if cell is not None
    }
    missing = [h for h in columns if _header_key(h) not in found]
    if missing:
        raise SourceError(
            f"{path}: sheet '{sheet}' has no column '{missing[0]}'"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
            + "; expected the BLS 2024–34 occupation.xlsx layout"
        )
    table = grid.slice(header_at + 1).select(
        pl.col(found[_header_key(h)]).cast(pl.String).alias(c) for h, c in columns.items()
    )
    return table.with_columns(pl.col("ep_code").str.strip_chars()).filter(
        pl.col("ep_code").str.contains(_EP_CODE.pattern)
    )


def _find_header_row(grid: pl.DataFrame) -> int | None:
    target = _header_key("2024 National Employment Matrix code")
    for i in range(min(5, grid.height)):
        if any(cell is not None and _header_key(str(cell)) == target for cell in grid.row(i)):
            return i
    return None


def _header_key(text: str) -> str:
    text = re.sub(r"\[\d+\]", "", text).replace("–", "-").replace("—", "-")
    return " ".join(text.split()).lower()


def _ep_number(column: str) -> pl.Expr:
    return pl.col(column).str.strip_chars().str.replace_all(",", "").cast(pl.Float64, strict=False)


def _ep_text(column: str) -> pl.Expr:
    text = pl.col(column).str.strip_chars()
    return pl.when(text == _EM_DASH).then(None).otherwise(text)


def _check_numbers(path: Path, raw: pl.DataFrame, columns: list[str]) -> None:
    for column in columns:
        text = pl.col(column).str.strip_chars().str.replace_all(",", "")
        bad = raw.filter(
            text.is_not_null() & (text != _EM_DASH) & text.cast(pl.Float64, strict=False).is_null()
        )
        if bad.height:
            code, value = bad.row(0)[0], bad[column][0]
            raise SourceError(f"{path}: {column} for {code} is '{value}', not a number")


# --- OEWS (May 2025) ----------------------------------------------------------------------------

# The BLS footnote codes (oe.footnote; oews_may2025_footnotes_datatypes.csv):
_FOOTNOTE_HOURLY_OR_ANNUAL_ONLY = "4"  # "reported either as hourly wages or annual salaries"
_FOOTNOTE_TOP_CODED = "5"  # "equal to or greater than $115.00 per hour or $239,200 per year"
_FOOTNOTE_NOT_RELEASED = "8"  # "Estimate not released."
TOP_CODE_HOURLY = 115.00
TOP_CODE_ANNUAL = 239_200.0
# "-" in the flat files; "*", "**", "#" and "~" in the spreadsheet downloads ("#" = top-coded)
_MISSING_MARKERS = ["-", "*", "**", "#", "~", ""]

# Reshaped-CSV column -> (BLS datatype code, OewsSchema column or None when the schema drops it)
OEWS_DATATYPES: dict[str, tuple[str, str | None]] = {
    "tot_emp": ("01", "employment"),
    "emp_prse": ("02", "employment_rse_pct"),
    "h_mean": ("03", "hourly_mean_wage"),
    "a_mean": ("04", "annual_mean_wage"),
    "mean_prse": ("05", None),
    "h_pct10": ("06", None),
    "h_pct25": ("07", None),
    "h_median": ("08", "hourly_median_wage"),
    "h_pct75": ("09", None),
    "h_pct90": ("10", None),
    "a_pct10": ("11", "annual_p10_wage"),
    "a_pct25": ("12", "annual_p25_wage"),
    "a_median": ("13", "annual_median_wage"),
    "a_pct75": ("14", "annual_p75_wage"),
    "a_pct90": ("15", "annual_p90_wage"),
    "jobs_1000": ("16", "jobs_per_1000"),
    "loc_quotient": ("17", "location_quotient"),
}
_OEWS_KEY_COLUMNS = [
    "area_code",
    "area_type",
    "state_fips",
    "area_title",
    "industry_code",
    "industry_title",
    "occ_code",
    "occ_title",
    "occ_display_level",
]
_OEWS_CSV_COLUMNS = [*_OEWS_KEY_COLUMNS, *OEWS_DATATYPES, "footnote_codes"]
_OEWS_KEY = ["area_code", "industry_code", "soc_code"]


def parse_oews_csv(paths: list[Path]) -> pl.DataFrame:
    """Return OEWS estimates from the reshaped CSVs, one row per area, industry and occupation."""
    frames = [_typed_oews(_read_text_csv(path, _OEWS_CSV_COLUMNS), path) for path in paths]
    if not frames:
        return OewsSchema.empty()
    # the all-states healthcare file repeats the MA, IL and MI rows of the three-state file
    frame = pl.concat(frames).unique(subset=_OEWS_KEY, keep="first", maintain_order=True)
    return OewsSchema.validate(frame)


def parse_oews_areas(path: Path) -> pl.DataFrame:
    """Return every OEWS area (code, type, state FIPS, title) from oews_may2025_areas.csv."""
    frame = _read_text_csv(path, list(OewsAreaSchema.columns))
    return OewsAreaSchema.validate(frame.with_columns(pl.all().str.strip_chars()))


def parse_oews_area_file(path: Path) -> pl.DataFrame:
    """Return every OEWS area from the BLS flat-file lookup `oe.area` (OewsAreaSchema)."""
    raw = _read_flat(path, ["state_code", "area_code", "areatype_code", "area_name"])
    frame = raw.select(
        pl.col("area_code"),
        pl.col("areatype_code").alias("area_type"),
        pl.col("state_code").alias("state_fips"),
        pl.col("area_name").alias("area_title"),
    )
    return OewsAreaSchema.validate(frame)


def parse_oews_flat(directory: Path) -> pl.DataFrame:
    """Return OEWS estimates from the BLS time-series flat files (oe.data.0.Current and lookups)."""
    data_path = directory / "oe.data.0.Current"
    data = _read_flat(data_path, ["series_id", "year", "period", "value", "footnote_codes"])
    areas = _read_flat(
        directory / "oe.area", ["state_code", "area_code", "areatype_code", "area_name"]
    )
    occupations = _read_flat(
        directory / "oe.occupation", ["occupation_code", "occupation_name", "display_level"]
    )
    industries = _read_flat(directory / "oe.industry", ["industry_code", "industry_name"])

    cells = _decode_series(data_path, data)
    wide = cells.pivot(
        on="column",
        index=["area_code", "industry_code", "occupation_code"],
        values="value",
        aggregate_function="first",
    )
    notes = (
        cells.filter(pl.col("footnote_codes") != "")
        .sort("datatype")
        .group_by(["area_code", "industry_code", "occupation_code"], maintain_order=True)
        .agg(pl.format("{}={}", "column", "footnote_codes").str.join(";").alias("footnote_codes"))
    )
    wide = (
        wide.join(notes, on=["area_code", "industry_code", "occupation_code"], how="left")
        .join(areas, on="area_code", how="left")
        .join(occupations, on="occupation_code", how="left")
        .join(industries, on="industry_code", how="left")
    )
    for code, lookup, name in (
        ("area_code", "area_name", "oe.area"),
        ("occupation_code", "occupation_name", "oe.occupation"),
    ):
        unknown = wide.filter(pl.col(lookup).is_null())[code].unique().sort()
        if unknown.len():
            raise SourceError(
                f"{directory / name}: does not list {unknown.len()} {code}(s) used in "
                f"oe.data.0.Current (e.g. {unknown[0]}); download all the files from one release"
            )
    wide = wide.select(
        "area_code",
        pl.col("areatype_code").alias("area_type"),
        pl.col("state_code").alias("state_fips"),
        pl.col("area_name").alias("area_title"),
        "industry_code",
        pl.col("industry_name").alias("industry_title"),
        pl.format(
            "{}-{}",
            pl.col("occupation_code").str.slice(0, 2),
            pl.col("occupation_code").str.slice(2),
        ).alias("occ_code"),
        pl.col("occupation_name").alias("occ_title"),
        pl.col("display_level").alias("occ_display_level"),
        *[
            (pl.col(c) if c in wide.columns else pl.lit(None, pl.String)).alias(c)
            for c in OEWS_DATATYPES
        ],
        "footnote_codes",
    )
    return OewsSchema.validate(_typed_oews(wide, data_path))


def _read_text_csv(path: Path, required: list[str]) -> pl.DataFrame:
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except FileNotFoundError as exc:
        raise SourceError(f"{path}: file not found") from exc
    except (pl.exceptions.ComputeError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: not a readable CSV file ({exc})") from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SourceError(f"{path}: missing column(s) {', '.join(missing)}")
    return frame


def _read_flat(path: Path, required: list[str]) -> pl.DataFrame:
    """Read a BLS tab-separated flat file as text, with the padding stripped from names and cells."""
    try:
        frame = pl.read_csv(path, separator="\t", infer_schema=False, quote_char=None)
    except FileNotFoundError as exc:
        raise SourceError(
            f"{path}: file not found; download it from the BLS time-series oe/ folder"
        ) from exc
    except (pl.exceptions.ComputeError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: not a readable tab-separated BLS file ({exc})") from exc
    frame = frame.rename({c: c.strip() for c in frame.columns})
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SourceError(f"{path}: missing column(s) {', '.join(missing)}")
    return frame.select(pl.col(c).str.strip_chars().fill_null("") for c in required)


def _decode_series(path: Path, data: pl.DataFrame) -> pl.DataFrame:
    """Split OEU + areatype(1) + area(7) + industry(6) + occupation(6) + datatype(2) series ids."""
    bad = data.filter(
        (pl.col("series_id").str.len_chars() != 25) | ~pl.col("series_id").str.starts_with("OEU")
    )
    if bad.height:
        raise SourceError(
            f"{path}: series id '{bad['series_id'][0]}' is not an OEWS series "
            "(OEU + area type + area + industry + occupation + datatype, 25 characters)"
        )
    latest = data["year"].max()
    by_code = pl.DataFrame(
        {
            "datatype": [code for code, _ in OEWS_DATATYPES.values()],
            "column": list(OEWS_DATATYPES),
        }
    )
    sid = pl.col("series_id")
    return (
        data.filter(pl.col("year") == latest)
        .select(
            sid.str.slice(4, 7).alias("area_code"),
            sid.str.slice(11, 6).alias("industry_code"),
            sid.str.slice(17, 6).alias("occupation_code"),
            sid.str.slice(23, 2).alias("datatype"),
            "value",
            "footnote_codes",
        )
        .join(by_code, on="datatype", how="inner")
    )


def _typed_oews(wide: pl.DataFrame, source: Path) -> pl.DataFrame:
    """Cast the text columns of the reshaped layout to OewsSchema, with flags for missing values."""
    notes = pl.col("footnote_codes").fill_null("")
    text = {c: pl.col(c).str.strip_chars().fill_null("") for c in OEWS_DATATYPES}
    code = {c: notes.str.extract(rf"(?:^|;){c}=([^;]*)", 1).fill_null("") for c in OEWS_DATATYPES}
    missing = {c: text[c].is_in(_MISSING_MARKERS) for c in OEWS_DATATYPES}
    top_coded = {
        c: missing[c] & (_has_code(code[c], _FOOTNOTE_TOP_CODED) | (text[c] == "#"))
        for c in OEWS_DATATYPES
    }
    _check_oews_numbers(wide, source, text, missing)

    def value(column: str) -> pl.Expr:
        number: pl.Expr = pl.when(~missing[column]).then(
            text[column].cast(pl.Float64, strict=False)
        )
        if column.startswith(("h_", "a_")) and not column.endswith("prse"):
            bound = TOP_CODE_HOURLY if column.startswith("h_") else TOP_CODE_ANNUAL
            # store the published lower bound, never zero, so sums and ranks stay honest
            number = pl.when(top_coded[column]).then(pl.lit(bound)).otherwise(number)
        return number

    paid_hourly = _has_code(code["a_median"], _FOOTNOTE_HOURLY_OR_ANNUAL_ONLY)
    paid_annually = _has_code(code["h_median"], _FOOTNOTE_HOURLY_OR_ANNUAL_ONLY)
    wage_flag = (
        pl.when(top_coded["a_median"])
        .then(pl.lit("top-coded"))
        .when(missing["a_median"] & paid_hourly)
        .then(pl.lit("annual not published"))
        .when(missing["a_median"])
        .then(pl.lit("not released"))
        .when(missing["h_median"] & paid_annually)
        .then(pl.lit("hourly not published"))
    )
    return wide.select(
        pl.col("area_code").str.strip_chars(),
        pl.col("area_type").str.strip_chars(),
        pl.col("area_title").str.strip_chars(),
        pl.col("state_fips").str.strip_chars(),
        pl.col("industry_code").str.strip_chars(),
        pl.col("occ_code").str.strip_chars().alias("soc_code"),
        pl.col("occ_title").str.strip_chars(),
        pl.col("occ_display_level")
        .str.strip_chars()
        .cast(pl.Int8, strict=False)
        .alias("occ_level"),
        *[value(c).alias(name) for c, (_, name) in OEWS_DATATYPES.items() if name is not None],
        pl.when(missing["tot_emp"]).then(pl.lit("not released")).alias("employment_flag"),
        wage_flag.alias("wage_flag"),
        pl.when(notes != "").then(notes).alias("footnotes"),
    )


def _has_code(codes: pl.Expr, footnote: str) -> pl.Expr:
    """Whether a cell's footnote codes (one code, or several joined by commas) include `footnote`."""
    return codes.str.contains(rf"(?:^|,)\s*{footnote}\s*(?:$|,)")


def _check_oews_numbers(
    wide: pl.DataFrame, source: Path, text: dict[str, pl.Expr], missing: dict[str, pl.Expr]
) -> None:
    flags = wide.select(
        (~missing[c] & text[c].cast(pl.Float64, strict=False).is_null()).alias(c)
        for c in OEWS_DATATYPES
    )
    for column in OEWS_DATATYPES:
        if flags[column].any():
            row = wide.row(int(flags[column].arg_true()[0]), named=True)
            raise SourceError(
                f"{source}: {column} is '{row[column]}' for area {row['area_code']}, "
                f"occupation {row['occ_code']}; expected a number or a BLS missing-value marker"
            )
    levels = wide.filter(
        pl.col("occ_display_level").str.strip_chars().cast(pl.Int8, strict=False).is_null()
    )
    if levels.height:
        raise SourceError(
            f"{source}: occupation {levels['occ_code'][0]} has display level "
            f"'{levels['occ_display_level'][0]}', expected 0-3"
        )
