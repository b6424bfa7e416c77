"""The command-line contract for reference data: demand, regions, sources."""

import json

import polars as pl
import pytest

import cli
from connectors import snapshots
from workflows import reference_dir


def _oews_employment(area_code: str, soc: str) -> float:
    oews = snapshots.read_dataset(reference_dir(), "oews")
    row = oews.filter(
        (pl.col("area_code") == area_code)
        & (pl.col("soc_code") == soc)
        & (pl.col("industry_code") == "000000")
    )
    assert row.height == 1
    return float(row["employment"][0])


@pytest.mark.parametrize(
    ("region", "area"),
    [("greater-boston", "0014460"), ("chicagoland", "0016980")],
)
def test_demand_base_employment_equals_oews_msa(
    region: str, area: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["demand", "--region", region, "--soc", "31-9092", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 1
    assert rows[0]["soc_code"] == "31-9092"
    assert rows[0]["base_employment"] == _oews_employment(area, "31-9092")
    assert rows[0]["annual_openings"] > 0
    assert set(rows[0]) >= {
        "region_id", "soc_code", "title", "base_year", "base_employment", "projected_year",
        "projected_employment", "growth_pct", "annual_openings", "median_annual_wage", "entry_education",
    }  # fmt: skip


def test_southeast_michigan_detroit_part_equals_oews(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        cli.main(
            ["demand", "--region", "southeast-michigan", "--soc", "31-9092", "--format", "json"]
        )
        == 0
    )
    captured = capsys.readouterr()
    row = json.loads(captured.out)[0]
    metros = ["0019820", "0011460", "0022420", "0033780"]  # Detroit, Ann Arbor, Flint, Monroe
    assert row["base_employment"] == sum(_oews_employment(a, "31-9092") for a in metros)
    assert row["base_employment"] > _oews_employment("0019820", "31-9092")
    # The micropolitan counties are named as not included, not silently dropped.
    assert "Lenawee" in captured.err and "Shiawassee" in captured.err


def test_demand_csv_has_the_design_columns(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demand", "--region", "massachusetts", "--format", "csv"]) == 0
    header = capsys.readouterr().out.splitlines()[0].split(",")
    assert header == [
        "region_id", "soc_code", "title", "base_year", "base_employment", "projected_year",
        "projected_employment", "growth_pct", "annual_openings", "median_annual_wage", "entry_education",
    ]  # fmt: skip


def test_unknown_region_exits_2_and_lists_regions(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demand", "--region", "atlantis"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "atlantis" in err[0] and "greater-boston" in err[0] and "Traceback" not in err[0]


def test_unknown_soc_exits_2_and_says_what_exists(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demand", "--region", "illinois", "--soc", "31-9098"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "31-9098" in err[0] and "31-9092" in err[0]


def test_table_output_is_for_people(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demand", "--region", "us", "--soc", "31-1131"]) == 0
    out = capsys.readouterr().out
    assert "Nursing assistants" in out or "Nursing Assistants" in out
    assert "," in out  # thousands separators


def test_sources_lists_every_dataset_with_vintage(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["sources", "--format", "json"]) == 0
    rows = {r["dataset"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["oews"]["vintage"].startswith("May 2025")
    assert "CC BY 4.0" in rows["onet_titles"]["license"]
