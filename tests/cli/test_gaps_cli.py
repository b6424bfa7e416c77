"""The command-line contract for `gapboard gaps`: design columns, real numbers, scenarios, errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import cli
import workflows
from analytics import access
from connectors import warehouse

FOCUS = ["31-1131", "31-9092", "31-9093"]  # CNA, Medical Assistant, Sterile Processing


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


def rows(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, object]]:
    code, out, err = run([*args, "--format", "json"], capsys)
    assert code == 0, err
    return {r["soc_code"]: r for r in json.loads(out)}


def test_southeast_michigan_shows_cna_ma_and_sterile_processing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    got = rows(["gaps", "--region", "southeast-michigan", "--soc", *FOCUS], capsys)
    assert list(got) == ["31-1131", "31-9092", "31-9093"]  # largest shortfall first
    demand = {
        r["soc_code"]: r for r in workflows.demand("southeast-michigan", FOCUS).demand.to_dicts()
    }
    for soc, row in got.items():
        assert set(row) == {"region_id", "soc_code", "title", "annual_openings", "annual_supply", "gap", "coverage"}  # fmt: skip
        assert row["annual_openings"] == round(demand[soc]["annual_openings"])
        assert row["annual_supply"] > 0
        assert abs(row["gap"] - (row["annual_openings"] - row["annual_supply"])) <= 1
        assert 0 < row["coverage"] < 1
    # Medical assistants: about 560 completers a year from the region's IPEDS certificates
    # against about 2,230 openings.
    assert 500 < got["31-9092"]["annual_supply"] < 650
    assert got["31-9092"]["title"] == "Medical Assistants"
    assert got["31-9093"]["title"] == "Medical Equipment Preparers"


def test_csv_has_the_design_columns_and_assumptions_go_to_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["gaps", "--region", "greater-boston", "--format", "csv"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "region_id,soc_code,title,annual_openings,annual_supply,gap,coverage"
    assert len(lines) > 300  # every occupation with regional demand
    assert "IPEDS completions 2022–2024 avg" in err
    assert "upper bound" in err and "OEWS publishes no county estimates" in err


def test_table_reads_as_people_and_percent(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["gaps", "--region", "southeast-michigan", "--soc", *FOCUS], capsys)
    assert code == 0
    assert "Nursing Assistants" in out and "Medical Equipment Preparers" in out
    assert "%" in out


def test_pathway_and_placement_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    base = rows(["gaps", "--region", "southeast-michigan", "--soc", "31-9092"], capsys)["31-9092"]
    more = rows(
        ["gaps", "--region", "southeast-michigan", "--soc", "31-9092", "--pathway", "31-9092=100"],
        capsys,
    )["31-9092"]
    assert more["annual_supply"] == base["annual_supply"] + 100
    assert more["annual_openings"] == base["annual_openings"]
    half = rows(
        [
            "gaps",
            "--region",
            "southeast-michigan",
            "--soc",
            "31-9092",
            "--ipeds-placement-rate",
            "0.5",
        ],
        capsys,
    )["31-9092"]
    assert abs(half["annual_supply"] - base["annual_supply"] / 2) <= 1


def test_member_programs_count_only_inside_the_region(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = rows(["gaps", "--region", "southeast-michigan", "--soc", "31-1131"], capsys)["31-1131"]
    feed = tmp_path / "programs.csv"
    feed.write_text(
        "provider,program,cip_code,award_level,county_fips,annual_completers,placement_rate,annual_seats\n"
        "Detroit Health Academy,CNA evening cohort,51.3902,certificate,26163,60,0.8,80\n"
        "Boston Care Institute,CNA,51.3902,certificate,25025,500,0.9,500\n",
        encoding="utf-8",
    )
    summary = workflows.ingest_feed("programs", feed)
    assert summary.accepted == 2
    after = rows(["gaps", "--region", "southeast-michigan", "--soc", "31-1131"], capsys)["31-1131"]
    # 51.3902 feeds only Nursing Assistants: 60 completers x 0.8; the Boston program is elsewhere.
    assert after["annual_supply"] == before["annual_supply"] + 48
    result = workflows.gaps("southeast-michigan", soc_codes=["31-1131"])
    assert result.gaps["member_supply"].to_list() == [pytest.approx(48.0)]
    wayne = result.county_supply.filter(
        (result.county_supply["county_fips"] == "26163")
        & (result.county_supply["soc_code"] == "31-1131")
    )
    assert wayne["member_supply"].to_list() == [pytest.approx(48.0)]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["gaps", "--region", "atlantis"], ["atlantis", "southeast-michigan"]),
        (["gaps", "--region", "southeast-michigan", "--pathway", "31-9092=lots"], ["31-9092=lots"]),
        (["gaps", "--region", "southeast-michigan", "--pathway", "99-9999=5"], ["99-9999"]),
        (["gaps", "--region", "southeast-michigan", "--soc", "31-9098"], ["31-9098"]),
        (["gaps", "--region", "southeast-michigan", "--vacancy-weight", "2"], ["vacancy weight"]),
    ],
)
def test_user_errors_exit_2_with_one_line(
    args: list[str], words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(args, capsys)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    for word in words:
        assert word in lines[0]


def test_vacancy_weight_blends_disclosed_member_openings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    projected = rows(["gaps", "--region", "southeast-michigan", "--soc", "31-9092"], capsys)
    # Four employers post medical-assistant openings in Wayne County over three months
    # (March-May 2025): 3 + 2 + 2 + 1 = 8 openings, so 8 x 12 / 3 = 32 a year.
    posts = [("Harbor", "2025-03-03", 3), ("Lakeside", "2025-04-07", 2), ("Riverview", "2025-05-12", 2), ("Northgate", "2025-05-20", 1)]  # fmt: skip
    for member, posted, openings in posts:
        feed = tmp_path / f"{member}.csv"
        feed.write_text(
            "posting_id,title,posted_date,county_fips,soc_code,openings\n"
            f"{member}-1,Medical Assistant,{posted},26163,31-9092,{openings}\n",
            encoding="utf-8",
        )
        workflows.ingest_feed("vacancies", feed, member=member)
    signal = workflows.vacancy_signal("southeast-michigan", last_months=12)
    window = signal.filter(signal["month"].is_null() & (signal["soc_code"] == "31-9092"))
    assert window["openings"].to_list() == [8] and window["months"].to_list() == [3]
    blended = rows(
        ["gaps", "--region", "southeast-michigan", "--soc", "31-9092", "--vacancy-weight", "0.5"],
        capsys,
    )["31-9092"]
    expected = (
        0.5 * workflows.demand("southeast-michigan", ["31-9092"]).demand["annual_openings"][0]
        + 0.5 * 32
    )
    assert blended["annual_openings"] == round(expected)
    assert blended["annual_openings"] < projected["31-9092"]["annual_openings"]
    # Seen by one of the four, the rest are three employers: still shown; its own numbers too.
    harbor = access.Viewer("h", "Harbor", "Harbor", access.Role.EMPLOYER)
    mine = workflows.vacancy_signal("southeast-michigan", harbor)
    march = mine.filter(mine["month"].is_not_null() & (mine["soc_code"] == "31-9092")).sort("month")
    assert march["status"].to_list() == ["suppressed"] * 3  # one employer a month
    assert march["own_openings"].to_list() == [3, 0, 0]
