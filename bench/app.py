"""Page speed with Streamlit's AppTest: cold start to first chart, re-render cached and uncached.

Cold start runs in a fresh Python process (imports included), the way a new server's first visitor
meets the app. Re-renders run the same page again: with the region's numbers already cached, and
for a region not computed before in that process.

Run: `python -m bench.app`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

from settings import ROOT

PAGES = [
    "views/overview.py",
    "views/demand.py",
    "views/gaps.py",
    "views/training.py",
    "views/pathways.py",
    "views/outcomes.py",
    "views/vacancies.py",
    "views/sources.py",
]
REGIONS = ["greater-boston", "chicagoland", "southeast-michigan", "michigan"]

_COLD = """
import time, json
t0 = time.perf_counter()
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({app!r}, default_timeout=120)
at.run()
elapsed = time.perf_counter() - t0
charts = len(at.get("plotly_chart"))
print(json.dumps({{"seconds": elapsed, "charts": charts, "exception": bool(at.exception)}}))
"""


def measure_cold_start() -> dict[str, Any]:
    """Return seconds from a fresh process to the Overview page's first chart (AppTest)."""
    code = _COLD.format(app=str(ROOT / "app.py"))
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    wall = time.perf_counter() - started
    result = json.loads(out.strip().splitlines()[-1])
    return {
        "cold_start_s": round(wall, 2),
        "first_chart_rendered": result["charts"] > 0 and not result["exception"],
    }


def measure_rerenders(pages: list[str] | None = None) -> list[dict[str, Any]]:
    """Return, per page, the seconds of an uncached and a cached render in one process."""
    import logging

    from streamlit.testing.v1 import AppTest

    # AppTest runs pages outside a server; Streamlit warns about that on every element.
    for name in ("streamlit", "streamlit.runtime.scriptrunner_utils.script_run_context"):
        logging.getLogger(name).setLevel(logging.ERROR)
    rows = []
    for index, page in enumerate(pages or PAGES):
        region = REGIONS[index % len(REGIONS)]
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params["region"] = region
        if page != "views/overview.py":
            at.switch_page(page)
        started = time.perf_counter()
        at.run()
        uncached = time.perf_counter() - started
        started = time.perf_counter()
        at.run()
        cached = time.perf_counter() - started
        rows.append(
            {
                "page": page.removeprefix("views/").removesuffix(".py"),
                "region_id": region,
                "uncached_ms": round(uncached * 1000),
                "cached_ms": round(cached * 1000),
                "error": bool(at.exception),
            }
        )
    return rows


def main() -> int:
    """Print the page figures as JSON."""
    print(json.dumps({"cold": measure_cold_start(), "pages": measure_rerenders()}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
