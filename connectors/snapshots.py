"""The Parquet snapshot of reference data: one file per dataset plus manifest.json, written atomically."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from connectors.errors import SourceError

MANIFEST = "manifest.json"


def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(directory: Path) -> dict[str, Any]:
    """Return the snapshot manifest ({"datasets": {name: entry}}), empty when there is none yet."""
    path = directory / MANIFEST
    if not path.exists():
        return {"datasets": {}}
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SourceError(f"{path}: snapshot manifest unreadable ({exc})") from exc
    manifest.setdefault("datasets", {})
    return manifest


def snapshot_id(directory: Path) -> str:
    """Return a short id that changes whenever any dataset in the snapshot changes."""
    entries = read_manifest(directory)["datasets"]
    joined = "|".join(f"{k}:{v.get('sha256', '')}" for k, v in sorted(entries.items()))
    return hashlib.sha256(joined.encode()).hexdigest()[:12]


def read_dataset(directory: Path, name: str) -> pl.DataFrame:
    """Return one dataset of the snapshot as a frame."""
    path = directory / f"{name}.parquet"
    if not path.exists():
        raise SourceError(
            f"{path}: dataset '{name}' is not in the snapshot; run `gapboard refresh --from data/sources`"
        )
    try:
        return pl.read_parquet(path)
    except Exception as exc:  # a truncated or foreign file: say which, never guess
        raise SourceError(f"{path}: snapshot file unreadable ({exc})") from exc


def write_snapshot(
    directory: Path, frames: dict[str, pl.DataFrame], entries: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """Write the given datasets and merge their entries into the manifest; return the new manifest.

    Every Parquet file is first written in full to a temporary file in the same folder; only then
    are they renamed over the old ones, and the manifest last. A crash while writing (the slow
    part) leaves the old files and manifest untouched; each file is always wholly old or new.
    Datasets not named here keep their last good file and manifest entry.
    """
    directory.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(directory)
    written: dict[str, str] = {}
    try:
        for name, frame in frames.items():
            written[name] = _write_temp(
                directory, ".parquet", lambda tmp, f=frame: f.write_parquet(tmp, compression="zstd")
            )
        for name, frame in frames.items():
            entry = dict(entries[name])
            entry.update(
                file=f"{name}.parquet",
                sha256=sha256_file(Path(written[name])),
                rows=frame.height,
                columns={c: str(t) for c, t in frame.schema.items()},
            )
            manifest["datasets"][name] = entry
        manifest["written_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        written[MANIFEST] = _write_temp(
            directory, ".json", lambda tmp: Path(tmp).write_text(text, encoding="utf-8")
        )
        for name in frames:
            os.replace(written.pop(name), directory / f"{name}.parquet")
        os.replace(written.pop(MANIFEST), directory / MANIFEST)
    finally:
        for tmp in written.values():
            if os.path.exists(tmp):
                os.unlink(tmp)
    return manifest


def _write_temp(directory: Path, suffix: str, write: Any) -> str:
    """Write a file through `write(path)` under a temporary name in directory; return that name."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=suffix, dir=directory)
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp
