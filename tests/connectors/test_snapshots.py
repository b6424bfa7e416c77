import json
from pathlib import Path

import polars as pl
import pytest

from connectors import snapshots
from connectors.errors import SourceError


def test_write_then_read_round_trips_and_records_provenance(tmp_path: Path) -> None:
    frame = pl.DataFrame({"soc_code": ["31-9092"], "employment": [17000.0]})
    manifest = snapshots.write_snapshot(
        tmp_path, {"demo": frame}, {"demo": {"vintage": "May 2025", "publisher": "BLS"}}
    )
    entry = manifest["datasets"]["demo"]
    assert entry["rows"] == 1 and entry["vintage"] == "May 2025"
    assert entry["sha256"] == snapshots.sha256_file(tmp_path / "demo.parquet")
    assert snapshots.read_dataset(tmp_path, "demo").equals(frame)
    assert not list(tmp_path.glob(".tmp-*"))


def test_datasets_not_rewritten_keep_their_last_good_entry(tmp_path: Path) -> None:
    a = pl.DataFrame({"x": [1]})
    b = pl.DataFrame({"y": [2]})
    snapshots.write_snapshot(tmp_path, {"a": a, "b": b}, {"a": {"v": 1}, "b": {"v": 1}})
    before = snapshots.snapshot_id(tmp_path)
    snapshots.write_snapshot(tmp_path, {"a": pl.DataFrame({"x": [9]})}, {"a": {"v": 2}})
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["datasets"]["b"]["v"] == 1
    assert snapshots.read_dataset(tmp_path, "b").equals(b)
    assert snapshots.snapshot_id(tmp_path) != before


def test_failed_write_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = pl.DataFrame({"x": [1, 2, 3]})
    snapshots.write_snapshot(tmp_path, {"a": good}, {"a": {}})
    original = (tmp_path / "a.parquet").read_bytes()

    def explode(self: pl.DataFrame, *args: object, **kwargs: object) -> None:
        Path(str(args[0])).write_bytes(b"PAR1 half written")
        raise OSError("disk full")

    monkeypatch.setattr(pl.DataFrame, "write_parquet", explode)
    with pytest.raises(OSError):
        snapshots.write_snapshot(tmp_path, {"a": pl.DataFrame({"x": [7]})}, {"a": {}})
    assert (tmp_path / "a.parquet").read_bytes() == original
    assert not list(tmp_path.glob(".tmp-*"))


def test_missing_dataset_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="gapboard refresh"):
        snapshots.read_dataset(tmp_path, "oews")
