"""One function per thing a person does with Gapboard; used by the command line and the pages."""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

import settings
from analytics import access, projections, regions
from analytics.access import LOCAL_CONVENER, SHARED_SCREEN, Viewer
from analytics.schemas import DemandSchema, Region
from connectors import catalog, snapshots
from connectors.errors import SourceError, UserError
from connectors.regions import read_regions

# --- reference data -----------------------------------------------------------------------------


def reference_dir() -> Path:
    """Return the folder of the reference snapshot in use."""
    return settings.REFERENCE_DIR


def read_reference(name: str) -> pl.DataFrame:
    """Return one reference dataset from the snapshot."""
    return snapshots.read_dataset(reference_dir(), name)


def refresh(
    source_dir: Path | None = None,
    only: Iterable[str] | None = None,
    target_dir: Path | None = None,
    progress: bool = True,
) -> pl.DataFrame:
    """Parse publisher files (from a folder, or downloaded) into a new snapshot; return one row per dataset.

    A dataset whose file is missing, corrupt or unexpected keeps its last good snapshot, and its row
    says why; the others are replaced atomically.
    """
    target = target_dir or reference_dir()
    wanted = list(only) if only else [d.name for d in catalog.DATASETS]
    unknown = [n for n in wanted if n not in catalog.DATASETS_BY_NAME]
    if unknown:
        raise UserError(
            f"unknown dataset {', '.join(unknown)}; choose from {', '.join(catalog.DATASETS_BY_NAME)}"
        )
    datasets = [catalog.DATASETS_BY_NAME[n] for n in wanted]
    old = snapshots.read_manifest(target)["datasets"]
    with tempfile.TemporaryDirectory(prefix="gapboard-refresh-") as tmp:
        if source_dir is None:
            root, fetched = Path(tmp), _download_sources(datasets, Path(tmp), progress)
        else:
            if not source_dir.is_dir():
                raise UserError(f"{source_dir}: no such folder of publisher files")
            root, fetched = source_dir, {d.name: "" for d in datasets}
        frames: dict[str, pl.DataFrame] = {}
        entries: dict[str, dict[str, Any]] = {}
        status: dict[str, str] = {}
        for dataset in _progress(datasets, progress, "parsing"):
            if dataset.name in fetched and fetched[dataset.name]:
                status[dataset.name] = fetched[dataset.name]
                continue
            if dataset.name not in fetched:
                status[dataset.name] = "skipped: no publisher download in this format; use --from"
                continue
            try:
                frame = dataset.parse(root, downloaded=source_dir is None)
            except (SourceError, OSError, ValueError) as exc:
                status[dataset.name] = f"failed, kept last good: {exc}"
                continue
            if frame.height == 0:
                status[dataset.name] = "failed, kept last good: parsed no rows"
                continue
            frames[dataset.name] = frame
            entries[dataset.name] = _manifest_entry(dataset, root, source_dir is None)
            status[dataset.name] = "updated"
        manifest = (
            snapshots.write_snapshot(target, frames, entries) if frames else {"datasets": old}
        )
    rows = []
    for dataset in datasets:
        entry = manifest["datasets"].get(dataset.name, {})
        rows.append(
            {
                "source": dataset.name,
                "vintage": entry.get("vintage", dataset.vintage),
                "rows": entry.get("rows"),
                "status": status[dataset.name],
            }
        )
    return pl.DataFrame(
        rows,
        schema={"source": pl.String, "vintage": pl.String, "rows": pl.Int64, "status": pl.String},
    )


def _manifest_entry(dataset: catalog.Dataset, root: Path, downloaded: bool) -> dict[str, Any]:
    files = {}
    for rel in dataset.files:
        path = root / rel
        if path.exists():
            files[rel] = snapshots.sha256_file(path)
    return {
        "title": dataset.title,
        "publisher": dataset.publisher,
        "source_url": dataset.source_url,
        "vintage": dataset.vintage,
        "license": dataset.license,
        "source_files": files,
        "retrieved": "downloaded from the publisher"
        if downloaded
        else "from the publisher files shipped in data/sources (see data/sources/SOURCES.md)",
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _download_sources(
    datasets: list[catalog.Dataset], root: Path, progress: bool
) -> dict[str, str]:
    """Download each dataset's publisher files into root; return name -> "" (ok) or a failure reason."""
    from connectors import http

    session = http.build_session(settings.contact_email())
    zips: dict[str, Path] = {}
    outcome: dict[str, str] = {}
    for dataset in datasets:
        if not dataset.downloads:
            continue
        try:
            for download in dataset.downloads:
                dest = root / download.dest
                dest.parent.mkdir(parents=True, exist_ok=True)
                if download.member is None:
                    http.fetch_file(
                        session, download.url, dest, label=dataset.name, progress=progress
                    )
                    continue
                if download.url not in zips:
                    archive = root / ".zips" / Path(download.url).name
                    archive.parent.mkdir(parents=True, exist_ok=True)
                    http.fetch_file(
                        session, download.url, archive, label=dataset.name, progress=progress
                    )
                    zips[download.url] = archive
                with zipfile.ZipFile(zips[download.url]) as zf, zf.open(download.member) as src:
                    with dest.open("wb") as out:
                        shutil.copyfileobj(src, out)
            outcome[dataset.name] = ""
        except (SourceError, OSError, KeyError, zipfile.BadZipFile) as exc:
            outcome[dataset.name] = f"failed, kept last good: {exc}"
    return outcome


def _progress(items: list[Any], enabled: bool, label: str) -> Iterable[Any]:
    if not enabled or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc=label, unit="dataset", file=sys.stderr)


def snapshot_freshness(now: datetime | None = None) -> str:
    """Return a sentence saying when the reference snapshot was last refreshed, and how long ago."""
    manifest = snapshots.read_manifest(reference_dir())
    stamps = [e.get("built_at") for e in manifest["datasets"].values() if e.get("built_at")]
    written = manifest.get("written_at") or max(stamps, default=None)
    if not written:
        return "The reference snapshot does not record when it was built."
    when = datetime.fromisoformat(written)
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    days = max(((now or datetime.now(UTC)) - when).days, 0)
    ago = "today" if days == 0 else "1 day ago" if days == 1 else f"{days:,} days ago"
    return f"Reference snapshot last refreshed {when.date().isoformat()} ({ago})."


# The datasets most pages stand on, as the sidebar names them (label, dataset).
_HEADLINE_DATASETS = (
    ("BLS projections", "ep_occupations"),
    ("OEWS", "oews"),
    ("O*NET", "onet_occupations"),
    ("IPEDS", "ipeds_completions"),
)


def vintage_summary() -> str:
    """Return the headline datasets' vintages in one line, from the snapshot's manifest.

    E.g. "BLS projections 2024–34 · OEWS May 2025 · O*NET 27.0 · IPEDS C2020–C2024": each
    publisher vintage up to its first parenthesis or comma, without the words the label repeats.
    """
    manifest = snapshots.read_manifest(reference_dir())["datasets"]
    parts = []
    for label, name in _HEADLINE_DATASETS:
        vintage = str(manifest.get(name, {}).get("vintage") or "").strip()
        if not vintage:
            continue
        vintage = re.split(r"\s*[(,]", vintage, maxsplit=1)[0]
        vintage = re.sub(r"\b(projections|estimates|O\*NET)\b", "", vintage).strip()
        parts.append(f"{label} {vintage}")
    return " · ".join(parts) or "no reference datasets in the snapshot"


def sources() -> pl.DataFrame:
    """Return one row per dataset in the snapshot: title, publisher, vintage, license, rows, built."""
    manifest = snapshots.read_manifest(reference_dir())["datasets"]
    rows = [
        {
            "dataset": name,
            "title": entry.get("title", name),
            "publisher": entry.get("publisher", ""),
            "vintage": entry.get("vintage", ""),
            "license": entry.get("license", ""),
            "rows": entry.get("rows"),
            "built_at": entry.get("built_at", ""),
            "source_url": entry.get("source_url", ""),
        }
        for name, entry in manifest.items()
    ]
    return pl.DataFrame(rows)


# --- regions and demand -------------------------------------------------------------------------


def list_regions() -> list[Region]:
    """Return the configured regions."""
    return read_regions(settings.REGIONS_FILE)


def get_region(region_id: str) -> Region:
    """Return one region by id, or raise UserError naming the ids that exist."""
    known = list_regions()
    for region in known:
        if region.region_id == region_id:
            return region
    raise UserError(
        f"unknown region '{region_id}'; regions are: {', '.join(r.region_id for r in known)}"
    )


@dataclass(frozen=True)
class RegionDemand:
    """Demand for a region, with the OEWS areas it was built from and a sentence on coverage."""

    region: Region
    demand: pl.DataFrame
    areas: pl.DataFrame
    coverage_note: str


def region_counties(region_id: str) -> list[str]:
    """Return the county FIPS codes that make up a region."""
    return regions.compute_region_counties(get_region(region_id), read_reference("counties"))


def region_areas(region: Region) -> pl.DataFrame:
    """Return the OEWS areas that cover a region."""
    return regions.compute_region_areas(
        region, read_reference("counties"), read_reference("oews_areas")
    )


def demand(region_id: str, soc_codes: Iterable[str] | None = None) -> RegionDemand:
    """Return regional projections and annual openings, optionally for some SOC codes only."""
    region = get_region(region_id)
    ep = read_reference("ep_occupations")
    areas = region_areas(region)
    base = projections.compute_region_base(read_reference("oews"), areas)
    frame = projections.compute_demand(region.region_id, base, ep)
    wanted = [s.strip() for s in soc_codes or [] if s.strip()]
    if wanted:
        bad = [s for s in wanted if s not in set(frame["soc_code"].to_list())]
        if bad:
            known = ep.filter(pl.col("occupation_type") == "Line item")
            hints = []
            for code in bad:
                near = known.filter(pl.col("ep_code").str.starts_with(code[:4]))["ep_code"].head(6)
                hints.append(
                    f"'{code}' is not a detailed occupation with data for {region.name}"
                    + (f" (nearby codes: {', '.join(near.to_list())})" if near.len() else "")
                )
            raise UserError("; ".join(hints))
        frame = frame.filter(pl.col("soc_code").is_in(wanted))
    return RegionDemand(
        region, DemandSchema.validate(frame), areas, regions.describe_coverage(areas)
    )


