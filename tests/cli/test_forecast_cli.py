"""The command-line contract of `gapboard forecast` and `gapboard backtest`."""

import json
from pathlib import Path

import pytest

import cli

FIXTURE = Path(__file__).parents[1] / "fixtures" / "forecast" / "monthly_series.csv"
FORECAST_COLUMNS = ["series_id", "period", "forecast", "lo80", "hi80", "lo95", "hi95", "model"]
BACKTEST_COLUMNS = ["series_id", "model", "mase", "smape", "coverage80"]


def test_forecast_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["forecast", str(FIXTURE), "--horizon", "6", "--format", "csv"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].split(",") == FORECAST_COLUMNS
    assert len(lines) == 1 + 3 * 6
    assert lines[1].startswith("CEU6562000101,2019-10,")
    assert "trend (short series)" in captured.out
    assert "1 series under 24 months" in captured.err
    assert "Traceback" not in captured.err


def test_forecast_json_intervals_hold_the_forecast(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["forecast", str(FIXTURE), "--horizon", "3", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 9 and list(rows[0]) == FORECAST_COLUMNS
    for row in rows:
        assert row["lo95"] <= row["lo80"] <= row["forecast"] <= row["hi80"] <= row["hi95"]
    jolts = [r for r in rows if r["series_id"] == "JTSJOL"]
    assert [r["period"] for r in jolts] == ["2020-01", "2020-02", "2020-03"]


def test_forecast_growth_for_short_series(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["forecast", str(FIXTURE), "--horizon", "12", "--growth", "2", "--format", "json"]
    assert cli.main(args) == 0
    short = [r for r in json.loads(capsys.readouterr().out) if r["series_id"].startswith("SMS25")]
    level = (3715.9 + 3715.2 + 3722.2) / 3
    assert short[-1]["forecast"] == pytest.approx(level * 1.02, abs=0.01)


def test_backtest_csv(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["backtest", str(FIXTURE), "--horizon", "6", "--origins", "2", "--format", "csv"]
    assert cli.main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split(",") == BACKTEST_COLUMNS
    models = {line.split(",")[1] for line in lines[1:] if line.startswith("CEU6562000101,")}
    assert models >= {"selected", "seasonal naive", "ets", "arima", "theta"}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "file not found"),
        ("series_id,month\nA,2020-01\n", "missing column(s) value"),
        (b"\x00\x01\x02\x03", "binary data"),
        ("series_id,period,value\nA,2020-01,x\n", "value 'x' is not a number"),
    ],
)
@pytest.mark.parametrize("command", ["forecast", "backtest"])
def test_user_errors_exit_2_with_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    content: str | bytes | None,
    expected: str,
) -> None:
    path = tmp_path / "input.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    assert cli.main([command, str(path), "--horizon", "3"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"gapboard {command}: ")
    assert expected in captured.err
    assert "Traceback" not in captured.err


def test_bad_horizon_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["forecast", str(FIXTURE), "--horizon", "0"]) == 2
    assert "--horizon must be between 1 and 60" in capsys.readouterr().err
