"""O*NET 27.0 database files (tab-delimited text, Skills as Excel) parsed into typed frames.

Every function takes the folder that holds the publisher's files under their own names
(`Occupation Data.txt`, `Alternate Titles.txt`, ...), as unpacked from db_27_0_text.zip and
db_27_0_excel.zip. The text files are UTF-8 (27.0 is plain ASCII); anything else is refused.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from analytics.schemas import (
    OnetEducationSchema,
    OnetJobZoneSchema,
    OnetOccupationSchema,
    OnetRelatedSchema,
    OnetSkillSchema,
    OnetTaskSchema,
    OnetTechnologySchema,
    OnetTitleSchema,
)
from connectors.errors import SourceError

ONET_ATTRIBUTION = (
    "This product includes information from the O*NET 27.0 Database by the U.S. Department of Labor, "
    "Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a "
    "trademark of USDOL/ETA. Gapboard has modified all or some of this information; USDOL/ETA has not "
    "approved, endorsed, or tested these modifications."
)

CODE = "O*NET-SOC Code"
OCCUPATION_DATA = "Occupation Data.txt"
ALTERNATE_TITLES = "Alternate Titles.txt"
REPORTED_TITLES = "Sample of Reported Titles.txt"
JOB_ZONES = "Job Zones.txt"
EDUCATION = "Education, Training, and Experience.txt"
EDUCATION_CATEGORIES = "Education, Training, and Experience Categories.txt"
SKILLS = "Skills.xlsx"
RELATED = "Related Occupations.txt"
TASKS = "Task Statements.txt"
TECHNOLOGY = "Technology Skills.txt"

_ONET_CODE = r"^\d{2}-\d{4}\.\d{2}$"
# A real Skills.xlsx unpacks to about 20 MB; anything far larger is not the publisher's file.
_MAX_XLSX_UNPACKED = 256 * 1024 * 1024


def parse_onet_occupations(directory: Path) -> pl.DataFrame:
    """Return one row per O*NET-SOC occupation with its title and description (OnetOccupationSchema)."""
    path, frame = _read_tsv(directory, OCCUPATION_DATA, [CODE, "Title", "Description"])
    frame = _with_soc(frame, path).rename({"Title": "title", "Description": "description"})
    return OnetOccupationSchema.validate(frame)


def parse_onet_titles(directory: Path) -> pl.DataFrame:
    """Return official, alternate and reported job titles with their O*NET and SOC codes (OnetTitleSchema)."""
    occ_path, occupations = _read_tsv(directory, OCCUPATION_DATA, [CODE, "Title"])
    alt_path, alternates = _read_tsv(
        directory, ALTERNATE_TITLES, [CODE, "Alternate Title", "Short Title"]
    )
    rep_path, reported = _read_tsv(directory, REPORTED_TITLES, [CODE, "Reported Job Title"])
    parts = [
        _with_soc(occupations, occ_path).select(
            "onet_code",
            "soc_code",
            pl.col("Title").alias("title"),
            pl.lit(None, pl.String).alias("short_title"),
            pl.lit("occupation").alias("kind"),
        ),
        _with_soc(alternates, alt_path).select(
            "onet_code",
            "soc_code",
            pl.col("Alternate Title").alias("title"),
            _na("Short Title").alias("short_title"),
            pl.lit("alternate").alias("kind"),
        ),
        _with_soc(reported, rep_path).select(
            "onet_code",
            "soc_code",
            pl.col("Reported Job Title").alias("title"),
            pl.lit(None, pl.String).alias("short_title"),
            pl.lit("reported").alias("kind"),
        ),
    ]
    frame = pl.concat(parts, how="vertical")
    return OnetTitleSchema.validate(frame.filter(pl.col("title").is_not_null()))


def parse_onet_job_zones(directory: Path) -> pl.DataFrame:
    """Return the job zone (1-5) of each rated occupation (OnetJobZoneSchema)."""
    path, frame = _read_tsv(directory, JOB_ZONES, [CODE, "Job Zone"])
    frame = _cast(_with_soc(frame, path), path, {"Job Zone": pl.Int8})
    return OnetJobZoneSchema.validate(frame.rename({"Job Zone": "job_zone"}))


def parse_onet_education(directory: Path) -> pl.DataFrame:
    """Return the share of respondents by required level of education, per occupation (OnetEducationSchema)."""
    path, frame = _read_tsv(directory, EDUCATION, [CODE, "Scale ID", "Category", "Data Value"])
    cat_path, categories = _read_tsv(
        directory, EDUCATION_CATEGORIES, ["Scale ID", "Category", "Category Description"]
    )
    frame = frame.filter(pl.col("Scale ID") == "RL")
    if frame.is_empty():
        raise SourceError(f"{path}: no rows with Scale ID 'RL' (required level of education)")
    frame = _cast(_with_soc(frame, path), path, {"Category": pl.Int8, "Data Value": pl.Float64})
    labels = _cast(categories.filter(pl.col("Scale ID") == "RL"), cat_path, {"Category": pl.Int8})
    labels = labels.select("Category", pl.col("Category Description").alias("category_label"))
    if labels["Category"].is_duplicated().any():
        raise SourceError(f"{cat_path}: an RL category appears more than once")
    frame = frame.join(labels, on="Category", how="left")
    unlabelled = frame.filter(pl.col("category_label").is_null())["Category"].unique().sort()
    if unlabelled.len():
        raise SourceError(
            f"{cat_path}: no label for RL categor{'y' if unlabelled.len() == 1 else 'ies'} "
            f"{', '.join(str(c) for c in unlabelled)} used in {path.name}"
        )
    frame = frame.rename({"Category": "category", "Data Value": "share_pct"})
    return OnetEducationSchema.validate(frame.sort("onet_code", "category"))


def parse_onet_skills(directory: Path) -> pl.DataFrame:
    """Return skill importance (IM) and level (LV) side by side per occupation and skill (OnetSkillSchema)."""
    path = Path(directory) / SKILLS
    columns = [CODE, "Element ID", "Element Name", "Scale ID", "Data Value", "Recommend Suppress"]
    frame = _read_xlsx(path, columns)
    frame = _cast(_with_soc(frame, path), path, {"Data Value": pl.Float64})
    keys = ["onet_code", "element_id"]
    frame = frame.rename({"Element ID": "element_id", "Element Name": "skill"})
    duplicated = frame.select(*keys, "Scale ID").is_duplicated()
    if duplicated.any():
        first = frame.filter(duplicated).row(0, named=True)
        raise SourceError(
            f"{path}: {first['onet_code']} {first['element_id']} {first['Scale ID']} appears more than once"
        )
    importance = frame.filter(pl.col("Scale ID") == "IM").select(
        *keys, "soc_code", "skill", pl.col("Data Value").alias("importance")
    )
    level = frame.filter(pl.col("Scale ID") == "LV").select(
        *keys,
        pl.col("Data Value").alias("level"),
        # O*NET flags only the level estimate; importance rows are never suppressed.
        (pl.col("Recommend Suppress") == "Y").fill_null(False).alias("suppress"),
    )
    if importance.is_empty() or level.is_empty():
        raise SourceError(
            f"{path}: expected both IM (importance) and LV (level) rows in 'Scale ID'"
        )
    joined = importance.join(level, on=keys, how="full", coalesce=True)
    unpaired = joined.filter(pl.col("importance").is_null() | pl.col("level").is_null())
    if unpaired.height:
        first = unpaired.row(0, named=True)
        raise SourceError(
            f"{path}: {unpaired.height} skill rating(s) lack their IM or LV pair, "
            f"e.g. {first['onet_code']} {first['element_id']}"
        )
    return OnetSkillSchema.validate(joined.sort(keys))


def parse_onet_related(directory: Path) -> pl.DataFrame:
    """Return each occupation's related occupations with relatedness tier and rank (OnetRelatedSchema)."""
    columns = [CODE, "Related O*NET-SOC Code", "Relatedness Tier", "Index"]
    path, frame = _read_tsv(directory, RELATED, columns)
    frame = _with_soc(frame, path)
    _check_codes(frame, "Related O*NET-SOC Code", path)
    frame = _cast(frame, path, {"Index": pl.Int16}).rename(
        {"Related O*NET-SOC Code": "related_onet_code", "Relatedness Tier": "tier", "Index": "rank"}
    )
    return OnetRelatedSchema.validate(frame)


