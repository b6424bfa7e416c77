"""Member feeds (CSV, XLSX, JSON) read as all-text frames, and their columns mapped to the feed formats.

Readers never guess a value: every cell comes back as text with the file's own headers, and
analytics.intake decides what each value means. A file that cannot be read as the format it
claims, lacks a required column, or would inflate past the upload limit raises FeedError.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import polars as pl

from analytics.schemas import FEED_FIELDS, FEED_REQUIRED
from connectors.errors import FeedError

KINDS = tuple(FEED_FIELDS)
CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
JSON_SUFFIXES = {".json"}
# Real workbooks compress 3-30x (highly repetitive sheets up to ~100x); a zip bomb reaches 1000x+.
MAX_XLSX_RATIO = 250
# Entries smaller than this are too small to matter whatever their ratio.
RATIO_FLOOR_BYTES = 1 << 20
HEADER_SEARCH_ROWS = 30

# Header synonyms per kind, best first. Matched after normalize_header (lower case, letters and
# digits only, "#" -> "number", "%" -> "pct"), so "Req ID", "req_id" and "REQ-ID" are one name.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "vacancies": {
        "posting_id": (
            "posting id", "req id", "requisition id", "requisition number", "requisition no",
            "req number", "req no", "requisition", "req", "job id", "job requisition id",
            "job number", "job req id", "vacancy id", "vacancy number", "position id",
            "position number", "posting number", "job posting id", "control number",
            "announcement number",
        ),
        "title": (
            "title", "job title", "position title", "position", "posting title", "job name",
            "job", "role", "requisition title", "job posting title", "job role",
        ),
        "posted_date": (
            "posted date", "date posted", "posting date", "post date", "posted", "posted on",
            "open date", "opened date", "date opened", "opened", "opened on", "created date",
            "date created", "position open date", "job posting date", "requisition open date",
            "job posting start date", "posting start date",
        ),
        "county_fips": (
            "county fips", "county fips code", "fips", "fips code", "county code", "county id",
            "geoid",
        ),
        "county": ("county", "county name"),
        "state": ("state", "state name", "state code", "st", "state abbreviation"),
        "soc_code": (
            "soc code", "soc", "soc 2018", "soc 2018 code", "soc2018 code", "onet soc code",
            "onet code", "onet soc", "onet", "occupation code",
        ),
        "closed_date": (
            "closed date", "date closed", "close date", "closing date", "closed", "closed on",
            "filled date", "date filled", "position close date", "end date",
            "job posting end date", "posting end date",
        ),
        "status": (
            "status", "posting status", "requisition status", "req status", "job status",
            "vacancy status",
        ),
        "openings": (
            "openings", "number of openings", "openings count", "positions", "number of positions",
            "positions open", "open positions", "headcount", "vacancies", "number of vacancies",
            "slots",
        ),
        "wage_min": (
            "wage min", "min wage", "minimum wage", "wage minimum", "pay min", "min pay",
            "minimum pay", "pay rate min", "salary min", "min salary", "minimum salary",
            "pay range min", "pay range minimum", "wage low", "low wage", "salary low",
            "hourly min", "min hourly", "hourly rate min", "min rate", "rate min", "pay low",
        ),
        "wage_max": (
            "wage max", "max wage", "maximum wage", "wage maximum", "pay max", "max pay",
            "maximum pay", "pay rate max", "salary max", "max salary", "maximum salary",
            "pay range max", "pay range maximum", "wage high", "high wage", "salary high",
            "hourly max", "max hourly", "hourly rate max", "max rate", "rate max", "pay high",
        ),
        "wage_unit": (
            "wage unit", "pay unit", "pay basis", "salary basis", "salary unit", "wage basis",
            "pay frequency", "pay type", "rate type", "wage type",
        ),
        "education_required": (
            "education required", "required education", "education", "minimum education",
            "education level", "min education", "degree required",
        ),
        "employment_type": (
            "employment type", "job type", "employment status", "full time part time",
            "ft pt", "schedule", "time type", "worker type", "position type",
        ),
    },
    "programs": {
        "provider": (
            "provider", "training provider", "institution", "institution name", "school",
            "college", "organization", "provider name",
        ),
        "program": ("program", "program name", "program title", "training program", "course"),
        "cip_code": ("cip code", "cip", "cip 2020", "cip 2020 code", "cipcode"),
        "award_level": (
            "award level", "award", "award type", "credential", "credential type", "degree",
            "level",
        ),
        "county_fips": ("county fips", "county fips code", "fips", "fips code", "county code"),
        "county": ("county", "county name"),
        "state": ("state", "state name", "state code", "st"),
        "annual_completers": (
            "annual completers", "completers", "completers per year", "graduates",
            "annual graduates", "completions", "annual completions",
        ),
        "placement_rate": (
            "placement rate", "placement", "job placement rate", "placement pct", "placed pct",
            "placement rate pct",
        ),
        "annual_seats": ("annual seats", "seats", "capacity", "seats per year", "annual capacity"),
        "duration_weeks": ("duration weeks", "duration", "weeks", "length weeks", "program weeks"),
        "cost": ("cost", "tuition", "program cost", "price", "tuition and fees"),
        "completion_rate": ("completion rate", "completion pct", "graduation rate"),
        "modality": ("modality", "delivery", "delivery mode", "format", "mode"),
    },
    "placements": {
        "participant_id": (
            "participant id", "participant", "trainee id", "student id", "learner id",
            "person id", "participant pseudonym", "pseudonym",
        ),
        "provider": ("provider", "training provider", "institution", "school", "college"),
        "program": ("program", "program name", "training program", "course"),
        "cohort": ("cohort", "cohort id", "cohort name", "class", "term", "start term"),
        "completed_on": (
            "completed on", "completion date", "date completed", "completed", "graduation date",
            "graduated on", "program end date",
        ),
        "employer": ("employer", "employer name", "hired by", "company", "hiring employer"),
        "soc_code": ("soc code", "soc", "soc 2018", "onet soc code", "onet code", "occupation code"),
        "hired_on": (
            "hired on", "hire date", "date hired", "hired", "job start date", "employment start",
            "employment start date", "start date",
        ),
        "hourly_wage": (
            "hourly wage", "wage", "hourly rate", "pay rate", "starting wage", "starting hourly wage",
        ),
        "separated_on": (
            "separated on", "separation date", "date separated", "termination date",
            "end of employment", "employment end date", "left on", "separated",
        ),
    },
}  # fmt: skip


def normalize_header(text: str) -> str:
    """Return a header reduced to lower-case letters and digits ("Req #" -> "reqnumber")."""
    lowered = text.strip().lower().replace("#", " number ").replace("%", " pct ")
    return re.sub(r"[^a-z0-9]", "", lowered)


_SYNONYM_INDEX: dict[str, dict[str, tuple[str, int]]] = {
    kind: {
        normalize_header(name): (field, rank)
        for field, names in fields.items()
        for rank, name in reversed(list(enumerate((field, *names))))
    }
    for kind, fields in SYNONYMS.items()
}


def map_columns(
    columns: Iterable[str],
    kind: str,
    remembered: Mapping[str, str] | None = None,
    synonyms: bool = True,
) -> dict[str, str]:
    """Return {file column: feed field} for the columns that map; a remembered mapping wins over synonyms.

    With synonyms=False only the given mapping is used (a person's confirmed choice, where a
    column left out was left out on purpose).
    """
    _check_kind(kind)
    columns = list(columns)
    fields = set(FEED_FIELDS[kind])
    mapping: dict[str, str] = {}
    for column in columns:
        field = (remembered or {}).get(column)
        if field in fields and field not in mapping.values():
            mapping[column] = field
    if not synonyms:
        return mapping
    # Among the remaining columns, each field goes to its best-ranked synonym, then the leftmost.
    best: dict[str, tuple[int, int, str]] = {}
    for position, column in enumerate(columns):
        if column in mapping:
            continue
        hit = _SYNONYM_INDEX[kind].get(normalize_header(column))
        if hit is None or hit[0] in mapping.values():
            continue
        field, rank = hit
        if field not in best or (rank, position) < best[field][:2]:
            best[field] = (rank, position, column)
    for field, (_, _, column) in best.items():
        mapping[column] = field
    return {c: mapping[c] for c in columns if c in mapping}


def missing_fields(mapping: Mapping[str, str], kind: str) -> list[str]:
    """Return the required fields of a kind that a column mapping leaves unmapped."""
    _check_kind(kind)
    mapped = set(mapping.values())
    missing = []
    for field in FEED_REQUIRED[kind]:
        if field in mapped:
            continue
        if field == "county_fips" and {"county", "state"} <= mapped:
            continue
        missing.append(field)
    return missing


def read_feed(
    path: Path,
    kind: str,
    mapping: Mapping[str, str] | None = None,
    max_bytes: int = 200 * 1024 * 1024,
    require_columns: bool = True,
    synonyms: bool = True,
) -> pl.DataFrame:
    """Return a feed file (CSV, XLSX or JSON) as a frame of text columns under the file's own headers.

    With require_columns, a file whose columns (through `mapping`, else synonyms) lack a
    required field of `kind` raises FeedError, as does a file that cannot be read or is too big.
    """
    _check_kind(kind)
    path = Path(path)
    if not path.is_file():
        raise FeedError(f"{path}: no such file")
    size = path.stat().st_size
    if size > max_bytes:
        raise FeedError(
            f"{path.name}: file is {size / 2**20:.1f} MB, more than the {max_bytes / 2**20:.0f} MB limit; "
            "split it into smaller files"
        )
    with path.open("rb") as handle:
        head = handle.read(8)
    suffix = path.suffix.lower()
    if suffix == ".xls" or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FeedError(
            f"{path.name}: old Excel (.xls) workbooks are not read; save it as .xlsx or CSV"
        )
    if suffix in XLSX_SUFFIXES or (suffix not in CSV_SUFFIXES | JSON_SUFFIXES and _is_zip(head)):
        frame = _read_xlsx(path, kind, max_bytes, mapping)
    elif suffix in JSON_SUFFIXES or (
        suffix not in CSV_SUFFIXES and head.lstrip()[:1] in (b"[", b"{")
    ):
        frame = _read_json(path)
    else:
        if _is_zip(head):
            raise FeedError(
                f"{path.name}: this is a zip archive (an Excel workbook?), not CSV; "
                "save it as CSV or upload it with the .xlsx extension"
            )
        frame = _read_csv(path, kind, mapping)
    if require_columns:
        check_columns(frame, kind, mapping, path.name, synonyms=synonyms)
    return frame


def check_columns(
    frame: pl.DataFrame,
    kind: str,
    mapping: Mapping[str, str] | None = None,
    name: str = "feed",
    synonyms: bool = True,
) -> dict[str, str]:
    """Return the column mapping of a feed frame, or raise FeedError naming the required fields it lacks."""
    used = map_columns(frame.columns, kind, mapping, synonyms=synonyms)
    missing = missing_fields(used, kind)
    if missing:
        raise FeedError(_missing_message(name, kind, missing, frame.columns))
    return used


def _check_kind(kind: str) -> None:
    if kind not in FEED_FIELDS:
        raise FeedError(f"unknown feed kind '{kind}'; choose from {', '.join(KINDS)}")


def _is_zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06")


def _missing_message(name: str, kind: str, missing: list[str], columns: list[str]) -> str:
    def hint(field: str) -> str:
        examples = SYNONYMS[kind][field][:2]
        alternative = " (or county + state)" if field == "county_fips" else ""
        return f"{field}{alternative} (e.g. {' or '.join(repr(e.title()) for e in examples)})"

    found = ", ".join(repr(c) for c in columns[:12]) + (" ..." if len(columns) > 12 else "")
    return (
        f"{name}: missing required column(s) {'; '.join(hint(f) for f in missing)} "
        f"for a {kind} feed; the file has {found or 'no columns'}. Rename the column(s) or map them."
    )


# --- CSV ------------------------------------------------------------------------------------


def _read_csv(path: Path, kind: str, mapping: Mapping[str, str] | None) -> pl.DataFrame:
    raw = path.read_bytes()
    data, text_head = _as_utf8(raw, path.name)
    if not data or data.isspace():
        raise FeedError(f"{path.name}: the file is empty")
    lines = _sample_lines(text_head)
    delimiter = _sniff_delimiter(lines)
    skip = _csv_header_row(lines, delimiter, kind, mapping)
    try:
        frame = pl.read_csv(
            io.BytesIO(data),
            separator=delimiter,
            infer_schema=False,
            skip_rows=skip,
            has_header=True,
            quote_char='"',
            raise_if_empty=True,
        )
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        raise FeedError(
            f"{path.name}: not a readable CSV file ({_csv_problem(data, delimiter, skip, exc)})"
        ) from exc
    return _clean_headers(frame)


def _csv_problem(data: bytes, delimiter: str, skip: int, exc: Exception) -> str:
    """Return which line breaks the CSV (more fields than the header, an open quote), if found."""
    text = data.decode("utf-8", errors="replace")
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
        width = None
        for row in reader:
            if reader.line_num <= skip:
                continue
            if width is None:
                width = len(row)
            elif len(row) > width:
                return (
                    f"line {reader.line_num} has {len(row)} fields, the header {width}; "
                    "quote values that contain the delimiter"
                )
    except csv.Error as error:
        return f"{error}; check that quotes are closed"
    return _first_line(exc)


def _as_utf8(raw: bytes, name: str) -> tuple[bytes, str]:
    """Return the file as UTF-8 bytes (no BOM) and its first 64 kB decoded, whatever the encoding."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _reencode(raw, "utf-16", name)
    elif len(raw) >= 4 and raw[1] == 0 and raw[3] == 0 and raw[0] != 0:
        return _reencode(raw, "utf-16-le", name)
    elif len(raw) >= 4 and raw[0] == 0 and raw[2] == 0 and raw[1] != 0:
        return _reencode(raw, "utf-16-be", name)
    if b"\x00" in raw[:65536]:
        raise FeedError(f"{name}: this is not a text file; send CSV, XLSX or JSON")
    if raw.isascii():  # most feeds: already UTF-8, and only the head needs decoding
        return raw, raw[:65536].decode("ascii")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # Windows-1252 is what Excel on Windows writes for "CSV"; bytes it leaves undefined are
        # read as Latin-1 so that no file is refused for one odd character.
        text = raw.decode("cp1252", errors="strict") if _is_cp1252(raw) else raw.decode("latin-1")
        return text.encode("utf-8"), text[:65536]
    return raw, text[:65536]


