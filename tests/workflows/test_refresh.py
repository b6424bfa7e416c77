"""Refresh builds a snapshot from publisher files and keeps the last good one when a file fails."""

import shutil
from pathlib import Path

import polars as pl
import pytest
import responses

import cli
import workflows
from connectors import snapshots
from settings import SOURCES_DIR


def _sources_copy(tmp_path: Path, *folders: str) -> Path:
    root = tmp_path / "sources"
    for folder in folders:
        shutil.copytree(SOURCES_DIR / folder, root / folder)
    return root


def test_refresh_from_folder_writes_snapshot_with_manifest(tmp_path: Path) -> None:
    src = _sources_copy(tmp_path, "crosswalks")
    target = tmp_path / "reference"
    result = workflows.refresh(
        src, only=["cip_soc", "cip_titles"], target_dir=target, progress=False
    )
    assert result["status"].to_list() == ["updated", "updated"]
    manifest = snapshots.read_manifest(target)["datasets"]
    entry = manifest["cip_soc"]
    assert entry["rows"] == result.filter(pl.col("source") == "cip_soc")["rows"][0]
    assert entry["source_files"][
        "crosswalks/CIP2020_SOC2018_Crosswalk.csv"
    ] == snapshots.sha256_file(src / "crosswalks/CIP2020_SOC2018_Crosswalk.csv")
    assert entry["license"].startswith("U.S. Government")
    assert "nces.ed.gov" in entry["source_url"]


def test_corrupt_file_is_named_and_keeps_last_good(tmp_path: Path) -> None:
    src = _sources_copy(tmp_path, "crosswalks")
    target = tmp_path / "reference"
    workflows.refresh(src, only=["cip_titles", "cip_soc"], target_dir=target, progress=False)
    before = (target / "cip_titles.parquet").read_bytes()
    (src / "crosswalks/CIPCode2020.csv").write_bytes(b"\x00\x01\x02 not a csv \xff\xfe" * 50)
    result = workflows.refresh(
        src, only=["cip_titles", "cip_soc"], target_dir=target, progress=False
    )
    status = dict(zip(result["source"], result["status"], strict=True))
    assert status["cip_soc"] == "updated"
    assert status["cip_titles"].startswith("failed, kept last good")
    assert "CIPCode2020.csv" in status["cip_titles"]
    assert (target / "cip_titles.parquet").read_bytes() == before


def test_missing_file_changes_nothing_and_cli_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "empty-sources"
    src.mkdir()
    target = tmp_path / "reference"
    monkeypatch.setattr(workflows.settings, "REFERENCE_DIR", target)
    code = cli.main(["refresh", "--from", str(src), "--source", "ep_occupations", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert "ep_occupation_2024-34.xlsx" in err
    assert "Traceback" not in err
    assert not (target / "ep_occupations.parquet").exists()


def test_unknown_dataset_is_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["refresh", "--source", "nope", "--from", "data/sources"]) == 2
    assert "choose from" in capsys.readouterr().err


@responses.activate
def test_publisher_down_keeps_last_good_snapshot(tmp_path: Path) -> None:
    src = _sources_copy(tmp_path, "crosswalks")
    target = tmp_path / "reference"
    workflows.refresh(src, only=["cip_titles"], target_dir=target, progress=False)
    before = (target / "cip_titles.parquet").read_bytes()
    responses.add(
        responses.GET, "https://nces.ed.gov/ipeds/cipcode/Files/CIPCode2020.csv", status=503
    )
    result = workflows.refresh(None, only=["cip_titles"], target_dir=target, progress=False)
    assert result["status"][0].startswith("failed, kept last good")
    assert "CIPCode2020.csv" in result["status"][0]
    assert (target / "cip_titles.parquet").read_bytes() == before


@responses.activate
def test_download_refresh_parses_what_the_publisher_sent(tmp_path: Path) -> None:
    body = (SOURCES_DIR / "crosswalks/CIPCode2020.csv").read_bytes()
    responses.add(
        responses.GET,
        "https://nces.ed.gov/ipeds/cipcode/Files/CIPCode2020.csv",
        body=body,
        headers={"Content-Length": str(len(body))},
    )
    target = tmp_path / "reference"
    result = workflows.refresh(None, only=["cip_titles"], target_dir=target, progress=False)
    assert result["status"].to_list() == ["updated"]
    assert snapshots.read_manifest(target)["datasets"]["cip_titles"]["retrieved"].startswith(
        "downloaded"
    )


@responses.activate
def test_download_refresh_reads_the_bls_flat_files(tmp_path: Path) -> None:
    flat = Path(__file__).resolve().parents[1] / "fixtures" / "oews_flat"
    base = "https://download.bls.gov/pub/time.series/oe"
    for name in ("oe.data.0.Current", "oe.area", "oe.occupation", "oe.industry"):
        responses.add(responses.GET, f"{base}/{name}", body=(flat / name).read_bytes())
    target = tmp_path / "reference"
    result = workflows.refresh(None, only=["oews", "oews_areas"], target_dir=target, progress=False)
    assert result["status"].to_list() == ["updated", "updated"]
    oews = snapshots.read_dataset(target, "oews")
    boston_ma = oews.filter(
        (pl.col("area_code") == "0014460")
        & (pl.col("soc_code") == "31-9092")
        & (pl.col("industry_code") == "000000")
    )
    assert boston_ma["employment"].to_list() == [10750.0]
    areas = snapshots.read_dataset(target, "oews_areas")
    assert "0014460" in areas["area_code"].to_list()
