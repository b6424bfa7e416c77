"""`gapboard export chart|deck`: exit 0 and one line naming the file; exit 2 and one line otherwise."""

from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation

import cli
from exports import images


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_export_deck_writes_the_file_and_names_it(
    reference: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "chicagoland.pptx"
    code, stdout, err = _run(
        ["export", "deck", "--region", "chicagoland", "--out", str(out)], capsys
    )
    assert code == 0 and stdout == ""
    assert err.strip() == f"wrote {out}"
    prs = Presentation(str(out))
    assert sum(1 for slide in prs.slides for s in slide.shapes if s.has_chart) >= 3
    assert "Chicagoland" in prs.slides[0].shapes[1].text_frame.text


@pytest.mark.slow  # starts a browser
@pytest.mark.skipif(images.find_browser() is None, reason="no Chrome/Chromium on this machine")
def test_export_chart_png(
    reference: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "openings.png"
    code, _, err = _run(
        ["export", "chart", "overview-openings", "--region", "greater-boston", "--out", str(out)],
        capsys,
    )
    assert code == 0 and err.strip() == f"wrote {out}"
    with Image.open(out) as image:
        assert image.size == (1920, 1080)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["chart", "pie", "--region", "greater-boston", "--out", "x.png"],
         "unknown chart 'pie'; charts are: overview-openings, watchlist-openings"),
        (["chart", "overview-openings", "--region", "atlantis", "--out", "x.png"],
         "unknown region 'atlantis'; regions are: greater-boston"),
        (["chart", "overview-openings", "--region", "greater-boston", "--out", "x.jpg"],
         "x.jpg: a chart is written as .png or .svg, not '.jpg'"),
        (["deck", "--region", "greater-boston", "--out", "x.pdf"],
         "x.pdf: a deck is written as .pptx, not '.pdf'"),
        (["deck", "--region", "atlantis", "--out", "x.pptx"], "unknown region 'atlantis'"),
        (["deck", "--region", "greater-boston", "--out", "no/such/folder/x.pptx"],
         "folder no/such/folder does not exist"),
    ],
)  # fmt: skip
def test_user_errors_exit_2_with_one_line(
    argv: list[str], message: str, reference: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, stdout, err = _run(["export", *argv], capsys)
    assert code == 2 and stdout == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("gapboard export: ") and message in err
