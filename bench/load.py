"""Many people on one server at once: sessions browsing and members uploading, on loopback.

One `streamlit run` server with a fresh SQLite warehouse; one headless Chromium with a separate
browser context (its own cookies, its own Streamlit session) per person. The browsing sessions open
pages with charts for different regions; the uploading sessions each send a distinct vacancy feed
through the Upload page, and the first of them sends its file a second time. Afterwards the
warehouse must hold exactly the distinct rows sent (none lost, none doubled) and no page may have
shown an exception or error box. Each action's latency (navigation or click to the element that
says it is done) is reported as percentiles.

Run: `python -m bench.load [--browsing 20] [--uploading 5]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from settings import ROOT

# (path and query, the text that says the page is there, a chart expected)
BROWSE = [
    ("?region=greater-boston", "where the openings are", True),
    ("demand?region=southeast-michigan", "demand by occupation", True),
    ("gaps?region=chicagoland", "where training falls short", True),
    ("training?region=greater-boston", "who trains for these jobs", True),
    ("?region=southeast-michigan", "where the openings are", True),
    ("sources", "Sources and vintages", False),
]
ERROR_BOXES = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def percentiles(values: list[float]) -> dict[str, float]:
    """Return p50, p90, p99 and max (nearest rank) of latencies in seconds, in milliseconds."""
    if not values:
        return {"count": 0}
    ordered = sorted(values)

    def rank(p: float) -> float:
        index = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
        return ordered[index]

    return {
        "count": len(ordered),
        "p50_ms": round(rank(50) * 1000),
        "p90_ms": round(rank(90) * 1000),
        "p99_ms": round(rank(99) * 1000),
        "max_ms": round(ordered[-1] * 1000),
    }


async def _browse(
    browser: Any, url: str, person: int, actions: int, timeout_ms: float, out: dict[str, Any]
) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 720})
    page = await context.new_page()
    try:
        for step in range(actions):
            path, heading, chart = BROWSE[(person + step) % len(BROWSE)]
            started = time.perf_counter()
            await page.goto(f"{url}/{path}", wait_until="commit")
            await page.get_by_text(heading).first.wait_for(timeout=timeout_ms)
            if chart:
                await page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=timeout_ms)
            out["browse"].append(time.perf_counter() - started)
            if await page.locator(ERROR_BOXES).count():
                text = await page.locator(ERROR_BOXES).first.inner_text()
                out["errors"].append(f"browsing {person}, {path}: {text[:200]}")
    except Exception as exc:  # a timeout or a crash is an error of the run, not of the bench
        out["errors"].append(f"browsing {person}: {type(exc).__name__}: {str(exc)[:200]}")
    finally:
        await context.close()


async def _upload(
    browser: Any, url: str, member: str, feed: Path, timeout_ms: float, out: dict[str, Any]
) -> int | None:
    """Send one feed through the Upload page; return the "Rows stored" figure shown."""
    context = await browser.new_context(viewport={"width": 1280, "height": 720})
    page = await context.new_page()
    try:
        started = time.perf_counter()
        await page.goto(f"{url}/vacancies", wait_until="commit")
        box = page.get_by_role("textbox", name="Your organization (member name)")
        await box.wait_for(timeout=timeout_ms)
        await box.fill(member)
        await box.press("Enter")
        await page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(feed))
        await page.get_by_text("1. Check the columns").wait_for(timeout=timeout_ms)
        out["upload_preview"].append(time.perf_counter() - started)
        started = time.perf_counter()
        await page.get_by_role("button", name="Store these rows").click()
        await page.get_by_text("3. Result").wait_for(timeout=timeout_ms)
        out["upload_store"].append(time.perf_counter() - started)
        if await page.locator(ERROR_BOXES).count():
            text = await page.locator(ERROR_BOXES).first.inner_text()
            out["errors"].append(f"uploading {member}: {text[:200]}")
            return None
        metric = page.locator('[data-testid="stMetric"]').filter(has_text="Rows stored")
        value = await metric.locator('[data-testid="stMetricValue"]').inner_text()
        return int(value.replace(",", "").strip())
    except Exception as exc:
        out["errors"].append(f"uploading {member}: {type(exc).__name__}: {str(exc)[:200]}")
        return None
    finally:
        await context.close()


async def _run(
    url: str, browsing: int, actions: int, feeds: list[tuple[str, Path]], timeout_s: float
) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    chromium = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    out: dict[str, Any] = {"browse": [], "upload_preview": [], "upload_store": [], "errors": []}
    timeout_ms = timeout_s * 1000
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )

        async def first_uploader_twice() -> list[int | None]:
            member, feed = feeds[0]
            return [
                await _upload(browser, url, member, feed, timeout_ms, out),
                await _upload(browser, url, member, feed, timeout_ms, out),
            ]

        tasks = [_browse(browser, url, k, actions, timeout_ms, out) for k in range(browsing)]
        uploads = [first_uploader_twice()] if feeds else []
        uploads += [_upload(browser, url, m, f, timeout_ms, out) for m, f in feeds[1:]]
        results = await asyncio.gather(*tasks, *uploads)
        await browser.close()
    stored = results[browsing:]
    out["shown_stored"] = [
        n for item in stored for n in (item if isinstance(item, list) else [item])
    ]
    return out


def _warehouse_counts(db: Path) -> tuple[int, int]:
    """Return (vacancy rows, distinct (member, posting_id)) in the warehouse file."""
    import sqlite3

    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT count(*) FROM vacancies").fetchone()[0]
        distinct = con.execute(
            "SELECT count(*) FROM (SELECT DISTINCT member, posting_id FROM vacancies)"
        ).fetchone()[0]
    return int(rows), int(distinct)


def _server_errors(log: Path) -> list[str]:
    """Return the last line of each traceback the server logged (an exception in a session)."""
    if not log.exists():
        return []
    lines = log.read_text(errors="replace").splitlines()
    errors, inside = [], False
    for k, line in enumerate(lines):
        if line.startswith("Traceback"):
            inside = True
        elif inside and line and not line.startswith((" ", "\t")):
            errors.append(f"server: {line[:300]}")
            inside = False
        if inside and k == len(lines) - 1:
            errors.append("server: a traceback without its last line")
    return errors


def run_load(
    browsing: int = 20,
    uploading: int = 5,
    actions: int = 2,
    rows_per_feed: int = 500,
    timeout_s: float = 240.0,
) -> dict[str, Any]:
    """Run the sessions at once against one fresh server; return latencies and the row check."""
    from bench import app, ingest

    folder = Path(tempfile.mkdtemp(prefix="gapboard-load-"))
    db = folder / "warehouse.sqlite"
    server_log = Path(os.environ.get("GAPBOARD_LOAD_SERVER_LOG") or folder / "server.log")
    env = {**os.environ, "GAPBOARD_WAREHOUSE_URL": f"sqlite:///{db}"}
    feeds = [
        (
            f"Load Test Member {k + 1}",
            ingest.write_vacancy_csv(folder / f"feed_{k + 1}.csv", rows_per_feed, seed=k),
        )
        for k in range(uploading)
    ]
    try:
        with app._server(ROOT / "app.py", env, timeout_s, log=server_log) as url:
            started = time.perf_counter()
            out = asyncio.run(_run(url, browsing, actions, feeds, timeout_s))
            wall = time.perf_counter() - started
        rows, distinct = _warehouse_counts(db) if db.exists() else (0, 0)
        server_errors = _server_errors(server_log)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    expected = rows_per_feed * uploading
    return {
        "browsing_sessions": browsing,
        "uploading_sessions": uploading,
        "actions_per_browsing_session": actions,
        "rows_per_feed": rows_per_feed,
        "wall_s": round(wall, 1),
        "page_loads": percentiles(out["browse"]),
        "upload_to_preview": percentiles(out["upload_preview"]),
        "store": percentiles(out["upload_store"]),
        "rows_expected": expected,
        "rows_stored": rows,
        "rows_distinct": distinct,
        "rows_shown_stored": out["shown_stored"],
        "no_row_lost_or_doubled": rows == distinct == expected,
        "errors": out["errors"] + server_errors,
    }


def main(argv: list[str] | None = None) -> int:
    """Print the load figures as JSON; exit 1 if a session failed or a row was lost or doubled."""
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--browsing", type=int, default=20)
    parser.add_argument("--uploading", type=int, default=5)
    parser.add_argument("--actions", type=int, default=2)
    parser.add_argument("--rows", type=int, default=500)
    args = parser.parse_args(argv)
    result = run_load(args.browsing, args.uploading, args.actions, args.rows)
    print(json.dumps(result, indent=2))
    return 0 if result["no_row_lost_or_doubled"] and not result["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
