"""One function per thing a person does with Gapboard; used by the command line and the pages."""

from __future__ import annotations

import shutil
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

import settings
from analytics import projections, regions
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
                frame = dataset.parse(root)
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


def source_line(names: Iterable[str], extra: str = "") -> str:
    """Return a "Source: ..." line naming each dataset's publisher, title and vintage."""
    manifest = snapshots.read_manifest(reference_dir())["datasets"]
    parts = []
    for name in names:
        entry = manifest.get(name)
        if entry is None:
            continue
        parts.append(f"{entry['publisher']}, {entry['title']} ({entry['vintage']})")
    text = "Source: " + "; ".join(parts) + "."
    if extra:
        text += " " + extra
    return text
