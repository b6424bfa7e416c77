"""Export speed: slide-sized PNGs through the one kaleido server, SVG, and a region's deck.

The first PNG starts the browser; the target (issue #7) is the next ten PNG exports together
under 5 s. Each of the ten is a separate export of a different figure (the openings chart of ten
regions' worth of data), as a person clicking "download PNG" under ten charts would do.

Run: `python -m bench.exports [--region R] [--json PATH]`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import workflows
from exports import images

TARGET_TEN_PNG_S = 5.0


def measure(region_id: str = "greater-boston", count: int = 10) -> dict[str, Any]:
    """Return timings in seconds: first PNG (browser start), `count` more PNGs, one SVG, one deck."""
    result = workflows.demand(region_id)
    figures = [_figure(result, top) for top in range(6, 6 + count)]
    browser = images.find_browser()
    started = time.perf_counter()
    first = images.to_png(_figure(result, 15))
    first_s = time.perf_counter() - started
    each = []
    for fig in figures:
        t = time.perf_counter()
        png = images.to_png(fig)
        each.append(time.perf_counter() - t)
        assert png[:4] == b"\x89PNG"
    t = time.perf_counter()
    images.to_svg(figures[0])
    svg_s = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        workflows.build_deck(region_id, Path(tmp) / "deck.pptx")
        deck_s = time.perf_counter() - t
    total = sum(each)
    return {
        "region_id": region_id,
        "browser": browser,
        "first_png_s": round(first_s, 3),
        "first_png_bytes": len(first),
        "png_count": count,
        "png_total_s": round(total, 3),
        "png_mean_s": round(total / count, 3),
        "png_max_s": round(max(each), 3),
        "png_each_s": [round(s, 3) for s in each],
        "png_target_s": TARGET_TEN_PNG_S,
        "png_within_target": total < TARGET_TEN_PNG_S if count == 10 else None,
        "svg_s": round(svg_s, 3),
        "deck_s": round(deck_s, 3),
    }


def _figure(result: workflows.RegionDemand, top: int) -> Any:
    import charts

    return charts.openings_bars(
        result.demand,
        title=f"Top {top} occupations by annual openings, {result.region.name}",
        source=workflows.source_line(workflows.DEMAND_DATASETS, workflows.OPENINGS_METHOD),
        top=top,
        highlight=list(result.region.watchlist),
    )


def main(argv: list[str] | None = None) -> int:
    """Print the measurement as JSON (and write it to --json); exit 1 if the PNG target is missed."""
    parser = argparse.ArgumentParser(prog="python -m bench.exports", description=__doc__)
    parser.add_argument("--region", default="greater-boston")
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args(argv)
    result = measure(args.region)
    text = json.dumps(result, indent=2)
    sys.stdout.write(text + "\n")
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0 if result["png_within_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