def attributions() -> tuple[str, ...]:
    """Return the attribution statements the licenses of the shipped data require."""
    from connectors.onet import ONET_ATTRIBUTION
    from connectors.postings import INDEED_ATTRIBUTION

    return (ONET_ATTRIBUTION, INDEED_ATTRIBUTION)


def source_line(names: Iterable[str], extra: str = "", short: bool = False) -> str:
    """Return a "Source: ..." line naming each dataset (short: a citation fit for under a chart)."""
    manifest = snapshots.read_manifest(reference_dir())["datasets"]
    parts: list[str] = []
    for name in names:
        entry = manifest.get(name)
        if entry is None:
            continue
        part = (
            catalog.citation(name)
            if short
            else f"{entry['publisher']}, {entry['title']} ({entry['vintage']})"
        )
        if part not in parts:
            parts.append(part)
    text = "Source: " + "; ".join(parts) + "."
    if extra:
        text += " " + extra
    return text


# --- member data --------------------------------------------------------------------------------

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from analytics.intake import IntakeResult
    from analytics.schemas import IngestSummary

FEED_KINDS = ("vacancies", "programs", "placements")
SAMPLES_MANIFEST = "manifest.json"
# Files at least this long get a progress bar on an interactive terminal.
PROGRESS_MIN_ROWS = 50_000


def open_warehouse() -> Engine:
    """Return the engine of the configured warehouse, its schema created or migrated."""
    from connectors import warehouse

    return warehouse.open_warehouse(settings.warehouse_url())


def ingest_feed(
    kind: str,
    path: Path,
    member: str | None = None,
    uploaded_by: str | None = None,
    mapping: dict[str, str] | None = None,
    progress: bool = False,
    is_sample: bool = False,
    viewer: Viewer = LOCAL_CONVENER,
) -> IngestSummary:
    """Read, validate, code and store one member feed file in one transaction; return its IngestSummary.

    `viewer` is who uploads: an employer or provider stores only under its own organization (and
    only the kinds its role uploads); a convener (the command line's local user) under any member.

    Rows that break a rule are set aside in `rejects` with their reason. A file that cannot be
    read, lacks a required column or is too big raises FeedError and stores nothing. A `mapping`
    ({file column: feed field}) given here is a person's confirmed choice and is used as it is;
    without one, the member's remembered mapping is completed by header synonyms. Either way the
    mapping used is remembered for the member's next feed of this kind.
    """
    from concurrent.futures import ThreadPoolExecutor

    from connectors import feeds

    member = _feed_member(kind, _upload_member(viewer, kind, member))
    path, mapping = Path(path), mapping or None
    started = datetime.now(UTC).replace(tzinfo=None)
    # Importing SQLAlchemy and opening the warehouse, reading the remembered mapping, loading the
    # title index and hashing the file overlap with reading it (Polars reads without the GIL).
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(_remembered_mapping, kind, member)
        pool.submit(_prepare_coding, kind)
        digest = pool.submit(snapshots.sha256_file, path)
        try:
            raw = feeds.read_feed(
                path, kind, mapping, max_bytes=settings.max_upload_bytes(), require_columns=False
            )
        except BaseException:
            digest.cancel()  # an unreadable or oversized file is not hashed
            raise
        # While SQLAlchemy loads and the member's remembered mapping is read, the rows are
        # validated with the mapping the headers give; kept if the remembered one is the same.
        validated = None if mapping else _validate_by_headers(kind, raw, path.name)
        from connectors import warehouse  # imported by now, or being imported by the pool

        with warehouse.reporting_failures(settings.warehouse_url()):
            remembered = mapping or pending.result()
        if remembered and not set(remembered) <= set(raw.columns):
            # Headers known only from this member's mapping may sit under title rows.
            raw = feeds.read_feed(
                path, kind, remembered, max_bytes=settings.max_upload_bytes(), require_columns=False
            )
            validated = None
        # Coding starts while the pool may still load the title index and hash the file.
        return ingest_frame(
            kind,
            raw,
            path.name,
            sha256=digest,
            member=member,
            uploaded_by=uploaded_by,
            mapping=mapping,
            progress=progress,
            is_sample=is_sample,
            started_at=started,
            viewer=viewer,
            validated=validated,
        )


def _validate_by_headers(
    kind: str, raw: pl.DataFrame, name: str
) -> tuple[dict[str, str], IntakeResult] | None:
    """Return (the mapping the headers' synonyms give, the rows validated with it), or None."""
    from connectors import feeds
    from connectors.errors import FeedError

    try:
        used = feeds.check_columns(raw, kind, None, name)
    except FeedError:  # a remembered mapping may still name the missing columns
        return None
    return used, _validate(kind, raw, used)


def ingest_frame(
    kind: str,
    raw: pl.DataFrame,
    source_name: str,
    sha256: str | Future[str] | None = None,
    member: str | None = None,
    uploaded_by: str | None = None,
    mapping: dict[str, str] | None = None,
    progress: bool = False,
    is_sample: bool = False,
    started_at: datetime | None = None,
    viewer: Viewer = LOCAL_CONVENER,
    validated: tuple[dict[str, str], IntakeResult] | None = None,
) -> IngestSummary:
    """Validate, code and store a feed already read as text columns (e.g. a job board's postings).

    Same rules, mapping and single transaction as ingest_feed; `source_name` is recorded as the
    file name and `sha256` (default: of the frame as CSV; or a Future of it, computed meanwhile)
    identifies the content. `validated` is (a mapping, the rows validated with it), made
    meanwhile: used if the mapping decided here is that one, else the rows are validated again.
    """
    from connectors import warehouse

    member = _feed_member(kind, _upload_member(viewer, kind, member))
    engine = open_warehouse()
    with warehouse.reporting_failures(settings.warehouse_url()), _collector_paused(raw.height):
        return _ingest_frame(
            kind, raw, source_name, sha256, member, uploaded_by, mapping, progress, is_sample,
            started_at, engine, viewer, validated,
        )  # fmt: skip


def _ingest_frame(
    kind: str,
    raw: pl.DataFrame,
    source_name: str,
    sha256: str | Future[str] | None,
    member: str | None,
    uploaded_by: str | None,
    mapping: dict[str, str] | None,
    progress: bool,
    is_sample: bool,
    started_at: datetime | None,
    engine: Engine,
    viewer: Viewer,
    validated: tuple[dict[str, str], IntakeResult] | None = None,
) -> IngestSummary:
    import hashlib

    from analytics import intake
    from analytics.schemas import IngestSummary
    from connectors import feeds, warehouse

    started = started_at or datetime.now(UTC).replace(tzinfo=None)
    confirmed = mapping is not None
    if mapping is None and member:
        mapping = warehouse.read_column_mapping(engine, member, kind)
    used = feeds.check_columns(raw, kind, mapping, source_name, synonyms=not confirmed)
    result = validated[1] if validated and validated[0] == used else _validate(kind, raw, used)
    rows = result.accepted
    if kind in ("programs", "placements"):
        try:
            access.check_feed_organizations(viewer, kind, rows["provider"].unique().to_list())
        except access.AccessError as exc:
            raise UserError(f"{source_name}: nothing was stored: {exc}") from exc
    if kind == "vacancies":
        uncoded = rows.filter(pl.col("soc_code").is_null())["title"].unique()
        rows = intake.apply_title_codes(rows, code_titles(uncoded, engine=engine))
    elif kind == "programs":
        rows = intake.build_program_soc_codes(rows, read_reference("cip_soc"))
    record = warehouse.IngestRecord(
        kind=kind,
        file_name=source_name,
        sha256=(sha256.result() if isinstance(sha256, Future) else sha256)
        or hashlib.sha256(raw.write_csv().encode("utf-8")).hexdigest(),
        rows_read=raw.height,
        member=member,
        uploaded_by=uploaded_by or (None if viewer.local else viewer.user_id),
        is_sample=is_sample,
        started_at=started,
    )
    with _row_progress(rows.height, progress, f"storing {source_name}") as tick:
        counts = warehouse.write_ingest(
            engine,
            record,
            rows.drop("row_number"),
            result.rejected,
            mapping=used if member else None,
            progress=tick,
        )
    return IngestSummary(
        ingest_id=counts.ingest_id,
        kind=kind,
        member=member,
        file_name=source_name,
        sha256=record.sha256,
        rows_read=raw.height,
        accepted=counts.accepted,
        rejected=counts.rejected,
        updated=counts.updated,
        needs_review=int(rows["soc_needs_review"].sum()) if kind == "vacancies" else 0,
        reasons=result.reasons,
        mapping=used,
    )


def _validate(kind: str, raw: pl.DataFrame, used: dict[str, str]) -> IntakeResult:
    """Return the accepted and set-aside rows of a feed read with the column mapping `used`."""
    from analytics import intake

    if kind == "placements":
        return intake.validate_placements(raw, used)
    counties = read_reference("counties")
    if kind == "vacancies":
        return intake.validate_vacancies(raw, used, counties)
    cip = read_reference("cip_titles").filter(pl.col("digits") == 6)["cip_code"]
    return intake.validate_programs(raw, used, counties, cip)


QUIET_GC_ROWS = 50_000


@contextmanager
def _collector_paused(rows: int) -> Iterator[None]:
    """Pause Python's cycle collector while a large frame is validated, coded and stored.

    Storing creates a Python object per cell, freed by reference counting; the collector would
    otherwise walk every live object many times over for no garbage. Objects alive before are
    frozen out of its view meanwhile; both are restored afterwards.
    """
    import gc

    if rows < QUIET_GC_ROWS or not gc.isenabled():
        yield
        return
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


def _prepare_coding(kind: str) -> None:
    """Load what validating and coding a feed of `kind` uses, so that it is ready when the rows are."""
    from analytics import intake  # noqa: F401

    if kind == "vacancies":
        title_index()


def _remembered_mapping(kind: str, member: str | None) -> dict[str, str]:
    from connectors import warehouse

    engine = open_warehouse()
    return warehouse.read_column_mapping(engine, member, kind) if member else {}


def _upload_member(viewer: Viewer, kind: str, member: str | None) -> str | None:
    if kind not in FEED_KINDS:
        raise UserError(f"unknown feed kind '{kind}'; choose from {', '.join(FEED_KINDS)}")
    try:
        return access.upload_member(viewer, kind, member)
    except access.AccessError as exc:
        raise UserError(str(exc)) from exc


