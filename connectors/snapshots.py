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

    Each Parquet file is written to a temporary file in the same folder and renamed over the old
    one, and the manifest last, so a crash at any point leaves every dataset either old or new.
    Datasets not named here keep their last good file and manifest entry.
    """
    directory.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(directory)
    for name, frame in frames.items():
        target = directory / f"{name}.parquet"
        _atomic_write(target, lambda tmp, f=frame: f.write_parquet(tmp, compression="zstd"))
        entry = dict(entries[name])
        entry.update(
            file=target.name,
            sha256=sha256_file(target),
            rows=frame.height,
            columns={c: str(t) for c, t in frame.schema.items()},
        )
        manifest["datasets"][name] = entry
    manifest["written_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    _atomic_write(directory / MANIFEST, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return manifest


def _atomic_write(target: Path, write: Any) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
