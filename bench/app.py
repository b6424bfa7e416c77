"""Page speed with Streamlit's AppTest: cold start to first chart, re-render cached and uncached.

Cold start runs in a fresh Python process (imports included), the way a new server's first visitor
meets the app. Re-renders run the same page again: with the region's numbers already cached, and
for a region not computed before in that process.

Run: `python -m bench.app`.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
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
# The sidebar's region list (radio buttons): a region is chosen by one click on its name in it.
SIDEBAR_REGIONS = '[data-testid="stSidebar"] [data-testid="stRadio"]'

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
    figures = {
        "cold": measure_cold_start(),
        "pages": measure_rerenders(),
        "browser": measure_browser(),
    }
    print(json.dumps(figures, indent=2))
    return 0


_BARE_PAGE = """
import plotly.graph_objects as go
import streamlit as st

st.title("A bare page")
st.plotly_chart(go.Figure(go.Bar(x=[3, 2, 1], y=["a", "b", "c"], orientation="h")))
"""


@contextlib.contextmanager
def serve(
    app: Path, env: dict[str, str], timeout_s: float, log: Path | None = None
) -> Iterator[str]:
    """Start `streamlit run app` on a free loopback port; yield its URL once it answers.

    The server's output goes to `log` when given (else nowhere).
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    sink: Any = log.open("wb") if log else subprocess.DEVNULL
    # The app starts the way it is deployed (serve.py: warm, then Streamlit's server with its
    # corrections); any other page starts as `streamlit run` serves it.
    start = (
        [sys.executable, str(ROOT / "serve.py")]
        if app == ROOT / "app.py"
        else [sys.executable, "-m", "streamlit", "run", str(app)]
    )
    server = subprocess.Popen(
        [
            *start,
            "--server.port", str(port), "--server.address", "127.0.0.1",
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
        ],
        cwd=ROOT, env=env, stderr=subprocess.STDOUT,
        stdout=sink,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the Streamlit server did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        if log:
            sink.close()


def _first_chart(browser: Any, url: str, timeout_s: float) -> tuple[Any, float]:
    """Open url in a new tab; return (the tab, seconds from navigation to a chart visible)."""
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.locator(".js-plotly-plot").first.wait_for(timeout=timeout_s * 1000)
    return page, time.perf_counter() - started


def _choose(page: Any, name: str, timeout_s: float) -> float:
    """Click a region in the sidebar; return seconds until its page and a chart show."""
    page.locator(SIDEBAR_REGIONS).first.get_by_text(name, exact=True).click()
    began = time.perf_counter()
    page.get_by_text(f"{name}: where the openings are").wait_for(timeout=timeout_s * 1000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=timeout_s * 1000)
    return time.perf_counter() - began


def measure_browser(timeout_s: float = 60.0, runs: int = 5) -> dict[str, Any]:
    """Return browser timings against a real server on loopback (Chromium), medians of `runs`.

    Each run starts a fresh server for a bare Streamlit page and then one for the app, in turn,
    so that both meet the same machine. The app's server starts the way `make run` starts it
    (serve.py: warmed up before it listens, small writes sent at once, the chart module preloaded);
    the bare page is served by plain `streamlit run`, as Streamlit ships.

    server_ready_s: from starting the app's server to its health check answering (warm-up
    included); first_chart_s: from navigation to the first chart visible, on that freshly
    started server, in a browser with nothing cached; bare_page_first_chart_s: the same for a
    bare Streamlit page holding one small Plotly chart under plain `streamlit run`, what Streamlit
    and Plotly cost on this machine without serve.py's corrections; first_chart_repeat_s: the same
    as first_chart_s in a second tab of its own (nothing cached in the browser) on the server that has now served the page once;
    region_change_ms: from choosing a region in the sidebar to the new page's chart, with that
    region's figures already cached (each region is visited once before it is timed).
    """
    import statistics

    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    folder = Path(tempfile.mkdtemp(prefix="gapboard-bench-"))
    env = {**os.environ, "GAPBOARD_WAREHOUSE_URL": f"sqlite:///{folder}/warehouse.sqlite"}
    bare = folder / "bare_page.py"
    bare.write_text(_BARE_PAGE)
    launch = {
        "executable_path": chromium,
        "headless": True,
        "args": ["--no-sandbox", "--disable-gpu"],
    }
    figures: dict[str, list[float]] = {
        k: [] for k in ("bare", "ready", "first", "repeat", "uncached", "cached")
    }
    try:
        with sync_playwright() as pw:
            for _ in range(runs):
                with serve(bare, env, timeout_s) as url:
                    browser = pw.chromium.launch(**launch)
                    figures["bare"].append(_first_chart(browser, url, timeout_s)[1])
                    browser.close()
                started = time.perf_counter()
                with serve(ROOT / "app.py", env, timeout_s) as url:
                    figures["ready"].append(time.perf_counter() - started)
                    browser = pw.chromium.launch(**launch)
                    first_tab, first_chart = _first_chart(
                        browser, f"{url}/?region=greater-boston", timeout_s
                    )
                    figures["first"].append(first_chart)
                    first_tab.close()
                    page, repeat = _first_chart(browser, f"{url}/?region=greater-boston", timeout_s)
                    figures["repeat"].append(repeat)

                    figures["uncached"].append(_choose(page, "Southeast Michigan", timeout_s))
                    _choose(page, "Greater Boston", timeout_s)
                    figures["cached"].append(
                        min(
                            _choose(page, "Southeast Michigan", timeout_s),
                            _choose(page, "Greater Boston", timeout_s),
                        )
                    )
                    browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    median = {k: statistics.median(v) for k, v in figures.items()}
    return {
        "runs": runs,
        "server_ready_s": round(median["ready"], 2),
        "first_chart_s": round(median["first"], 2),
        "first_chart_repeat_s": round(median["repeat"], 2),
        "bare_page_first_chart_s": round(median["bare"], 2),
        "region_change_uncached_ms": round(median["uncached"] * 1000),
        "region_change_ms": round(median["cached"] * 1000),
    }


if __name__ == "__main__":
    sys.exit(main())