def parse_onet_tasks(directory: Path) -> pl.DataFrame:
    """Return the task statements of each occupation, Core or Supplemental (OnetTaskSchema)."""
    path, frame = _read_tsv(directory, TASKS, [CODE, "Task ID", "Task", "Task Type"])
    frame = _with_soc(frame, path).select(
        "onet_code",
        pl.col("Task ID").alias("task_id"),
        pl.col("Task").alias("task"),
        _na("Task Type").alias("task_type"),
    )
    return OnetTaskSchema.validate(frame)


def parse_onet_technology(directory: Path) -> pl.DataFrame:
    """Return the technology (software, equipment) examples of each occupation (OnetTechnologySchema)."""
    columns = [CODE, "Example", "Commodity Code", "Commodity Title", "Hot Technology"]
    path, frame = _read_tsv(directory, TECHNOLOGY, columns)
    frame = _with_soc(frame, path)
    frame = frame.select(
        "onet_code",
        pl.col("Example").alias("example"),
        pl.col("Commodity Code").alias("commodity_code"),
        pl.col("Commodity Title").alias("commodity_title"),
        _flag(frame, "Hot Technology", path).alias("hot_technology"),
    )
    return OnetTechnologySchema.validate(frame)


# --- reading ----------------------------------------------------------------------------------


