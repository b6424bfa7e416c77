"""Many people on one server at once: sessions browsing and members uploading, on loopback.

One `streamlit run` server with a fresh SQLite warehouse and one headless Chromium. After one
visit (the server's imports and shared reference data loaded, as on a server that has been up a
while), everyone arrives within seconds (one every `ramp_s`) and stays. Each person has a tab of
their own, and so their own Streamlit session and state; the tabs share one browser profile (its
cache of the app's code), as returning visitors' browsers would hold it. Browsing people open a
page for a region, pick another region in the sidebar, open the next page, and so on. Uploading
members each send a distinct vacancy feed through the Upload page under their own member name;
the first of them sends its file a second time.

Afterwards the warehouse must hold exactly the (member, requisition) rows sent, none lost, none
doubled, none unexpected, and no page may have shown an exception or error box, nor the server
logged a traceback. Each action's latency (navigation, or a click on a region in the sidebar, to the
page's title for that region and its first chart drawn) is reported as percentiles, with the CPU
seconds the server used and what the rest of the machine used (the browser's tabs, mostly): on
loopback both share the same cores, where the people they stand for would each bring their own.

Run: `python -m bench.load [--browsing 20] [--uploading 5] [--actions 2] [--rows 500]`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.app import SIDEBAR_REGIONS
from settings import ROOT

# (page path, title after the region's name); "" is the Overview
PAGES = [
    ("", "where the openings are"),
    ("demand", "demand by occupation"),
    ("gaps", "where training falls short"),
    ("training", "who trains for these jobs"),
]
REGIONS = [
    ("greater-boston", "Greater Boston"),
    ("southeast-michigan", "Southeast Michigan"),
    ("chicagoland", "Chicagoland"),
    ("michigan", "Michigan"),
]
# The browsers share the server's cores on loopback, where the people they stand for would each
# bring their own; their animations (the running indicator, spinners, fades) are stilled so that the
# clients' software rendering takes less of the cores the server is measured on.
STILL = "*, *::before, *::after { animation: none !important; transition: none !important; }"
STILL_SCRIPT = (
    "document.addEventListener('DOMContentLoaded', () => {"
    " const s = document.createElement('style');"
    f" s.textContent = {STILL!r}; document.head.appendChild(s); }});"
)
ERROR_BOXES = '[data-testid="stException"], [data-testid="stAlertContentError"]'
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--mute-audio",
]  # fmt: skip


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


def browse_plan(person: int, actions: int) -> list[tuple[str, str, str]]:
    """Return one browsing person's steps: ("open", page, region) or ("region", page, region).

    A person opens a page for a region, then picks another region in the sidebar, then opens the
    next page, and so on; people start on different pages and regions.
    """
    steps = []
    page = person % len(PAGES)
    region = person % len(REGIONS)
    for step in range(actions):
        if step % 2 == 0:
            steps.append(("open", PAGES[page][0], REGIONS[region][0]))
            page = (page + 1) % len(PAGES)
        else:
            region = (region + 1 + person // len(REGIONS) % (len(REGIONS) - 1)) % len(REGIONS)
            steps.append(("region", PAGES[(page - 1) % len(PAGES)][0], REGIONS[region][0]))
    return steps


IDLE = (
    "document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0"
    " && !document.querySelector('[data-testid=\"stStatusWidget\"]')"
)


async def _idle(page: Any, timeout_ms: float) -> None:
    """Wait until the page's script has been finished for half a second, as a person would see it.

    A person enters their name and waits for the page before dropping a file; so does the run,
    so that the run measures what people do. (A file dropped the moment a rerun starts used to be
    lost: ui/runtime_fixes.py.)
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        await page.wait_for_function(IDLE, timeout=max(1.0, deadline - time.monotonic()) * 1000)
        await page.wait_for_timeout(500)
        if await page.evaluate(IDLE) or time.monotonic() > deadline:
            return


