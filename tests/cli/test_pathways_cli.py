"""The command-line contract for `gapboard pathways`: design columns, real wages, errors, ROI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

import cli
import settings
import workflows
from connectors import snapshots, warehouse

DESIGN = ["from_soc", "from_title", "similarity", "wage_uplift_pct", "entry_education", "programs"]
BOSTON_MSA = "0014460"


@pytest.fixture(autouse=True)
def empty_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'warehouse.sqlite'}"
    monkeypatch.setenv("GAPBOARD_WAREHOUSE_URL", url)
    yield url
    warehouse.close_warehouse(url)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _boston_median(soc: str) -> float:
    oews = snapshots.read_dataset(workflows.reference_dir(), "oews")
    row = oews.filter(
        pl.col("area_code") == BOSTON_MSA,
        pl.col("soc_code") == soc,
        pl.col("industry_code") == "000000",
    )
    return float(row["annual_median_wage"][0])


def test_feeders_into_medical_assistants_in_greater_boston(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        ["pathways", "--to", "31-9092", "--region", "greater-boston", "--format", "json"], capsys
    )
    assert code == 0, err
    rows = json.loads(out)
    assert len(rows) == 15
    assert list(rows[0])[: len(DESIGN)] == DESIGN
    feeders = [r["from_soc"] for r in rows]
    assert "31-9092" not in feeders
    assert feeders[0] == "43-6013"
    assert {"31-9097", "29-2052", "31-1131"} <= set(feeders)
    secretary = rows[0]
    # OEWS May 2025, Boston-Cambridge-Newton: both medians are the metro's own.
    expected = (_boston_median("31-9092") / _boston_median("43-6013") - 1) * 100
    assert secretary["wage_uplift_pct"] == round(expected, 1)
    assert secretary["wage_source"] == "region"
    assert secretary["entry_education"] == "Postsecondary nondegree award"
    assert secretary["no_bachelors_needed"] is True
    assert secretary["skills_to_gain"].startswith("Science (+1.5)")
    # Programs: the region's IPEDS programs the gap counts for medical assistants.
    supply = workflows.supply("greater-boston").supply
    programs = supply.filter(pl.col("soc_code") == "31-9092", pl.col("share") > 0).height
    assert secretary["programs"] == programs > 5
    assert "Wages: OEWS May 2025 medians for Greater Boston" in err


def test_csv_header_and_where_a_worker_can_go(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["pathways", "--from", "43-6013", "--top", "5", "--format", "csv"], capsys)
    assert code == 0, err
    frame = pl.read_csv(out.encode(), infer_schema=False)
    assert frame.columns[:6] == [
        "to_soc", "to_title", "similarity", "wage_uplift_pct", "entry_education", "programs",
    ]  # fmt: skip
    assert frame.height == 5
    assert "31-9092" in frame["to_soc"].to_list()
    assert "43-6013" not in frame["to_soc"].to_list()
    assert "United States" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "99-9999"], "'99-9999' is not an occupation O*NET rates skills for"),
        (["--to", "31-1120"], "31-1121, 31-1122"),
        (["--from", "nurse"], "'nurse' is not a SOC code"),
        ([], "give --to SOC"),
        (["--to", "31-9092", "--region", "atlantis"], "unknown region 'atlantis'"),
    ],
)
def test_user_errors_exit_2_with_one_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["pathways", *args], capsys)
    assert code == 2
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1


def _load_boston_programs() -> None:
    for kind in ("programs", "placements"):
        workflows.ingest_feed(
            kind,
            settings.SAMPLES_DIR / f"{kind}_greater-boston_illustrative.csv",
            is_sample=True,
        )


def test_roi_of_front_desk_to_medical_assistant(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["pathways", "--to", "31-9092", "--from", "43-6013", "--region", "greater-boston",
         "--format", "json"],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out) == []
    assert "No member program in Greater Boston trains for Medical Assistants" in err

    _load_boston_programs()
    code, out, err = run(
        ["pathways", "--to", "31-9092", "--from", "43-6013", "--region", "greater-boston",
         "--as-of", "2026-10-31", "--format", "json"],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    rows = json.loads(out)
    assert [r["program"] for r in rows] == ["Medical Assistant"]
    row = rows[0]
    # programs_greater-boston_illustrative.csv: cost 4,200 per participant, completion 0.62.
    assert (row["cost"], row["completion_rate"]) == (4200, 0.62)
    # The placements file itself, counted by hand: completed and hired by 2026-10-31.
    sample = pl.read_csv(
        settings.SAMPLES_DIR / "placements_greater-boston_illustrative.csv", infer_schema=False
    ).filter(
        pl.col("Provider").str.starts_with("Merrimack"),
        pl.col("Program") == "Medical Assistant",
        pl.col("Completed On") <= "2026-10-31",
    )
    hired = sample.filter(pl.col("Hired On").is_not_null(), pl.col("Hired On") <= "2026-10-31")
    rate = hired.height / sample.height
    assert row["placement_rate"] == round(rate, 3)
    assert row["cost_per_placement"] == round(4200 / (0.62 * rate))
    assert row["hire_hourly_wage"] == round(hired["Hourly Wage"].cast(pl.Float64).median(), 2)
    prior = _boston_median("43-6013") / 2080
    assert row["prior_hourly_wage"] == round(prior, 2)
    gain = (row["hire_hourly_wage"] - prior) * 2080
    assert abs(row["annual_wage_gain_per_placed"] - gain) < 15
    assert "illustrative sample data" in err
