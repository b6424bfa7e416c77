"""A real Streamlit server on loopback and headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import app

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@contextlib.contextmanager
def serve_app(env: dict[str, str]) -> Iterator[str]:
    """Run `streamlit run app.py` on a free loopback port with `env`; yield its URL once healthy.

    The server's output goes to a server-*.log file under artifacts/, to read when a test fails.
    """
    ARTIFACTS.parent.mkdir(parents=True, exist_ok=True)
    log = Path(tempfile.mkstemp(prefix="server-", suffix=".log", dir=ARTIFACTS.parent)[1])
    with app.serve(ROOT / "app.py", env, 60, log=log) as url:
        yield url


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    warehouse = tmp_path_factory.mktemp("warehouse") / "warehouse.sqlite"
    env = {**os.environ, "GAPBOARD_WAREHOUSE_URL": f"sqlite:///{warehouse}"}
    # The illustrative samples, as `make run` loads them: outcomes, postings and meeting slides.
    subprocess.run(
        [sys.executable, "-m", "cli", "samples", "load", "--if-empty"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    with serve_app(env) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )  # fmt: skip
        yield b
        b.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1600, "height": 2200})  # type: ignore[attr-defined]
    p = context.new_page()
    yield p
    context.close()


# Slide and projector sizes the consortium's rooms use.
SCREENS = {"1080p": (1920, 1080), "720p": (1280, 720)}


@pytest.fixture(params=list(SCREENS))
def screen(request: pytest.FixtureRequest, browser: object) -> Iterator[tuple[str, object]]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width, height = SCREENS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    yield request.param, context.new_page()
    context.close()