async def _settled(page: Any, path: str, region_id: str, timeout_ms: float) -> None:
    """Wait until the page shows its title for the region and its first chart."""
    name = dict(REGIONS)[region_id]
    title = dict(PAGES)[path]
    await page.get_by_text(f"{name}: {title}").first.wait_for(timeout=timeout_ms)
    await page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=timeout_ms)


async def _browse(
    context: Any, url: str, person: int, actions: int, timeout_ms: float, out: dict[str, Any]
) -> None:
    page = await context.new_page()
    notes: list[str] = []
    page.on("console", lambda m: notes.append(f"console {m.type}: {m.text[:300]}"))
    page.on("requestfailed", lambda r: notes.append(f"failed {r.method} {r.url[-80:]} {r.failure}"))
    page.on(
        "websocket",
        lambda ws: (
            ws.on("framesent", lambda f: notes.append(f"ws sent {len(f)} bytes")),
            ws.on("close", lambda _: notes.append("ws closed")),
        ),
    )
    where = "?"
    try:
        for kind, path, region_id in browse_plan(person, actions):
            where = f"{kind} {path or 'overview'} {region_id}"
            started = time.perf_counter()
            if kind == "open":
                await page.goto(f"{url}/{path}?region={region_id}", wait_until="commit")
            else:
                # one click on the region's name in the sidebar's region list
                await (
                    page.locator(SIDEBAR_REGIONS)
                    .first.get_by_text(dict(REGIONS)[region_id], exact=True)
                    .click(timeout=timeout_ms)
                )
            await _settled(page, path, region_id, timeout_ms)
            out["open" if kind == "open" else "region"].append(time.perf_counter() - started)
            if await page.locator(ERROR_BOXES).count():
                text = await page.locator(ERROR_BOXES).first.inner_text()
                out["errors"].append(f"browsing {person}, {where}: {text[:200]}")
    except Exception as exc:  # a timeout or a crash is an error of the run, not of the bench
        out["errors"].append(f"browsing {person}, {where}: {type(exc).__name__}: {str(exc)[:200]}")
        await _save_evidence(page, f"load-browsing-{person}", [where, *notes])
    finally:
        await page.close()


async def _save_evidence(page: Any, name: str, notes: list[str]) -> None:
    """Save a failed session's screenshot and what its page shows, with its notes, for a look."""
    shot = Path(os.environ.get("GAPBOARD_LOAD_SHOTS") or tempfile.gettempdir()) / f"{name}.png"
    with contextlib.suppress(Exception):
        await page.screenshot(path=str(shot), full_page=True)
        shown = await page.locator('[data-testid="stApp"]').inner_text()
        shot.with_suffix(".txt").write_text(shown + "\n----\n" + "\n".join(notes))


async def _upload(
    context: Any, url: str, member: str, feed: Path, timeout_ms: float, out: dict[str, Any]
) -> int | None:
    """Send one feed through the Upload page in a tab of its own; return "Rows stored"."""
    page = await context.new_page()
    notes: list[str] = []
    page.on("console", lambda m: notes.append(f"console {m.type}: {m.text[:300]}"))
    page.on(
        "response",
        lambda r: (
            notes.append(f"{r.status} {r.request.method} {r.url[-80:]}")
            if r.status >= 300 or r.request.method != "GET"
            else None
        ),
    )
    page.on("requestfailed", lambda r: notes.append(f"failed {r.method} {r.url[-80:]} {r.failure}"))
    try:
        started = time.perf_counter()
        await page.goto(f"{url}/vacancies", wait_until="commit")
        box = page.get_by_role("textbox", name="Your organization (member name)")
        await box.wait_for(timeout=timeout_ms)
        await box.fill(member)
        await box.press("Enter")
        await _idle(page, timeout_ms)
        await page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(feed))
        await page.get_by_text("1. Check the columns").wait_for(timeout=timeout_ms)
        out["upload_preview"].append(time.perf_counter() - started)
        started = time.perf_counter()
        await page.get_by_role("button", name="Store these rows").click(timeout=timeout_ms)
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
        await _save_evidence(page, f"load-{member}", notes)
        return None
    finally:
        await page.close()