def _is_cp1252(raw: bytes) -> bool:
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _reencode(raw: bytes, encoding: str, name: str) -> tuple[bytes, str]:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FeedError(
            f"{name}: looks like UTF-16 text but cannot be decoded ({exc.reason} at byte {exc.start}); "
            "save it again as CSV UTF-8"
        ) from exc
    text = text.removeprefix("\ufeff")
    return text.encode("utf-8"), text[:65536]


def _sample_lines(text: str) -> list[str]:
    lines = text.splitlines()
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may end mid-line
    return lines[:60]


def _sniff_delimiter(lines: list[str]) -> str:
    """Return the delimiter (comma, semicolon or tab) that splits the sample most consistently."""
    best, best_score = ",", (0.0, 0)
    for delimiter in (",", ";", "\t"):
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        counts = [len(r) for r in rows if any(cell.strip() for cell in r)]
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        if common < 2:
            continue
        score = (counts.count(common) / len(counts), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_header_row(
    lines: list[str], delimiter: str, kind: str, mapping: Mapping[str, str] | None
) -> int:
    """Return how many lines sit above the header (title lines some exports put first)."""
    try:
        rows = list(csv.reader(lines[:HEADER_SEARCH_ROWS], delimiter=delimiter))
    except csv.Error:
        return 0
    return _header_index([[c or None for c in row] for row in rows], kind, mapping)


def _header_index(
    rows: list[list[str | None]], kind: str, mapping: Mapping[str, str] | None = None
) -> int:
    """Return the index of the first row that names at least two fields of the kind (else 0)."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [str(c).strip() for c in row if c is not None and str(c).strip()]
        if len(cells) >= 2 and len(map_columns(cells, kind, mapping)) >= 2:
            return index
    return 0


def _clean_headers(frame: pl.DataFrame) -> pl.DataFrame:
    frame.columns = _unique_names(frame.columns)
    return frame


def _unique_names(names: list[str]) -> list[str]:
    """Return headers stripped, blank ones named column_N, repeats suffixed _2, _3, ..."""
    unique: list[str] = []
    for position, name in enumerate(names):
        clean = (name or "").replace("\ufeff", "").strip() or f"column_{position + 1}"
        base, n = clean, 2
        while clean in unique:
            clean, n = f"{base}_{n}", n + 1
        unique.append(clean)
    return unique


def read_titles(data: bytes, name: str = "input") -> list[str]:
    """Return the job titles in a text input: one per line, or a CSV with a title column."""
    if _is_zip(data[:8]):
        raise FeedError(f"{name}: give titles as text (one per line) or CSV, not a workbook")
    utf8, head = _as_utf8(data, name)
    lines = _sample_lines(head)
    if not lines:
        return []
    delimiter = _sniff_delimiter(lines)
    header = next(csv.reader(lines[:1], delimiter=delimiter), [])
    mapped = map_columns(header, "vacancies")
    title_columns = [c for c, f in mapped.items() if f == "title"]
    if len(header) > 1 and title_columns:
        frame = pl.read_csv(io.BytesIO(utf8), separator=delimiter, infer_schema=False)
        column = frame[frame.columns[header.index(title_columns[0])]]
        titles = column.str.strip_chars().to_list()
    else:
        titles = [line.strip() for line in utf8.decode("utf-8").splitlines()]
        if titles and map_columns(titles[:1], "vacancies").get(titles[0]) == "title":
            titles = titles[1:]
    return [t for t in titles if t]


# --- XLSX -----------------------------------------------------------------------------------


def check_xlsx_archive(path: Path, max_bytes: int) -> None:
    """Raise FeedError unless the workbook's zip directory and contents stay within max_bytes."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise FeedError(
            f"{path.name}: not an XLSX workbook (not a readable zip archive); save it as .xlsx or CSV"
        ) from exc
    with archive:
        entries = archive.infolist()
        declared = sum(e.file_size for e in entries)
        if declared > max_bytes:
            raise FeedError(
                f"{path.name}: workbook would inflate to {declared / 2**20:.0f} MB, more than the "
                f"{max_bytes / 2**20:.0f} MB limit; refused (split it or send CSV)"
            )
        for entry in entries:
            if entry.file_size > RATIO_FLOOR_BYTES and (
                entry.compress_size == 0 or entry.file_size / entry.compress_size > MAX_XLSX_RATIO
            ):
                raise FeedError(
                    f"{path.name}: part {entry.filename} is compressed {entry.file_size // max(entry.compress_size, 1)}:1, "
                    "far beyond any real workbook (a zip bomb?); refused"
                )
        # Declared sizes can lie: inflate each part with a running count, never past the limit.
        total = 0
        try:
            for entry in entries:
                with archive.open(entry) as part:
                    while block := part.read(1 << 20):
                        total += len(block)
                        if total > max_bytes:
                            raise FeedError(
                                f"{path.name}: workbook inflates past the {max_bytes / 2**20:.0f} MB "
                                "limit; refused (split it or send CSV)"
                            )
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
            raise FeedError(f"{path.name}: the workbook archive is corrupt ({exc})") from exc
        names = {e.filename for e in entries}
        if "xl/workbook.xml" not in names:
            raise FeedError(
                f"{path.name}: a zip archive but not an Excel workbook (no xl/workbook.xml); "
                "save it as .xlsx or CSV"
            )