def _read_tsv(directory: Path, name: str, columns: Sequence[str]) -> tuple[Path, pl.DataFrame]:
    path = Path(directory) / name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(
            f"{path}: file not found; unpack it from O*NET's db_27_0_text.zip into {Path(directory)}"
        ) from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{path}: not UTF-8 text (byte {exc.start}); download the O*NET text files again"
        ) from exc
    try:
        # O*NET text files are tab-delimited without quoting; task statements contain `"`.
        frame = pl.read_csv(
            text.encode(),
            separator="\t",
            quote_char=None,
            infer_schema=False,
            truncate_ragged_lines=False,
        )
    except pl.exceptions.PolarsError as exc:
        raise SourceError(f"{path}: not a tab-delimited O*NET file ({_first_line(exc)})") from exc
    return path, _checked(frame, columns, path)


def _read_xlsx(path: Path, columns: Sequence[str]) -> pl.DataFrame:
    if not path.is_file():
        raise SourceError(f"{path}: file not found; unpack it from O*NET's db_27_0_excel.zip")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(f"{path}: not an Excel workbook ({exc})") from exc
    if unpacked > _MAX_XLSX_UNPACKED:
        raise SourceError(
            f"{path}: workbook would unpack to {unpacked:,} bytes; not the O*NET file"
        )
    try:
        frame = pl.read_excel(path, engine="calamine", infer_schema_length=0)
    except Exception as exc:  # calamine raises its own types for damaged workbooks
        raise SourceError(f"{path}: unreadable workbook ({_first_line(exc)})") from exc
    frame = frame.with_columns(pl.all().cast(pl.String))
    return _checked(frame, columns, path)


def _checked(frame: pl.DataFrame, columns: Sequence[str], path: Path) -> pl.DataFrame:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SourceError(
            f"{path}: missing column(s) {', '.join(repr(c) for c in missing)}; "
            "expected the O*NET 27.0 layout"
        )
    return frame.with_columns(pl.col(pl.String).str.strip_chars()).filter(
        pl.col(columns[0]).is_not_null()
    )


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


# --- typing -----------------------------------------------------------------------------------


def _with_soc(frame: pl.DataFrame, path: Path) -> pl.DataFrame:
    _check_codes(frame, CODE, path)
    return frame.rename({CODE: "onet_code"}).with_columns(
        pl.col("onet_code").str.slice(0, 7).alias("soc_code")
    )


def _check_codes(frame: pl.DataFrame, column: str, path: Path) -> None:
    bad = frame.filter(~pl.col(column).str.contains(_ONET_CODE))[column]
    if bad.len():
        raise SourceError(
            f"{path}: {bad.len()} value(s) in '{column}' are not O*NET-SOC codes (NN-NNNN.NN), "
            f"e.g. {bad[0]!r}"
        )


def _na(column: str) -> pl.Expr:
    value = pl.col(column)
    return pl.when(value.str.to_lowercase() == "n/a").then(None).otherwise(value).alias(column)


def _cast(frame: pl.DataFrame, path: Path, dtypes: dict[str, type[pl.DataType]]) -> pl.DataFrame:
    out = frame.with_columns(_na(c).cast(t, strict=False) for c, t in dtypes.items())
    for column in dtypes:
        failed = frame.filter(out[column].is_null() & _na(column).is_not_null())[column]
        if failed.len():
            raise SourceError(
                f"{path}: {failed.len()} value(s) in '{column}' are not numbers in range, "
                f"e.g. {failed[0]!r}"
            )
    return out


def _flag(frame: pl.DataFrame, column: str, path: Path) -> pl.Series:
    values = frame[column]
    odd = values.filter(~values.is_in(["Y", "N"]))
    if odd.len():
        raise SourceError(f"{path}: '{column}' should be Y or N, found {odd[0]!r}")
    return values == "Y"