async def _context(browser: Any) -> Any:
    """Return a new browser context (its own cookies and cache), animations stilled."""
    context = await browser.new_context(
        viewport={"width": 1280, "height": 720}, reduced_motion="reduce"
    )
    if os.environ.get("GAPBOARD_LOAD_ANIMATE") != "1":
        await context.add_init_script(STILL_SCRIPT)
    return context


async def _run(
    url: str,
    browsing: int,
    actions: int,
    feeds: list[tuple[str, Path]],
    timeout_s: float,
    tabs_per_browser: int,
    budget_s: float,
    ramp_s: float,
) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    chromium = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    out: dict[str, Any] = {
        "open": [],
        "region": [],
        "upload_preview": [],
        "upload_store": [],
        "errors": [],
        "warmup_s": None,
    }
    timeout_ms = timeout_s * 1000
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        # Everyone shares a browser profile (its cache of the app's code) `tabs_per_browser` at a
        # time; every tab is still its own Streamlit session with its own state.
        people = browsing + len(feeds)
        per = max(1, tabs_per_browser)
        contexts = [await _context(browser) for _ in range(math.ceil(people / per))]
        # One visit first in each, as on a server that has been up a while and browsers that have
        # seen the app: the server's imports and shared reference data are loaded once.
        for context in contexts:
            page = await context.new_page()
            started = time.perf_counter()
            await page.goto(f"{url}/?region={REGIONS[0][0]}", wait_until="commit")
            await _settled(page, PAGES[0][0], REGIONS[0][0], timeout_ms)
            out["warmup_s"] = out["warmup_s"] or time.perf_counter() - started
            await page.close()

        async def arrive(k: int, visit: Any) -> Any:
            await asyncio.sleep(k * ramp_s)
            return await visit

        async def first_uploader_twice(context: Any) -> list[int | None]:
            member, feed = feeds[0]
            return [
                await _upload(context, url, member, feed, timeout_ms, out),
                await _upload(context, url, member, feed, timeout_ms, out),
            ]

        tasks = [
            arrive(k, _browse(contexts[k // per], url, k, actions, timeout_ms, out))
            for k in range(browsing)
        ]
        for m, (member, feed) in enumerate(feeds):
            k = browsing + m
            visit = (
                first_uploader_twice(contexts[k // per])
                if m == 0
                else _upload(contexts[k // per], url, member, feed, timeout_ms, out)
            )
            tasks.append(arrive(m, visit))
        try:
            results = await asyncio.wait_for(asyncio.gather(*tasks), budget_s)
        except TimeoutError:
            out["errors"].append(f"the run did not finish within its {budget_s:.0f} s")
            results = [None] * len(tasks)
        for context in contexts:
            await context.close()
        await browser.close()
    stored = results[browsing:]
    out["shown_stored"] = [
        n for item in stored for n in (item if isinstance(item, list) else [item])
    ]
    return out


def _warehouse_rows(db: Path) -> list[tuple[str, str]]:
    """Return every stored vacancy row's (member, posting_id) in the warehouse file."""
    import sqlite3

    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT member, posting_id FROM vacancies").fetchall()
    finally:
        con.close()
    return [(str(m), str(p)) for m, p in rows]


def row_check(sent: set[tuple[str, str]], stored: list[tuple[str, str]]) -> dict[str, int]:
    """Compare the distinct (member, posting_id) rows sent with the rows stored.

    lost: sent but not stored; doubled: stored more than once; unexpected: stored but never sent.
    """
    held = set(stored)
    return {
        "rows_sent_distinct": len(sent),
        "rows_stored": len(stored),
        "rows_lost": len(sent - held),
        "rows_doubled": len(stored) - len(held),
        "rows_unexpected": len(held - sent),
    }


def _server_cpu_s() -> float:
    """Return the CPU seconds (user + system) used so far by this process's Streamlit server."""
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        # the server runs as `python serve.py ...` (the app) or `python -m streamlit run ...`
        if int(stat[1]) == os.getpid() and (b"serve.py" in cmdline or b"streamlit" in cmdline):
            return (int(stat[11]) + int(stat[12])) / tick
    return 0.0


def _machine_cpu_s() -> float:
    """Return the CPU seconds every process on the machine has used since boot (/proc/stat).

    Less the server's own, what the browser, its driver and this process used: the browser's
    renderers are not this process's children, so their time is counted here and not in rusage.
    """
    tick = os.sysconf("SC_CLK_TCK")
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    # user nice system idle iowait irq softirq steal: everything but idle and iowait is busy
    busy = [int(v) for k, v in enumerate(fields[:8]) if k not in (3, 4)]
    return sum(busy) / tick


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
    timeout_s: float = 120.0,
    tabs_per_browser: int = 25,
    budget_s: float = 300.0,
    ramp_s: float = 0.25,
) -> dict[str, Any]:
    """Run the sessions at once against one fresh server; return latencies and the row check.

    Each action waits at most `timeout_s`; the whole crowd at most `budget_s`.
    """
    import polars as pl

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
    sent = {
        (member, str(req))
        for member, feed in feeds
        for req in pl.read_csv(feed, infer_schema=False)["Req ID"]
    }
    try:
        with app.serve(ROOT / "app.py", env, timeout_s, log=server_log) as url:
            server_cpu = _server_cpu_s()
            machine_cpu = _machine_cpu_s()
            started = time.perf_counter()
            # In a thread of its own: the caller's thread may already run an event loop (a test
            # session that drove a browser through Playwright's synchronous API does).
            with ThreadPoolExecutor(max_workers=1) as pool:
                out = pool.submit(
                    asyncio.run,
                    _run(
                        url, browsing, actions, feeds, timeout_s, tabs_per_browser, budget_s, ramp_s
                    ),
                ).result()
            wall = time.perf_counter() - started
            server_cpu = _server_cpu_s() - server_cpu
            machine_cpu = _machine_cpu_s() - machine_cpu
        stored = _warehouse_rows(db) if db.exists() else []
        server_errors = _server_errors(server_log)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    check = row_check(sent, stored)
    return {
        "browsing_sessions": browsing,
        "uploading_sessions": uploading,
        "actions_per_browsing_session": actions,
        "tabs_per_browser": tabs_per_browser,
        "arrival_every_s": ramp_s,
        "rows_per_feed": rows_per_feed,
        "wall_s": round(wall, 1),
        "warmup_s": round(out["warmup_s"], 1) if out["warmup_s"] is not None else None,
        "server_cpu_s": round(server_cpu, 1),
        # the browser, its driver and everything else on the machine: on loopback the clients
        "clients_cpu_s": round(max(0.0, machine_cpu - server_cpu), 1),
        "cores_busy": round(machine_cpu / wall, 2) if wall else None,
        "page_open": percentiles(out["open"]),
        "region_change": percentiles(out["region"]),
        "upload_to_preview": percentiles(out["upload_preview"]),
        "store": percentiles(out["upload_store"]),
        **check,
        "rows_shown_stored": out["shown_stored"],
        "no_row_lost_or_doubled": check["rows_stored"] == check["rows_sent_distinct"]
        and not (check["rows_lost"] or check["rows_doubled"] or check["rows_unexpected"]),
        "errors": out["errors"] + server_errors,
    }


def main(argv: list[str] | None = None) -> int:
    """Print the load figures as JSON; exit 1 if a session failed or a row was lost or doubled."""
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--browsing", type=int, default=20)
    parser.add_argument("--uploading", type=int, default=5)
    parser.add_argument("--actions", type=int, default=2)
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--tabs-per-browser", type=int, default=25)
    args = parser.parse_args(argv)
    result = run_load(
        args.browsing,
        args.uploading,
        args.actions,
        args.rows,
        tabs_per_browser=args.tabs_per_browser,
    )
    print(json.dumps(result, indent=2))
    return 0 if result["no_row_lost_or_doubled"] and not result["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