def _read_xlsx(
    path: Path, kind: str, max_bytes: int, mapping: Mapping[str, str] | None
) -> pl.DataFrame:
    check_xlsx_archive(path, max_bytes)
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(path))
        sheets = list(reader.sheet_names)
    except Exception as exc:  # calamine raises its own error types; say what it said
        raise FeedError(f"{path.name}: cannot read the workbook ({_first_line(exc)})") from exc
    fallback: pl.DataFrame | None = None
    for index in range(len(sheets)):
        try:
            grid = reader.load_sheet(index, header_row=None, dtypes="string").to_polars()
        except Exception as exc:
            raise FeedError(
                f"{path.name}: cannot read sheet '{sheets[index]}' ({_first_line(exc)})"
            ) from exc
        grid = grid.select([c for c in grid.columns if grid[c].null_count() < grid.height])
        if grid.height == 0:
            continue
        head = [list(row) for row in grid.head(HEADER_SEARCH_ROWS).iter_rows()]
        top = _header_index(head, kind, mapping)
        frame = _grid_to_frame(grid, top)
        if len(map_columns(frame.columns, kind, mapping)) >= 2:
            return frame
        fallback = fallback if fallback is not None else frame
    if fallback is None:
        raise FeedError(f"{path.name}: the workbook has no rows")
    return fallback


