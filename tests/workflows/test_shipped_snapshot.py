"""The committed snapshot is the embedded default: complete, valid, and built from the shipped files."""

import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from connectors import catalog, snapshots
from settings import REFERENCE_DIR, SOURCES_DIR


def test_every_dataset_is_in_the_manifest_with_provenance() -> None:
    manifest = snapshots.read_manifest(REFERENCE_DIR)["datasets"]
    assert set(manifest) == set(catalog.DATASETS_BY_NAME)
    for name, entry in manifest.items():
        for key in ("source_url", "vintage", "license", "publisher", "sha256", "rows", "built_at"):
            assert entry.get(key), f"{name}: manifest lacks {key}"
        assert entry["sha256"] == snapshots.sha256_file(REFERENCE_DIR / entry["file"]), name


@pytest.mark.parametrize("dataset", catalog.DATASETS, ids=lambda d: d.name)
def test_snapshot_matches_its_schema_and_the_shipped_source_files(dataset: catalog.Dataset) -> None:
    frame = snapshots.read_dataset(REFERENCE_DIR, dataset.name)
    dataset.schema.validate(frame)
    entry = snapshots.read_manifest(REFERENCE_DIR)["datasets"][dataset.name]
    assert entry["rows"] == frame.height > 0
    for rel, digest in entry["source_files"].items():
        assert snapshots.sha256_file(SOURCES_DIR / rel) == digest, (
            f"{rel} changed since the snapshot was built: run `gapboard refresh --from data/sources`"
        )


def test_rebuilding_a_dataset_gives_the_committed_frame() -> None:
    for name in ("ep_occupations", "counties", "cip_soc"):
        rebuilt = catalog.DATASETS_BY_NAME[name].parse(SOURCES_DIR)
        shipped = snapshots.read_dataset(REFERENCE_DIR, name)
        assert rebuilt.equals(shipped), name
        assert isinstance(rebuilt, pl.DataFrame)


def test_the_sidebar_vintage_line_is_read_from_the_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import workflows

    assert workflows.vintage_summary() == (
        "BLS projections 2024–34 · OEWS May 2025 · O*NET 27.0 · IPEDS C2020–C2024"
    )
    copy = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["datasets"]["oews"]["vintage"] = "May 2026 estimates (published 2027-04-01)"
    del manifest["datasets"]["ipeds_completions"]
    (copy / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setattr(workflows.settings, "REFERENCE_DIR", copy)
    assert workflows.vintage_summary() == "BLS projections 2024–34 · OEWS May 2026 · O*NET 27.0"