def _require_manager(viewer: Viewer, what: str) -> None:
    if not access.can_manage(viewer):
        raise UserError(f"only a convener can {what}; ask your convener")


def _feed_member(kind: str, member: str | None) -> str | None:
    if kind not in FEED_KINDS:
        raise UserError(f"unknown feed kind '{kind}'; choose from {', '.join(FEED_KINDS)}")
    name = (member or "").strip() or None
    if kind == "vacancies" and name is None:
        raise UserError("a vacancy feed belongs to a member employer: give --member NAME")
    return name


class _Ticker:
    def __init__(self, bar: Any) -> None:
        self.bar = bar

    def __enter__(self) -> Any:
        return self.bar.update if self.bar is not None else None

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


def _row_progress(rows: int, enabled: bool, label: str) -> _Ticker:
    if not enabled or rows < PROGRESS_MIN_ROWS or not sys.stderr.isatty():
        return _Ticker(None)
    from tqdm import tqdm

    return _Ticker(tqdm(total=rows, desc=label, unit="row", unit_scale=True, file=sys.stderr))


_TITLE_INDEX: dict[str, Any] = {}


def title_index() -> Any:
    """Return the title-coding index over the snapshot's O*NET titles (built once per snapshot).

    Building it takes seconds; a copy is kept in the user's cache folder
    (GAPBOARD_CACHE_DIR, else XDG_CACHE_HOME/gapboard) under a key made of the snapshot id and
    the coding code itself, so a new snapshot or a change to analytics/titles.py rebuilds it.
    """
    import hashlib
    import os
    import pickle

    from analytics import titles

    code = hashlib.sha256(Path(titles.__file__).read_bytes()).hexdigest()[:12]
    key = f"{snapshots.snapshot_id(reference_dir())}-{code}"
    if key in _TITLE_INDEX:
        return _TITLE_INDEX[key]
    base = os.environ.get("GAPBOARD_CACHE_DIR") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "gapboard"
    )
    path = Path(base) / f"title-index-{key}.pickle"
    index = None
    try:
        with path.open("rb") as handle:
            index = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        index = None
    if not isinstance(index, titles.TitleIndex):
        index = titles.build_title_index(read_reference("onet_titles"))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as out:
                pickle.dump(index, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(out.name, path)
        except OSError:
            pass  # a read-only home folder only costs the rebuild next time
    _TITLE_INDEX.clear()
    _TITLE_INDEX[key] = index
    return index


def code_titles(
    job_titles: Iterable[str] | pl.Series, engine: Engine | None = None
) -> pl.DataFrame:
    """Return SOC codes for job titles (title, soc_code, soc_title, onet_code, confidence, needs_review, method).

    Corrections accepted into the warehouse (`title_overrides`) win over matching.
    """
    from analytics import titles
    from connectors import warehouse

    series = (
        pl.Series("title", list(job_titles), dtype=pl.String)
        .drop_nulls()
        .unique(maintain_order=True)
    )
    overrides = warehouse.read_title_overrides(engine if engine is not None else open_warehouse())
    # analytics.titles normalizes the corrected titles itself and reads them as normalized_title.
    overrides = overrides.with_columns(pl.col("title").alias("normalized_title"))
    return titles.code_titles(
        series, title_index(), overrides=overrides if overrides.height else None
    )


def read_title_input(data: bytes, name: str) -> list[str]:
    """Return the job titles in an input: one per line, or a CSV with a `title` column."""
    from connectors import feeds

    return feeds.read_titles(data, name)


def accept_title_code(
    title: str, soc_code: str, accepted_by: str | None = None, viewer: Viewer = LOCAL_CONVENER
) -> None:
    """Remember a person's correction: `title` is coded `soc_code` from now on (conveners only)."""
    from connectors import warehouse

    _require_manager(viewer, "accept title codes for everyone")
    code = soc_code.strip()
    if not (len(code) == 7 and code[2] == "-" and (code[:2] + code[3:]).isdigit()):
        raise UserError(f"'{soc_code}' is not a SOC code (like 29-1141)")
    warehouse.write_title_override(open_warehouse(), title.strip(), code, accepted_by)


def load_samples(
    if_empty: bool = False, progress: bool = False, viewer: Viewer = LOCAL_CONVENER
) -> pl.DataFrame:
    """Load the illustrative sample feeds in data/samples; return one row per file (conveners only).

    With if_empty, nothing is loaded unless the warehouse holds no data at all.
    """
    import json

    from connectors import warehouse

    _require_manager(viewer, "load the sample data")
    manifest_path = settings.SAMPLES_DIR / SAMPLES_MANIFEST
    try:
        entries = json.loads(manifest_path.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError) as exc:
        raise UserError(
            f"{manifest_path}: sample manifest unreadable ({exc}); run `python scripts/make_samples.py`"
        ) from exc
    schema = {
        "file": pl.String,
        "kind": pl.String,
        "member": pl.String,
        "accepted": pl.Int64,
        "rejected": pl.Int64,
        "updated": pl.Int64,
        "status": pl.String,
    }
    if if_empty and not warehouse.is_empty(open_warehouse()):
        rows = [
            {
                "file": e["file"],
                "kind": e["kind"],
                "member": e.get("member"),
                "status": "skipped: warehouse not empty",
            }
            for e in entries
        ]
        return pl.DataFrame(rows, schema=schema)
    rows = []
    for entry in _progress(entries, progress, "samples"):
        summary = ingest_feed(
            entry["kind"],
            settings.SAMPLES_DIR / entry["file"],
            member=entry.get("member"),
            uploaded_by="gapboard samples",
            is_sample=True,
            viewer=viewer,
        )
        rows.append(
            {
                "file": entry["file"],
                "kind": entry["kind"],
                "member": entry.get("member"),
                "accepted": summary.accepted,
                "rejected": summary.rejected,
                "updated": summary.updated,
                "status": "loaded",
            }
        )
    return pl.DataFrame(rows, schema=schema)


def clear_samples(viewer: Viewer = LOCAL_CONVENER) -> dict[str, int]:
    """Remove exactly the rows the sample feeds stored; return how many rows per table (conveners only)."""
    from connectors import warehouse

    _require_manager(viewer, "clear the sample data")
    return warehouse.delete_sample_rows(open_warehouse())


# --- exports ------------------------------------------------------------------------------------
# Charts and decks leave through exports/ (kaleido, python-pptx); imported inside the functions so
# the other commands start without loading a browser driver or python-pptx.

DEMAND_DATASETS = ("ep_occupations", "oews")
# Regional demand also rests on the OEWS area list and the county/CBSA delineation.
DECK_DATASETS = (*DEMAND_DATASETS, "oews_areas", "counties")
OPENINGS_METHOD = (
    "Openings = growth/10 + labor-force exits + occupational transfers (BLS separations method)."
)
HEALTHCARE_MAJOR_GROUPS = ("29", "31")


def export_chart_names() -> list[str]:
    """Return the names `gapboard export chart` accepts."""
    return list(_CHART_BUILDERS)


def export_chart(name: str, region_id: str, out: Path) -> Path:
    """Write one chart of a region to out as a slide-sized PNG or SVG (by suffix); return the path."""
    if name not in _CHART_BUILDERS:
        raise UserError(f"unknown chart '{name}'; charts are: {', '.join(_CHART_BUILDERS)}")
    if out.suffix.lower() not in (".png", ".svg"):
        raise UserError(f"{out}: a chart is written as .png or .svg, not '{out.suffix}'")
    _check_out_dir(out)
    from exports import images

    fig = _CHART_BUILDERS[name](demand(region_id))
    return images.write_image(fig, out)


def build_deck(region_id: str, out: Path) -> Path:
    """Write the meeting deck of a region to out (.pptx) and return the path."""
    if out.suffix.lower() != ".pptx":
        raise UserError(f"{out}: a deck is written as .pptx, not '{out.suffix or 'no suffix'}'")
    _check_out_dir(out)
    from exports import deck

    result = demand(region_id)
    today = datetime.now(UTC).date()
    manifest = snapshots.read_manifest(reference_dir())["datasets"]
    vintages = tuple(
        f"{manifest[n]['publisher']}, {manifest[n]['title']}: {manifest[n]['vintage']}"
        for n in DEMAND_DATASETS
        if n in manifest
    )
    slides = (
        _overview_slide(result),
        _watchlist_slide(result),
        *_gaps_slides(result),
        *_forecast_slides(result),
        *_pathway_slides(result),
        *_outcome_slides(result),
    )
    meeting = deck.Deck(
        title=f"{result.region.name}: where the openings are",
        subtitle="Labor-market demand for healthcare and life-science occupations",
        date=today,
        vintages=vintages,
        slides=slides,
        sources=_deck_sources({n: manifest[n] for n in DECK_DATASETS if n in manifest}),
        footer=source_line(DEMAND_DATASETS)
        + " All sources and the O*NET attribution are on the last slide.",
        attributions=_deck_attributions({n: manifest[n] for n in DECK_DATASETS if n in manifest}),
        notes=f"{result.region.name}: {result.region.description or result.region.name}. "
        f"{result.coverage_note} Built {today.isoformat()} from the reference snapshot "
        f"{snapshots.snapshot_id(reference_dir())}.",
        closing_notes="Every dataset in the reference snapshot:\n"
        + "\n".join(_deck_sources(manifest)),
    )
    return deck.write_deck(meeting, out)


def _check_out_dir(out: Path) -> None:
    if not out.parent.is_dir():
        raise UserError(f"{out}: folder {out.parent} does not exist; create it or choose another")


def _healthcare(frame: pl.DataFrame) -> pl.DataFrame:
    # Occupations whose OEWS employment is suppressed for the region have no openings to chart.
    return frame.filter(
        pl.col("soc_code").str.slice(0, 2).is_in(list(HEALTHCARE_MAJOR_GROUPS)),
        pl.col("annual_openings").is_not_null(),
    )


def _watchlist(result: RegionDemand) -> pl.DataFrame:
    return result.demand.filter(
        pl.col("soc_code").is_in(list(result.region.watchlist)),
        pl.col("annual_openings").is_not_null(),
    )


def _years(frame: pl.DataFrame) -> str:
    if frame.height == 0:
        return ""
    return f"{int(frame['base_year'][0])}–{int(frame['projected_year'][0])}"


def _overview_figure(result: RegionDemand) -> Any:
    import charts

    shown = _healthcare(result.demand)
    fig = charts.openings_bars(
        shown,
        title=f"Top occupations by annual openings, {result.region.name}, {_years(result.demand)}",
        source=source_line(DEMAND_DATASETS, OPENINGS_METHOD),
        highlight=list(result.region.watchlist),
    )
    # The image carries its headline: the number a funder should leave with.
    fig.update_layout(title_subtitle_text=_overview_headline(result), margin={"t": 110})
    return fig


def _overview_headline(result: RegionDemand) -> str:
    health = _healthcare(result.demand)
    watch = _watchlist(result)
    return (
        f"{health['annual_openings'].sum():,.0f} openings a year in healthcare occupations "
        f"(SOC 29, 31); {watch['annual_openings'].sum():,.0f} in the watch-list (orange)."
    )


def _watchlist_figure(result: RegionDemand) -> Any:
    import charts

    watch = _watchlist(result)
    fig = charts.openings_bars(
        watch,
        title=f"Watch-list occupations by annual openings, {result.region.name}, "
        f"{_years(result.demand)}",
        source=source_line(DEMAND_DATASETS, OPENINGS_METHOD),
        top=max(watch.height, 1),
    )
    fig.update_layout(
        title_subtitle_text=f"{watch['annual_openings'].sum():,.0f} openings a year; "
        f"{watch['base_employment'].sum():,.0f} employed in {int(watch['base_year'][0]) if watch.height else ''}.",
        margin={"t": 110},
    )
    return fig


_CHART_BUILDERS = {"overview-openings": _overview_figure, "watchlist-openings": _watchlist_figure}


def _key_numbers(frame: pl.DataFrame, limit: int) -> list[str]:
    rows = frame.sort("annual_openings", descending=True).head(limit)
    return [
        f"- {r['title']} ({r['soc_code']}): {r['annual_openings']:,.0f} openings a year, "
        f"{r['base_employment']:,.0f} employed, {r['growth_pct']:+.1f}% growth over 10 years, "
        f"median wage ${r['median_annual_wage']:,.0f}"
        + (" (BLS top code)" if r["wage_top_coded"] else "")
        for r in rows.iter_rows(named=True)
    ]


def _method_note(result: RegionDemand) -> str:
    growth = ", ".join(sorted(set(result.demand["growth_source"].to_list()))) or "none"
    return (
        f"Method: base employment is OEWS employment of the areas that make up {result.region.name}. "
        f"{result.coverage_note} Growth comes from the 2024–34 projections (growth source: "
        f"{growth}). {OPENINGS_METHOD} Counts are people; wages are OEWS medians in US dollars."
    )


def _overview_slide(result: RegionDemand) -> Any:
    from exports import deck

    fig = _overview_figure(result)
    health = _healthcare(result.demand)
    notes = "\n".join(
        [
            _overview_headline(result),
            f"Healthcare employment: {health['base_employment'].sum():,.0f}.",
            "Top occupations:",
            *_key_numbers(health, 8),
            _method_note(result),
        ]
    )
    slide = deck.slide_from_figure(fig, notes=notes, headline=_overview_headline(result))
    return slide


def _watchlist_slide(result: RegionDemand) -> Any:
    from exports import deck

    watch = _watchlist(result).sort("annual_openings")
    missing = [s for s in result.region.watchlist if s not in set(watch["soc_code"].to_list())]
    if watch.height == 0:
        return deck.Slide(
            title=f"Watch-list: employment and openings, {result.region.name}",
            source=source_line(DEMAND_DATASETS, OPENINGS_METHOD),
            bullets=(
                f"No openings data for the watch-list of {result.region.name} "
                f"({', '.join(result.region.watchlist) or 'no occupations listed'}).",
            ),
            notes=_method_note(result),
        )
    labels = tuple(_short_title(t) for t in watch["title"].to_list())
    year = int(watch["base_year"][0]) if watch.height else None
    employment = deck.ChartSpec(
        kind="bar",
        categories=labels,
        series=(deck.Series(f"Employment, {year}", tuple(watch["base_employment"].to_list())),),
        title=f"Employment, {year}",
        value_title="People employed",
    )
    openings = deck.ChartSpec(
        kind="bar",
        categories=labels,
        series=(
            deck.Series(
                "Annual openings",
                tuple(watch["annual_openings"].to_list()),
                color=deck.PALETTE[1],
            ),
        ),
        title=f"Annual openings, {_years(result.demand)}",
        value_title="Openings a year (people)",
    )
    headline = (
        f"{watch['annual_openings'].sum():,.0f} openings a year in {watch.height} watch-list "
        f"occupations that employ {watch['base_employment'].sum():,.0f} people today."
    )
    notes = [headline, "Watch-list occupations:", *_key_numbers(watch, watch.height)]
    if missing:
        notes.append(
            f"No {result.region.name} data for watch-list codes {', '.join(missing)} "
            "(not detailed occupations in the projections, or no OEWS estimate for the region)."
        )
    notes.append(_method_note(result))
    return deck.Slide(
        title=f"Watch-list: employment and openings, {result.region.name}",
        source=source_line(DEMAND_DATASETS, OPENINGS_METHOD),
        headline=headline,
        charts=(employment, openings),
        notes="\n".join(notes),
    )


def _gaps_slides(result: RegionDemand) -> tuple[Any, ...]:
    """Return the slide of openings beside training supply for the region's watch-list."""
    import charts
    from exports import deck

    region = result.region
    gap = gaps(region.region_id)
    watch = gap.gaps.filter(pl.col("soc_code").is_in(list(region.watchlist)))
    if watch.is_empty():
        return ()
    # People are whole: the native chart shows the numbers as they are given.
    watch = watch.sort("gap", descending=True).with_columns(
        pl.col("annual_openings", "annual_supply", "gap").round(0)
    )
    fig = charts.gap_bars(
        watch,
        title=f"Openings and training supply a year, {region.name}",
        source=source_line(SUPPLY_DATASETS, short=True),
    )
    headline = (
        f"Watch-list: {watch['annual_openings'].sum():,.0f} openings a year, "
        f"{watch['annual_supply'].sum():,.0f} trained and placed, gap {watch['gap'].sum():,.0f}."
    )
    lines = [
        f"{r['title']} ({r['soc_code']}): openings {r['annual_openings']:,.0f}, supply "
        f"{r['annual_supply']:,.0f}, gap {r['gap']:,.0f}"
        for r in watch.iter_rows(named=True)
    ]
    notes = "\n".join([headline, *lines, *gap.notes])
    return (deck.slide_from_figure(fig, notes=notes, headline=headline),)


def _forecast_slides(result: RegionDemand) -> tuple[Any, ...]:
    """Return a slide with members' postings and their forecast for the first watch-list occupation with data."""
    import charts
    from exports import deck

    region = result.region
    titles = dict(zip(result.demand["soc_code"], result.demand["title"], strict=True))
    for soc in region.watchlist:
        outlook = postings_outlook(region.region_id, soc)
        if outlook.history.is_empty():
            continue
        source = "Source: consortium members' vacancy feeds (aggregated, disclosure rules applied)."
        fig = charts.forecast_fan(
            outlook.history,
            outlook.forecast,
            title=f"New postings a month, {titles.get(soc, soc)}, {region.name}",
            source=source,
        )
        total = outlook.forecast["yhat"].sum()
        headline = f"About {total:,.0f} new postings expected over the next 12 months (80% and 95% intervals shaded)."
        return (
            deck.Slide(
                title=f"Members' postings and the year ahead: {titles.get(soc, soc)}",
                source=source,
                headline=headline,
                figure=fig,
                notes="\n".join(
                    [headline, outlook.note, f"Model: {outlook.forecast['model'][0]}."]
                ),
            ),
        )
    return ()


def _outcome_slides(result: RegionDemand) -> tuple[Any, ...]:
    """Return a slide of trainee outcomes per program (groups under 10 withheld)."""
    from exports import deck

    res = outcomes(region_id=result.region.region_id)
    pooled = res.outcomes.filter(pl.col("cohort").is_null()).sort("completers", descending=True)
    if pooled.is_empty():
        return ()

    def rate(value: float | None) -> str:
        return "fewer than 10" if value is None else f"{value:.0%}"

    bullets = tuple(
        f"{r['provider']} — {r['program']}: {r['completers']:,} completers, placed "
        f"{rate(r['placement_rate'])}, still employed at 365 days {rate(r['retained_365d_rate'])}"
        for r in pooled.head(6).iter_rows(named=True)
    )
    label = " (illustrative sample data)" if res.illustrative else ""
    return (
        deck.Slide(
            title=f"Did the people we trained get hired and stay?{label}",
            source="Source: training providers' placement records in the consortium warehouse"
            f"{label}; as of {res.as_of.isoformat()}.",
            headline="Placement and retention per program; groups under 10 people are withheld.",
            bullets=bullets,
            notes="\n".join([*bullets, *res.notes]),
        ),
    )


def _pathway_slides(result: RegionDemand) -> tuple[Any, ...]:
    """Return a slide of the best feeder occupations into the watch-list's first occupation."""
    from exports import deck

    region = result.region
    for soc in region.watchlist:
        try:
            path = pathways(soc, "to", region.region_id, limit=6)
        except UserError:
            continue
        if path.table.is_empty():
            continue
        bullets = tuple(
            f"{r['from_title']}: similarity {r['similarity']:.2f}, wage uplift "
            + ("n/a" if r["wage_uplift_pct"] is None else f"{r['wage_uplift_pct']:+.0f}%")
            for r in path.table.head(6).iter_rows(named=True)
        )
        return (
            deck.Slide(
                title=f"Who can move up into {path.title}, {region.name}",
                source=source_line(("onet_skills", "onet_related", "oews"), short=True),
                headline=f"Feeder occupations ranked by O*NET skill and task similarity into {path.title}.",
                bullets=bullets,
                notes="\n".join([*bullets, *path.notes]),
            ),
        )
    return ()


def _short_title(title: str, width: int = 38) -> str:
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"


def _deck_sources(manifest: dict[str, Any]) -> tuple[str, ...]:
    """One line per publisher release, the datasets it covers named together (O*NET has seven)."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for entry in manifest.values():
        key = (entry.get("publisher", ""), entry.get("vintage", ""), entry.get("license", ""))
        groups.setdefault(key, []).append(entry)
    lines = []
    for (publisher, vintage, license_), entries in groups.items():
        titles = "; ".join(e.get("title", "") for e in entries)
        urls = sorted({e.get("source_url", "") for e in entries if e.get("source_url")})
        line = f"{publisher}: {titles} — {vintage}."
        if license_:
            line += f" {license_}."
        if urls:
            line += " " + urls[0]
        lines.append(line)
    return tuple(lines)


def _deck_attributions(used: dict[str, Any]) -> tuple[str, ...]:
    """O*NET's attribution always (the product uses O*NET); Indeed's when its data is on a slide."""
    from exports import deck

    publishers = " ".join(str(e.get("publisher", "")) for e in used.values())
    chosen = [deck.ONET_ATTRIBUTION]
    if "Indeed" in publishers:
        chosen.append(deck.INDEED_ATTRIBUTION)
    chosen.append(deck.PUBLIC_DOMAIN_NOTE)
    return tuple(chosen)


# --- upload page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedPreview:
    """What a feed file looks like before it is stored: its columns, the mapping that would be used."""

    kind: str
    columns: list[str]
    mapping: dict[str, str]  # file column -> feed field
    missing: list[str]  # required fields no column maps to
    fields: tuple[str, ...]  # every field of the feed kind
    rows: int
    head: pl.DataFrame


def preview_feed(
    path: Path, kind: str, member: str | None = None, viewer: Viewer = LOCAL_CONVENER
) -> FeedPreview:
    """Return a preview of a feed file: its columns, the proposed mapping and the first rows.

    Refused (UserError) when the viewer may not upload this kind for this member, so that nobody
    sees another member's remembered column mapping.
    """
    from analytics.schemas import FEED_FIELDS
    from connectors import feeds, warehouse

    member = _upload_member(viewer, kind, member)
    remembered = warehouse.read_column_mapping(open_warehouse(), member, kind) if member else {}
    raw = feeds.read_feed(path, kind, max_bytes=settings.max_upload_bytes(), require_columns=False)
    mapping = feeds.map_columns(raw.columns, kind, remembered)
    return FeedPreview(
        kind=kind,
        columns=raw.columns,
        mapping=mapping,
        missing=feeds.missing_fields(mapping, kind),
        fields=FEED_FIELDS[kind],
        rows=raw.height,
        head=raw.head(20),
    )


def unmapped_fields(mapping: dict[str, str], kind: str) -> list[str]:
    """Return the required fields of a feed kind that a column mapping leaves unmatched."""
    from connectors import feeds

    return feeds.missing_fields(mapping, kind)


def ingest_outcome(
    ingest_id: int, viewer: Viewer = SHARED_SCREEN
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return (rows set aside with their reasons, stored vacancies whose title coding needs review).

    Only the uploader's organization (or a convener) may see them: set-aside rows are raw data.
    """
    from connectors import warehouse

    engine = open_warehouse()
    ingest = warehouse.read_ingests(engine).filter(pl.col("ingest_id") == ingest_id)
    if ingest.is_empty():
        raise UserError(f"no ingest {ingest_id} in the warehouse")
    row = ingest.row(0, named=True)
    if not access.may_see_ingest(viewer, row["member"], row["uploaded_by"]):
        raise UserError(
            f"ingest {ingest_id} belongs to another member; only its uploader or a convener sees it"
        )
    rejected = warehouse.read_rejects(engine, ingest_id).drop("ingest_id")
    vacancies = warehouse.read_vacancies(engine, row["member"]) if row["member"] else None
    if vacancies is None:
        vacancies = warehouse.read_vacancies(engine).clear()
    review = (
        vacancies.filter((pl.col("ingest_id") == ingest_id) & pl.col("soc_needs_review"))
        .group_by("title")
        .agg(pl.len().alias("postings"), pl.col("soc_code").first().alias("suggested_soc"))
        .sort("postings", descending=True)
    )
    return rejected, review


def warehouse_version() -> str:
    """Return a short id that changes whenever an ingest lands (a cache key for member data)."""
    from connectors import warehouse

    ingests = warehouse.read_ingests(open_warehouse())
    last = ingests.select(pl.col("ingest_id").max()).item() if ingests.height else 0
    return f"{ingests.height}-{last}"


def training_providers(inputs: RegionSupply, soc_codes: Iterable[str]) -> pl.DataFrame:
    """Return, per provider, the annual supply and programs for some occupations, with locations."""
    wanted = list(soc_codes)
    rows = inputs.supply.filter(pl.col("soc_code").is_in(wanted))
    per_provider = (
        rows.group_by("provider", "unitid", "source", "county_fips")
        .agg(
            pl.col("annual_supply").sum(),
            pl.col("annual_completers").sum().alias("completers_in_programs"),
            pl.col("program").unique().sort().str.join("; ").alias("programs"),
            pl.col("title").unique().sort().str.join("; ").alias("occupations"),
        )
        .sort("annual_supply", descending=True)
    )
    places = read_reference("ipeds_institutions").select("unitid", "city", "latitude", "longitude")
    counties = read_reference("counties").select("county_fips", "county_name")
    return per_provider.join(places, on="unitid", how="left").join(
        counties, on="county_fips", how="left"
    )


def county_geojson() -> dict[str, Any]:
    """Return the county boundaries (GeoJSON keyed by 5-digit FIPS) shipped with the sources."""
    from connectors import geo

    return geo.read_county_geojson(settings.SOURCES_DIR / "geo" / "geojson-counties-fips.json")


def list_members(viewer: Viewer = SHARED_SCREEN) -> list[str]:
    """Return the members that have sent feeds (conveners); anyone else gets its own organization.

    Member names are not raw data, but only a convener picks whom to upload for; an employer
    does not get its competitors listed.
    """
    from connectors import warehouse

    names = warehouse.read_members(open_warehouse())["member"].to_list()
    if access.sees_member_list(viewer):
        return names
    return [viewer.organization] if viewer.organization else []


def own_postings(viewer: Viewer) -> pl.DataFrame:
    """Return the raw postings the viewer may see: its organization's own (a convener: all).

    Nobody else's rows leave the warehouse: the filter runs in the query for a member.
    """
    from connectors import warehouse

    engine = open_warehouse()
    if access.sees_all_postings(viewer):
        rows = warehouse.read_vacancies(engine)
    elif viewer.organization and viewer.role is not access.Role.VIEWER:
        rows = warehouse.read_vacancies(engine, viewer.organization)
    else:
        rows = warehouse.read_vacancies(engine).clear()
    return access.own_postings(viewer, rows).sort("posted_date", "posting_id", descending=True)


# --- users and sign-in --------------------------------------------------------------------------
# Who may sign in, with which organization and role (analytics.access holds the rules).

UNKNOWN_USER_NOTE = "Your email is not on the consortium's list yet: ask your convener to add you."


def _check_email(email: str) -> str:
    address = email.strip().lower()
    local, _, domain = address.partition("@")
    if not local or "." not in domain or any(c.isspace() for c in address):
        raise UserError(f"'{email}' is not an email address (like name@example.org)")
    return address


def list_users(viewer: Viewer = LOCAL_CONVENER) -> pl.DataFrame:
    """Return the users who may sign in (email, organization, role, created_at); conveners only."""
    from connectors import warehouse

    _require_manager(viewer, "list users")
    return warehouse.read_users(open_warehouse())


def add_user(
    email: str, organization: str | None, role: str, viewer: Viewer = LOCAL_CONVENER
) -> dict[str, Any]:
    """Add a user (or change an existing one's organization and role); return the stored row."""
    from connectors import warehouse

    _require_manager(viewer, "add users")
    address = _check_email(email)
    try:
        person = access.build_viewer(address, address, organization, role)
    except access.AccessError as exc:
        raise UserError(str(exc)) from exc
    engine = open_warehouse()
    added = warehouse.write_user(engine, address, person.organization, person.role.value)
    row = warehouse.read_user(engine, address) or {}
    return {**row, "status": "added" if added else "updated"}


def remove_user(email: str, viewer: Viewer = LOCAL_CONVENER) -> None:
    """Remove a user; UserError when nobody has that email."""
    from connectors import warehouse

    _require_manager(viewer, "remove users")
    if not warehouse.delete_user(open_warehouse(), email):
        raise UserError(f"no user '{email.strip()}'; see `gapboard users list`")


def viewer_for_email(email: str, name: str | None = None) -> Viewer:
    """Return the Viewer of a signed-in email: its organization and role from the users table.

    An email nobody has added is a viewer (aggregates only) with a note saying whom to ask.
    """
    from connectors import warehouse

    address = email.strip().lower()
    row = warehouse.read_user(open_warehouse(), address) if address else None
    if row is None:
        return Viewer(address, name or address, None, access.Role.VIEWER, note=UNKNOWN_USER_NOTE)
    return access.build_viewer(address, name or address, row["organization"], row["role"])


# --- supply and gaps ----------------------------------------------------------------------------
# Training supply (IPEDS + member programs), the gap against regional openings with scenarios,
# and the members' vacancy signal (always through analytics.disclosure).

SUPPLY_DATASETS = ("ipeds_completions", "ipeds_institutions", "cip_soc", *DEMAND_DATASETS)
POSTINGS_DATASETS = ("postings_sector", "postings_state", "postings_national")

if TYPE_CHECKING:
    from analytics.gaps import Scenario


@dataclass(frozen=True)
class RegionSupply:
    """Everything the gap is computed from, for one region (cache it; scenarios reuse it)."""

    region: Region
    demand: pl.DataFrame  # Demand
    programs: pl.DataFrame  # SupplyProgram: IPEDS and member programs inside the region
    links: pl.DataFrame  # OccupationLink
    supply: pl.DataFrame  # Supply: program x occupation
    unallocated: pl.DataFrame  # SupplyProgram: programs whose completers reach no occupation
    coverage_note: str


@dataclass(frozen=True)
class RegionGaps:
    """The gap per occupation, supply by county, and the assumptions to print under the chart."""

    region: Region
    gaps: pl.DataFrame  # Gap
    county_supply: pl.DataFrame  # CountySupply (scenario programs included)
    notes: tuple[str, ...]


def supply(region_id: str) -> RegionSupply:
    """Return the region's training supply: programs, their occupation links and allocation."""
    from analytics import supply as supply_

    region = get_region(region_id)
    counties = read_reference("counties")
    inside = regions.compute_region_counties(region, counties)
    demand_frame = demand(region_id).demand
    institutions = read_reference("ipeds_institutions")
    ipeds = supply_.compute_ipeds_programs(
        region.region_id,
        read_reference("ipeds_completions"),
        institutions,
        read_reference("ipeds_award_levels"),
        read_reference("cip_titles"),
        inside,
    )
    members = supply_.compute_member_programs(region.region_id, _member_programs(), inside)
    programs = pl.concat([ipeds, members])
    ep, cip_soc = read_reference("ep_occupations"), read_reference("cip_soc")
    ep_soc = projections.compute_ep_soc_map(ep, cip_soc["soc_code"])
    links = supply_.compute_occupation_links(cip_soc, ep, ep_soc, demand_frame)
    return RegionSupply(
        region=region,
        demand=demand_frame,
        programs=programs,
        links=links,
        supply=supply_.compute_supply(programs, links),
        unallocated=supply_.compute_unallocated(programs, links),
        coverage_note=supply_.describe_supply_coverage(inside, institutions, counties),
    )


def _member_programs() -> pl.DataFrame:
    from connectors import warehouse

    return warehouse.read_programs(open_warehouse())


def gaps(
    region_id: str,
    scenario: Scenario | None = None,
    soc_codes: Iterable[str] | None = None,
    vacancy_weight: float = 0.0,
    viewer: Viewer = SHARED_SCREEN,
    inputs: RegionSupply | None = None,
) -> RegionGaps:
    """Return demand, supply and gap per occupation for a region, with an optional Scenario.

    `vacancy_weight` (0-1) blends the members' disclosed openings of the last 12 months into
    demand, as seen by `viewer` (the default: a shared screen, any member may be looking). `inputs` (from
    supply()) skips re-reading the data, so a scenario recomputes at once.
    """
    from analytics import gaps as gaps_
    from analytics import supply as supply_

    base = inputs or supply(region_id)
    vacancy = None
    if vacancy_weight > 0:
        from analytics import vacancies as vacancies_

        vacancy = vacancies_.compute_vacancy_openings(
            vacancy_signal(region_id, viewer, last_months=12)
        )
    try:
        frame = gaps_.compute_gaps(
            base.demand, base.programs, base.links, scenario, vacancy, vacancy_weight
        )
        programs = gaps_.apply_scenario(base.programs, scenario) if scenario else base.programs
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    wanted = [s.strip() for s in soc_codes or [] if s.strip()]
    if wanted:
        missing = [s for s in wanted if s not in set(frame["soc_code"].to_list())]
        if missing:
            raise UserError(
                f"no regional demand for {', '.join(missing)} in {base.region.name}; "
                "see `gapboard demand --region "
                f"{base.region.region_id}` for the occupations with estimates"
            )
        frame = frame.filter(pl.col("soc_code").is_in(wanted))
    county = supply_.compute_county_supply(
        base.region.region_id,
        supply_.compute_supply(programs, base.links),
        read_reference("counties"),
    )
    return RegionGaps(base.region, frame, county, _gap_notes(base, vacancy_weight))


def _gap_notes(base: RegionSupply, vacancy_weight: float) -> tuple[str, ...]:
    from analytics import gaps as gaps_
    from analytics import supply as supply_

    sources = base.programs.group_by("source").agg(pl.len(), pl.col("annual_completers").sum())
    counted = "; ".join(
        f"{r['source']}: {r['len']:,} programs, {r['annual_completers']:,.0f} completers a year"
        for r in sources.sort("source").iter_rows(named=True)
    )
    lost = base.unallocated["annual_completers"].sum()
    notes = [
        "Demand: annual openings = growth/10 + separations (BLS method) on the region's OEWS base"
        + (
            f", blended {vacancy_weight:.0%} with members' disclosed openings of the last 12 months."
            if vacancy_weight > 0
            else "."
        ),
        f"Supply: {counted or 'no programs in the region'}. {base.coverage_note}",
        "Completers count only toward occupations the CIP–SOC crosswalk links to their program and "
        "whose typical entry education the award reaches (certificates never toward postsecondary "
        "teachers; associate degrees also toward RNs and clinical lab technicians), split by the "
        "region's annual openings.",
        f"Placement: {supply_.DEFAULT_PLACEMENT_BASIS} for IPEDS and for programs that give no rate; "
        "member programs use their reported rate.",
        "IPEDS counts completers at the reporting campus (online students living elsewhere "
        "included) and cannot separate RN-to-BSN completers who are already nurses; where one "
        "provider supplies most of an occupation, the gap table names it (top_provider).",
        f"{lost:,.0f} completers a year are in programs that reach no occupation (no crosswalk "
        "link to an occupation with BLS data, or none the award qualifies for: general studies, "
        "liberal arts, pre-professional programs and the like) and are not counted.",
        gaps_.COUNTY_NOTE,
    ]
    return tuple(notes)


def vacancy_signal(
    region_id: str, viewer: Viewer = SHARED_SCREEN, last_months: int | None = None
) -> pl.DataFrame:
    """Return members' postings by occupation x month in the region, disclosure applied (VacancySignal).

    An employer `viewer` sees its own numbers in the own_* columns and the rules hold without it;
    anyone else (the default: a shared screen) gets own_* empty and the rules hold without any one
    member. `last_months` limits the window
    to the months ending with the latest month in the data (and starting no earlier than the
    first posting, so that an annual rate is not diluted by months before the feeds began).
    """
    from analytics import vacancies as vacancies_
    from connectors import warehouse

    region = get_region(region_id)
    inside = regions.compute_region_counties(region, read_reference("counties"))
    rows = warehouse.read_vacancies(open_warehouse())
    start = end = None
    if last_months:
        local = rows.filter(pl.col("county_fips").is_in(inside))
        latest = local.select(
            pl.max_horizontal(pl.col("posted_date").max(), pl.col("closed_date").max())
        ).item()
        if latest is not None:
            end = latest.replace(day=1)
            back = end.year * 12 + end.month - 1 - (last_months - 1)
            # Months before the first feed are unknown, not months without postings.
            first = local.select(pl.col("posted_date").min().dt.truncate("1mo")).item()
            start = max(end.replace(year=back // 12, month=back % 12 + 1), first)
    titles = read_reference("ep_occupations").select(pl.col("ep_code").alias("soc_code"), "title")
    return vacancies_.compute_vacancy_signal(
        rows,
        region.region_id,
        inside,
        viewer=access.signal_viewer(viewer),
        start=start,
        end=end,
        titles=titles,
    )


def postings_trend(region_id: str) -> pl.DataFrame:
    """Return the Indeed postings index by month: health-care sectors (US) and the region's states."""
    from analytics import vacancies as vacancies_

    region = get_region(region_id)
    inside = regions.compute_region_counties(region, read_reference("counties"))
    states = [] if region.kind == "nation" else vacancies_.compute_region_states(inside)
    return vacancies_.compute_postings_trend(
        read_reference("postings_sector"),
        read_reference("postings_state"),
        read_reference("postings_national"),
        states,
    )


# --- pathways and outcomes ----------------------------------------------------------------------
# Career pathways from O*NET (feeders into an occupation, or where a worker can go), the CPS
# workforce profile, and trainee outcomes and ROI from the members' placements and programs.

PATHWAY_DATASETS = ("onet_skills", "onet_tasks", "onet_related", "onet_job_zones", "oews")
DIVERSITY_DATASETS = ("cps_demographics", "cps_age")
ILLUSTRATIVE = "illustrative sample data"
NATIONAL_REGION = "us"

if TYPE_CHECKING:
    from datetime import date

    from analytics.pathways import PathwayIndex

_PATHWAY_INDEX: dict[str, Any] = {}


def pathway_index() -> PathwayIndex:
    """Return the pathway index over the snapshot's O*NET occupations (built once per snapshot)."""
    from analytics import pathways as pathways_

    key = snapshots.snapshot_id(reference_dir())
    if key not in _PATHWAY_INDEX:
        ep, skills = read_reference("ep_occupations"), read_reference("onet_skills")
        oews = read_reference("oews")
        index = pathways_.build_pathway_index(
            skills,
            read_reference("onet_occupations"),
            read_reference("onet_related"),
            read_reference("onet_job_zones"),
            tasks=read_reference("onet_tasks"),
            industry_shares=pathways_.compute_industry_shares(oews, _ep_soc_map()),
            ep=ep,
        )
        _PATHWAY_INDEX.clear()
        _PATHWAY_INDEX[key] = index
    return _PATHWAY_INDEX[key]


def _ep_soc_map() -> pl.DataFrame:
    # Detailed SOC codes only: an aggregate among them (OEWS's 31-1120) would map to itself.
    codes = pl.concat(
        [read_reference("onet_occupations")["soc_code"], read_reference("cip_soc")["soc_code"]]
    ).unique()
    return projections.compute_ep_soc_map(read_reference("ep_occupations"), codes)


def pathway_occupations() -> pl.DataFrame:
    """Return the occupations pathways can be drawn for: soc_code, title, label ("Title (SOC)"), sorted by title."""
    index = pathway_index()
    frame = pl.DataFrame(
        {
            "soc_code": list(index.soc_codes),
            "title": [index.titles.get(c, c) for c in index.soc_codes],
        }
    )
    return frame.with_columns(
        (pl.col("title") + " (" + pl.col("soc_code") + ")").alias("label")
    ).sort("title")


def check_pathway_occupation(soc_code: str) -> str:
    """Return the SOC code an input names, or raise UserError saying why it cannot be used."""
    from analytics import pathways as pathways_

    try:
        return pathways_.check_occupation(pathway_index(), soc_code, _ep_soc_map())
    except ValueError as exc:
        raise UserError(str(exc)) from exc


@dataclass(frozen=True)
class PathwayResult:
    """Ranked moves into (or out of) one occupation in a region, the programs, and what to say about them."""

    region: Region
    soc_code: str
    title: str
    direction: str  # "to": feeders into soc_code; "from": where a worker in soc_code can go
    table: pl.DataFrame  # Pathway
    programs: pl.DataFrame  # PathwayProgram, for every destination in the table
    notes: tuple[str, ...]


def pathways(
    soc_code: str,
    direction: str = "to",
    region_id: str = NATIONAL_REGION,
    limit: int = 15,
    min_wage_uplift_pct: float | None = None,
    supply_inputs: RegionSupply | None = None,
) -> PathwayResult:
    """Return the best feeders into an occupation (direction "to") or destinations from it ("from").

    Wages are the region's OEWS medians (the national median where the region has none, said in
    `wage_source`); programs are the region's training supply for the destination. Moves that cut
    pay by more than 10% are left out unless `min_wage_uplift_pct` says otherwise.
    """
    from analytics import pathways as pathways_
    from analytics import supply as supply_

    if direction not in ("to", "from"):
        raise UserError("direction is 'to' (feeders into an occupation) or 'from'")
    code = check_pathway_occupation(soc_code)
    region = get_region(region_id)
    index = pathway_index()
    threshold = (
        pathways_.DEFAULT_MIN_WAGE_UPLIFT_PCT
        if min_wage_uplift_pct is None
        else min_wage_uplift_pct
    )
    moves = pathways_.compute_moves(index, code, direction)
    ep, ep_map = read_reference("ep_occupations"), _ep_soc_map()
    socs = sorted(set(moves["from_soc"]) | set(moves["to_soc"]))
    oews = read_reference("oews")
    region_base = projections.compute_region_base(oews, region_areas(region))
    nation = Region(NATIONAL_REGION, "United States", "nation")
    national_base = projections.compute_region_base(oews, region_areas(nation))
    wages = pathways_.compute_wages(socs, region_base, national_base, ep, ep_map)
    education = pathways_.compute_entry_education(
        socs,
        ep,
        ep_map,
        read_reference("onet_education"),
        overrides={k: v for k, v in supply_.ENTRY_EDUCATION_OVERRIDES.items() if k in socs},
    )
    base = supply_inputs or supply(region.region_id)
    programs = pathways_.compute_target_programs(base.supply, socs, ep_map)
    table = pathways_.build_pathways(
        index, moves, wages, education, programs, min_wage_uplift_pct=threshold, limit=limit
    )
    programs = programs.filter(pl.col("soc_code").is_in(table["to_soc"].implode()))
    notes = [
        f"Wages: OEWS May 2025 medians for {region.name}"
        + (
            "; where the region has no published median the national median is used (wage source "
            "'national')."
            if table.filter(pl.col("wage_source") == "national").height
            else "."
        ),
        f"Moves that cut the median wage by more than {abs(threshold):.0f}% are left out."
        if threshold is not None
        else "",
        f"Programs: {base.coverage_note}",
    ]
    return PathwayResult(
        region=region,
        soc_code=code,
        title=index.titles.get(code, code),
        direction=direction,
        table=table,
        programs=programs,
        notes=tuple(n for n in notes if n),
    )


def skill_gaps(from_soc: str, to_soc: str) -> pl.DataFrame:
    """Return every skill's O*NET importance and level in both occupations, largest gain first (SkillGap)."""
    from analytics import pathways as pathways_

    return pathways_.compute_skill_gaps(
        pathway_index(), check_pathway_occupation(from_soc), check_pathway_occupation(to_soc)
    )


def workforce_profile(soc_code: str, feeders: Iterable[str] = ()) -> pl.DataFrame:
    """Return the CPS profile (Diversity) of an occupation and its feeders, and the all-occupations row."""
    from analytics import diversity

    code = check_pathway_occupation(soc_code)
    titles = pathway_index().titles
    chosen = {code: (titles.get(code, code), "target")}
    for feeder in feeders:
        if feeder != code:
            chosen.setdefault(feeder, (titles.get(feeder, feeder), "feeder"))
    own, groups = diversity.build_title_lookup(
        chosen, read_reference("ep_occupations"), read_reference("onet_occupations"), _ep_soc_map()
    )
    return diversity.compute_diversity(
        read_reference("cps_demographics"), read_reference("cps_age"), chosen, own, groups
    )


def _sample_ingests() -> set[int]:
    from connectors import warehouse

    frame = warehouse.read_ingests(open_warehouse())
    return set(frame.filter(pl.col("is_sample"))["ingest_id"].to_list())


@dataclass(frozen=True)
class OutcomesResult:
    """Trainee outcomes as of a date, withheld below 10 people, with the breakdowns and curves."""

    as_of: date
    outcomes: pl.DataFrame  # Outcome, suppressed: per cohort, and all cohorts pooled (cohort null)
    curve: pl.DataFrame  # RetentionCurve per provider and program
    by_employer: pl.DataFrame  # PlacementBreakdown
    by_occupation: pl.DataFrame  # PlacementBreakdown
    placements: int  # rows the figures rest on
    illustrative: bool  # some rows come from the sample feeds
    notes: tuple[str, ...]
    # Outcome before withholding small groups: for a convener checking the data, else None.
    unsuppressed: pl.DataFrame | None = None


def outcomes(
    as_of: date | None = None, region_id: str | None = None, viewer: Viewer = SHARED_SCREEN
) -> OutcomesResult:
    """Return trainee outcomes as of a date (default today) from the warehouse's placements.

    With a region, only placements of member programs located in the region count. Everyone gets
    the outcomes with groups under 10 withheld; a convener `viewer` also gets them unwithheld.
    """
    from analytics import outcomes as outcomes_
    from connectors import warehouse

    day = as_of or datetime.now(UTC).date()
    engine = open_warehouse()
    rows = warehouse.read_placements(engine)
    notes = []
    if region_id is not None:
        region = get_region(region_id)
        inside = regions.compute_region_counties(region, read_reference("counties"))
        local = warehouse.read_programs(engine).filter(pl.col("county_fips").is_in(inside))
        rows = rows.join(
            local.select("provider", "program").unique(), on=["provider", "program"], how="semi"
        )
        notes.append(f"Programs located in {region.name}.")
    illustrative = bool(set(rows["ingest_id"].to_list()) & _sample_ingests())
    frame = pl.concat(
        [
            outcomes_.compute_outcomes(rows, day),
            outcomes_.compute_outcomes(rows, day, by=("provider", "program")),
        ]
    ).sort("provider", "program", "cohort", nulls_last=False)  # each program's total first
    titles = pathway_index().titles
    notes += [
        f"As of {day.isoformat()}: retention at 90 and 365 days counts only people hired at least "
        "that long before this date.",
        "Any result resting on fewer than 10 people, and any rate computed from it, reads "
        "'fewer than 10'.",
        "Wage gain needs the wage before the program, which the placements feed does not carry.",
    ]
    if illustrative:
        notes.insert(
            0, f"These figures come from {ILLUSTRATIVE} (data/samples), not from any member."
        )
    return OutcomesResult(
        as_of=day,
        outcomes=outcomes_.suppress_outcomes(frame),
        curve=outcomes_.compute_retention_curve(rows, day),
        by_employer=outcomes_.compute_placement_breakdown(rows, day, "employer"),
        by_occupation=outcomes_.compute_placement_breakdown(rows, day, "occupation", titles),
        placements=rows.height,
        illustrative=illustrative,
        notes=tuple(notes),
        unsuppressed=frame if access.sees_unsuppressed_outcomes(viewer) else None,
    )


@dataclass(frozen=True)
class PathwayRoi:
    """Cost per placement and wage gain of the region's member programs on one pathway."""

    table: pl.DataFrame  # PathwayRoi
    illustrative: bool
    notes: tuple[str, ...]


def pathway_roi(
    to_soc: str,
    from_soc: str,
    region_id: str = NATIONAL_REGION,
    as_of: date | None = None,
    supply_inputs: RegionSupply | None = None,
) -> PathwayRoi:
    """Return the ROI of moving workers from one occupation into another through the region's member programs."""
    from analytics import outcomes as outcomes_
    from analytics import pathways as pathways_
    from analytics import supply as supply_
    from connectors import warehouse

    target, origin = check_pathway_occupation(to_soc), check_pathway_occupation(from_soc)
    if target == origin:
        raise UserError(
            "a pathway goes from one occupation to another: --from and --to are the same"
        )
    region = get_region(region_id)
    day = as_of or datetime.now(UTC).date()
    base = supply_inputs or supply(region.region_id)
    ep, ep_map = read_reference("ep_occupations"), _ep_soc_map()
    targets = pathways_.compute_target_programs(base.supply, [target], ep_map).filter(
        pl.col("source") == supply_.MEMBER_SOURCE
    )
    engine = open_warehouse()
    stored = warehouse.read_programs(engine)
    chosen = stored.join(
        targets.select("provider", "program", "county_fips").unique(),
        on=["provider", "program", "county_fips"],
        how="semi",
    )
    placements = warehouse.read_placements(engine)
    pooled = outcomes_.suppress_outcomes(
        outcomes_.compute_outcomes(placements, day, by=("provider", "program"))
    )
    oews = read_reference("oews")
    nation = Region(NATIONAL_REGION, "United States", "nation")
    wages = pathways_.compute_wages(
        [origin, target],
        projections.compute_region_base(oews, region_areas(region)),
        projections.compute_region_base(oews, region_areas(nation)),
        ep,
        ep_map,
    )
    wage = {r["soc_code"]: r for r in wages.iter_rows(named=True)}
    titles = pathway_index().titles

    def hourly(code: str) -> tuple[float | None, str]:
        row = wage[code]
        if row["median_annual_wage"] is None:
            return None, ""
        where = region.name if row["wage_source"] == "region" else "United States"
        return (
            row["median_annual_wage"] / outcomes_.HOURS_PER_YEAR,
            f"OEWS median of {titles.get(code, code)}, {where}",
        )

    prior, prior_source = hourly(origin)
    fallback, fallback_source = hourly(target)
    table = outcomes_.compute_pathway_roi(
        chosen,
        pooled,
        origin,
        titles.get(origin, origin),
        target,
        titles.get(target, target),
        prior,
        prior_source,
        fallback,
        fallback_source,
    )
    illustrative = bool(set(chosen["ingest_id"].to_list()) & _sample_ingests())
    notes = [
        "Cost is the program's price per participant who starts; cost per placement divides it by "
        "completion rate x placement rate.",
        "Wage gain a year = (median hourly wage at hire - the feeder occupation's median hourly "
        f"wage) x {outcomes_.HOURS_PER_YEAR} hours; per participant it is spread over everyone who "
        "started.",
    ]
    if chosen.height == 0:
        notes.insert(
            0,
            f"No member program in {region.name} trains for {titles.get(target, target)}: load "
            "training programs and placements (the Upload page, or `gapboard ingest programs "
            "FILE`) to see what a placement costs.",
        )
    if illustrative:
        notes.insert(0, f"Programs and placements are {ILLUSTRATIVE} (data/samples).")
    return PathwayRoi(table=table, illustrative=illustrative, notes=tuple(notes))


OUTCOME_REPORT_COLUMNS = (
    "completers",
    "placed",
    "placement_rate",
    "eligible_90d",
    "retained_90d_rate",
    "eligible_365d",
    "retained_365d_rate",
    "median_hourly_wage",
    "median_hourly_wage_gain",
)


def outcomes_report(result: OutcomesResult, kind: str = "csv") -> bytes:
    """Return the outcomes table a funder downloads (csv or xlsx): one row per program and cohort.

    Withheld cells read "fewer than 10"; the last row (csv) or a sheet (xlsx) says where the
    figures come from, as of when, and whether they are illustrative.
    """
    from analytics import outcomes as outcomes_
    from exports import tables

    frame = outcomes_.publish_outcomes(result.outcomes, OUTCOME_REPORT_COLUMNS, style="plain")
    source = (
        f"Trainee outcomes as of {result.as_of.isoformat()}, from the members' placement feeds"
        + (f" ({ILLUSTRATIVE})" if result.illustrative else "")
        + ". Rates are 0-1; retention counts people hired at least 90 or 365 days before that date; "
        "results resting on fewer than 10 people read 'fewer than 10'."
    )
    if kind == "xlsx":
        return tables.to_xlsx_bytes(frame, source, sheet_name="Outcomes")
    return tables.to_csv_bytes(frame, source)


def outcomes_table(
    result: OutcomesResult, columns: Iterable[str] = OUTCOME_REPORT_COLUMNS, style: str = "people"
) -> pl.DataFrame:
    """Return the outcomes as text for a page (style "people": 1,234, 72%, $19.85; "fewer than 10")."""
    from analytics import outcomes as outcomes_

    return outcomes_.publish_outcomes(result.outcomes, tuple(columns), style=style)


def placements_table(result: OutcomesResult, by: str) -> pl.DataFrame:
    """Return placements by "employer" or "occupation" as text for a page ("fewer than 10" where withheld)."""
    from analytics import outcomes as outcomes_

    frame = result.by_employer if by == "employer" else result.by_occupation
    return outcomes_.publish_breakdown(frame)


# --- forecasting --------------------------------------------------------------------------------

FORECAST_MAX_HORIZON = 60  # months; beyond five years a monthly model says nothing useful


def _check_horizon(horizon: int) -> None:
    if not 1 <= horizon <= FORECAST_MAX_HORIZON:
        raise UserError(
            f"--horizon must be between 1 and {FORECAST_MAX_HORIZON} months, got {horizon}"
        )


def forecast_file(path: Path, horizon: int, annual_growth: float = 0.0) -> pl.DataFrame:
    """Forecast every series of a CSV (series_id, period, value); one row per series and future month.

    Columns: series_id, period (YYYY-MM), forecast, lo80, hi80, lo95, hi95, model. Series under
    24 months get the trend projection (annual_growth a year) and their model says so.
    """
    from analytics.forecast.select import compute_forecasts
    from connectors.series_files import read_series_csv

    _check_horizon(horizon)
    series = read_series_csv(Path(path))
    forecasts = compute_forecasts(series, horizon, annual_growth=annual_growth)
    return forecasts.select(
        "series_id",
        pl.col("ds").dt.strftime("%Y-%m").alias("period"),
        pl.col("yhat").round(2).alias("forecast"),
        *(pl.col(c).round(2) for c in ("lo80", "hi80", "lo95", "hi95")),
        "model",
    )


def backtest_file(path: Path, horizon: int, origins: int = 3) -> pl.DataFrame:
    """Rolling-origin accuracy of every model on every series of a CSV (series_id, period, value).

    Columns: series_id, model, mase, smape (percent), coverage80 (0-1), each a mean over the
    origins; model "selected" is what `forecast` would have chosen at each origin.
    """
    from analytics.forecast.backtest import compute_backtest
    from analytics.forecast.metrics import compute_scores
    from connectors.series_files import read_series_csv

    _check_horizon(horizon)
    if not 1 <= origins <= 24:
        raise UserError(f"--origins must be between 1 and 24, got {origins}")
    series = read_series_csv(Path(path))
    backtest = compute_backtest(series, horizon, origins=origins)
    if backtest.height == 0:
        raise UserError(
            f"{Path(path).name}: no series is long enough to hold out {horizon} months "
            "and still have history before them; shorten --horizon"
        )
    scores = compute_scores(backtest, series)
    order = series.select("series_id").unique(maintain_order=True).with_row_index("series_order")
    return (
        scores.join(order, on="series_id")
        .sort("series_order", "mase", nulls_last=True)
        .select(
            "series_id",
            "model",
            pl.col("mase").round(4),
            pl.col("smape").round(3),
            pl.col("coverage80").round(3),
        )
    )


# --- demand page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostingsOutlook:
    """Members' monthly new postings for one occupation, and their forecast with its accuracy."""

    history: pl.DataFrame  # ds, y: the months disclosure shows, the trailing unbroken run
    forecast: pl.DataFrame  # ForecastSchema
    scores: pl.DataFrame  # model, mase, smape, coverage80 of the rolling-origin backtest
    note: str


def postings_outlook(
    region_id: str, soc_code: str, horizon: int = 12, viewer: Viewer = SHARED_SCREEN
) -> PostingsOutlook:
    """Return the monthly new postings of members for an occupation and a forecast with intervals.

    Only months that pass the disclosure rules are used, and only the latest unbroken run of them:
    a forecast fitted across a suppressed month would carry that month's value to the screen.
    """
    from analytics.forecast import backtest, select

    signal = vacancy_signal(region_id, viewer).filter(
        (pl.col("soc_code") == soc_code) & pl.col("month").is_not_null()
    )
    shown = signal.sort("month").select(
        pl.col("month").alias("ds"),
        pl.when(pl.col("status") == "shown")
        .then(pl.col("new_postings"))
        .cast(pl.Float64)
        .alias("y"),
    )
    if shown.is_empty():
        empty = pl.DataFrame(schema={"ds": pl.Date, "y": pl.Float64})
        return PostingsOutlook(empty, select.forecast_frame([], horizon), pl.DataFrame(), "")
    gaps = shown.with_row_index().filter(pl.col("y").is_null())["index"]
    history = shown.slice(int(gaps.max()) + 1 if gaps.len() else 0)  # type: ignore[arg-type]
    suppressed = int(gaps.len())
    ep = read_reference("ep_occupations").filter(pl.col("ep_code") == soc_code)
    growth = (
        float((ep["employment_2034"][0] / ep["employment_2024"][0]) ** 0.1 - 1)
        if ep.height
        else 0.0
    )
    series = history.with_columns(pl.lit(soc_code).alias("series_id"))
    # Postings are counts: an interval below zero means "possibly none", so it stops at zero.
    forecast = select.compute_forecasts(
        series, horizon, origins=3, annual_growth=growth, workers=1
    ).with_columns(pl.col("yhat", "lo80", "hi80", "lo95", "hi95").clip(lower_bound=0.0))
    scores = pl.DataFrame()
    if history.height >= 24 + horizon:
        scores = backtest.compute_backtest_scores(series, horizon, origins=3, workers=1)
    parts = [f"{history.height} months of members' new postings"]
    if suppressed:
        parts.append(
            f"{suppressed} month(s) withheld by the disclosure rules; only the months after the "
            "last withheld one are used"
        )
    if history.height < 24:
        parts.append(
            "fewer than 24 months: the forecast follows the BLS projection's growth "
            f"({growth:+.1%} a year) instead of a fitted model"
        )
    return PostingsOutlook(history, forecast, scores, "; ".join(parts) + ".")


# --- public job boards --------------------------------------------------------------------------

BOARDS = ("usajobs", "greenhouse", "lever")


def ingest_board(
    board: str,
    source: str,
    member: str,
    uploaded_by: str | None = None,
    viewer: Viewer = LOCAL_CONVENER,
) -> Any:
    """Pull a public job board's postings (USAJOBS file, Greenhouse board, Lever site) into the warehouse.

    The postings go through the same validation, title coding and single-transaction store as a
    member's own feed; an OPM-series hint from USAJOBS is used as the SOC code when there is one.
    """
    from connectors import ats, http, usajobs

    _upload_member(viewer, "vacancies", member)  # refuse before anything is fetched
    if board == "usajobs":
        path = Path(source)
        frame = usajobs.parse_usajobs_announcements(path)
        name, digest = path.name, snapshots.sha256_file(path)
    elif board in ("greenhouse", "lever"):
        session = http.build_session(settings.contact_email())
        fetch = ats.fetch_greenhouse_jobs if board == "greenhouse" else ats.fetch_lever_postings
        frame = fetch(session, source)
        name, digest = f"{board}:{source}", None
    else:
        raise UserError(f"unknown job board '{board}'; choose from {', '.join(BOARDS)}")
    feed = frame.rename({"soc_hint": "soc_code"}).select(
        "posting_id", "title", "posted_date", "closed_date", "status", "openings",
        "employment_type", "soc_code",
    )  # fmt: skip
    mapping = {c: c for c in feed.columns}
    return ingest_frame(
        "vacancies",
        feed,
        name,
        sha256=digest,
        member=member,
        uploaded_by=uploaded_by,
        mapping=mapping,
        viewer=viewer,
    )


# --- deck tray ----------------------------------------------------------------------------------


def build_tray_deck(figures_json: list[str], title: str) -> bytes:
    """Return a .pptx of the charts a person collected across pages (Plotly JSON, in order)."""
    import plotly.io as pio

    from exports import deck

    manifest = snapshots.read_manifest(reference_dir())["datasets"]
    slides = tuple(deck.slide_from_figure(pio.from_json(text)) for text in figures_json)
    used = {n: manifest[n] for n in DECK_DATASETS if n in manifest}
    return deck.build_pptx(
        deck.Deck(
            title=title,
            subtitle="Charts collected in Gapboard",
            date=datetime.now(UTC).date(),
            vintages=tuple(
                f"{e['publisher']}, {e['title']}: {e['vintage']}" for e in used.values()
            ),
            slides=slides,
            sources=_deck_sources(used),
            footer="Sources are under each chart; all sources and the O*NET attribution are on the last slide.",
            attributions=_deck_attributions(used),
        )
    )