def _grid_to_frame(grid: pl.DataFrame, header_index: int) -> pl.DataFrame:
    header = ["" if v is None else str(v) for v in grid.row(header_index)]
    frame = grid.slice(header_index + 1)
    frame.columns = _unique_names(header)
    # Trailing formatted-but-empty rows are not data.
    filled = frame.select(
        pl.any_horizontal(pl.all().str.strip_chars().fill_null("") != "").alias("filled")
    ).to_series()
    last = filled.arg_true().max()
    return frame.head(0 if last is None else int(str(last)) + 1)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# --- JSON -----------------------------------------------------------------------------------


def _read_json(path: Path) -> pl.DataFrame:
    raw = path.read_bytes()
    try:
        data: Any = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FeedError(f"{path.name}: JSON must be UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise FeedError(
            f"{path.name}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from exc
    if isinstance(data, dict):
        arrays = [(k, v) for k, v in data.items() if isinstance(v, list)]
        if len(arrays) != 1:
            raise FeedError(
                f"{path.name}: a JSON object must hold exactly one array of records "
                f"(found {len(arrays)}); send an array of objects or an object with one array"
            )
        data = arrays[0][1]
    if not isinstance(data, list):
        raise FeedError(f"{path.name}: JSON must be an array of objects, or an object holding one")
    columns: dict[str, list[str | None]] = {}
    for number, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            raise FeedError(f"{path.name}: item {number} of the JSON array is not an object")
        for key in record:
            if key not in columns:
                columns[key] = [None] * (number - 1)
        for key, values in columns.items():
            values.append(_json_text(record.get(key)))
    if not columns:
        raise FeedError(f"{path.name}: the JSON array holds no records")
    frame = pl.DataFrame(columns, schema={k: pl.String for k in columns})
    return _clean_headers(frame)


def _json_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)
