"""Charts as slide-sized PNG and SVG images, drawn by kaleido in the system Chromium.

Starting a browser costs 2–3 s, so the process keeps one kaleido sync server (one headless
Chromium) alive: started on the first export, stopped when the process exits. Each image after
the first takes a few hundred milliseconds. Whatever the figure carries (title, headline, the
source line under the plot) is in the image.

Images are laid out on a 1280×720 page and drawn at 1.5× (PNG) or scaled up (SVG), so a
1920×1080 image carries type large enough to read on a projected slide: the template's 18 px
body type becomes 27 px, about 13.5 pt on a 13.33-inch-wide slide.
"""

from __future__ import annotations

import atexit
import copy
import logging
import os
import re
import shutil
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import kaleido
import plotly.graph_objects as go

from charts.template import SLIDE_HEIGHT, SLIDE_WIDTH
from connectors.errors import UserError

FORMATS = ("png", "svg")
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
HOW_TO_INSTALL = (
    "install Chromium (Debian/Ubuntu: `apt-get install chromium`) or set BROWSER_PATH to a "
    "Chrome or Chromium executable"
)
# A first image waits for the browser to start; later ones take well under a second.
RENDER_TIMEOUT_S = 90.0
PIXEL_RATIO = 1.5
SOURCE_PREFIXES = ("Source", "Sources")


log = logging.getLogger("gapboard.exports")


class ExportUnavailable(UserError):
    """Chart images cannot be drawn here (no usable Chrome/Chromium); the message says how to fix it."""


_lock = threading.Lock()
_state: dict[str, Any] = {"browser": None, "broken": None, "atexit": False, "hook": None}


def find_browser() -> str | None:
    """Return the path of the Chrome/Chromium kaleido will use (BROWSER_PATH first, then PATH), or None."""
    configured = os.environ.get("BROWSER_PATH", "").strip()
    if configured:
        path = Path(configured)
        return str(path) if path.is_file() and os.access(path, os.X_OK) else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def images_available() -> bool:
    """Return True when a browser for chart images is present (the app hides image buttons otherwise)."""
    return _state["broken"] is None and find_browser() is not None


def to_png(
    fig: go.Figure, scale: float = 1, width: int = SLIDE_WIDTH, height: int = SLIDE_HEIGHT
) -> bytes:
    """Return the figure as PNG bytes, width × height pixels times scale (1920×1080 by default)."""
    return to_image(fig, "png", scale=scale, width=width, height=height)


def to_svg(fig: go.Figure, width: int = SLIDE_WIDTH, height: int = SLIDE_HEIGHT) -> bytes:
    """Return the figure as SVG bytes laid out at width × height (1920×1080 by default)."""
    return to_image(fig, "svg", width=width, height=height)


def to_image(
    fig: go.Figure,
    fmt: str,
    scale: float = 1,
    width: int = SLIDE_WIDTH,
    height: int = SLIDE_HEIGHT,
) -> bytes:
    """Return the figure drawn as "png" or "svg"; raise ExportUnavailable without a usable browser."""
    if fmt not in FORMATS:
        raise UserError(f"cannot draw a chart as '{fmt}'; choose {' or '.join(FORMATS)}")
    page_w, page_h = round(width / PIXEL_RATIO), round(height / PIXEL_RATIO)
    figure = slide_layout(fig, page_w, page_h)
    opts = {"format": fmt, "width": page_w, "height": page_h, "scale": scale * PIXEL_RATIO}
    with _lock:  # the sync server answers one request at a time, in order
        _ensure_server()
        try:
            data = _call(figure, opts)
        finally:
            if not _state["atexit"]:
                # Registered once the browser is up, after the hooks that remove its temporary
                # folders, so it runs before them (atexit is last-in, first-out) and the
                # browser closes while the interpreter is still whole.
                atexit.register(stop_server)
                _state["atexit"] = True
    if fmt == "svg":
        data = _svg_size(data, width, height)
    return data


def slide_layout(fig: go.Figure | dict[str, Any], width: int, height: int) -> dict[str, Any]:
    """Return the figure as a dict laid out for a width × height page, its source line kept in view.

    The source line (an annotation starting with "Source") is wrapped to the page width and pinned
    to the bottom edge below the axis title; the figure's own height is dropped for the page's.
    """
    figure = copy.deepcopy(fig.to_dict() if isinstance(fig, go.Figure) else fig)
    layout = figure.setdefault("layout", {})
    layout.pop("width", None)
    layout.pop("height", None)
    title = layout.get("title")
    if isinstance(title, dict) and title.get("text") and "pad" not in title:
        # The template pins titles to the page's left edge; on a slide they need a little air.
        title["pad"] = {"l": 24, "t": 8}
    outside = [
        t
        for t in figure.get("data") or []
        if t.get("type") == "bar"
        and t.get("orientation") == "h"
        and t.get("textposition") == "outside"
    ]
    if outside:
        # Value labels outside the longest bar are drawn in the right margin: leave room for them.
        longest = max(len(str(v)) for t in outside for v in (t.get("text") or [""]))
        margin = layout.setdefault("margin", {})
        margin["r"] = max(
            int(margin.get("r") or 0), int(longest * 0.6 * _font_size(layout, 18)) + 16
        )
    annotations = layout.get("annotations") or []
    sources = [a for a in annotations if str(a.get("text", "")).startswith(SOURCE_PREFIXES)]
    if not sources:
        return figure
    base = _font_size(layout, 18)
    note = sources[-1]
    size = float((note.get("font") or {}).get("size") or 14)
    left = _left_margin_estimate(figure, base, width)
    per_line = max(40, int((width - left - 30) / (0.52 * size)))
    text = "<br>".join(_wrap(str(note["text"]).replace("<br>", " "), per_line))
    lines = text.count("<br>") + 1
    has_axis_title = bool(((layout.get("xaxis") or {}).get("title") or {}).get("text"))
    axis_space = base * 1.6 + (base * 1.6 + 12 if has_axis_title else 0) + 20
    pad = 12
    margin = layout.setdefault("margin", {})
    bottom = max(int(margin.get("b") or 0), int(axis_space + lines * size * 1.35 + pad))
    margin["b"] = bottom
    # With the bottom margin fixed, yshift counts from the plot's bottom edge: the line's foot
    # lands `pad` pixels above the page's bottom whatever the plot's height.
    note.update(text=text, y=0, yref="paper", yanchor="bottom", yshift=-(bottom - pad))
    return figure


def write_image(fig: go.Figure, out: Path, scale: float = 1) -> Path:
    """Write the figure to out as PNG or SVG (chosen by the suffix) and return the path."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UserError(f"{out}: cannot write a chart as '{out.suffix}'; use .png or .svg")
    data = to_image(fig, fmt, scale=scale)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, out)
    return out


def stop_server() -> None:
    """Stop the browser behind chart images, if this process started one (runs at exit)."""
    with _lock:
        if _state["browser"] is not None:
            kaleido.stop_sync_server(silence_warnings=True)
        _state["browser"] = None


def _ensure_server() -> None:
    if _state["broken"] is not None:
        raise ExportUnavailable(_state["broken"])
    if _state["browser"] is not None:
        return
    browser = find_browser()
    if browser is None:
        configured = os.environ.get("BROWSER_PATH", "").strip()
        where = (
            f"BROWSER_PATH={configured} is not an executable file"
            if configured
            else "no Chrome or Chromium on PATH"
        )
        raise ExportUnavailable(f"chart images need a browser ({where}): {HOW_TO_INSTALL}")
    if not _state.get("hook"):
        _state["hook"] = threading.excepthook
        threading.excepthook = _server_thread_failed
        # The browser driver's log (watchdog warnings, a garbled message while the browser shuts
        # down) means nothing to a person exporting a chart; failures reach them as
        # ExportUnavailable, and the driver's exceptions are raised, not logged.
        for name in ("choreographer", "kaleido", "logistro"):
            if logging.getLogger(name).level == logging.NOTSET:
                logging.getLogger(name).setLevel(logging.CRITICAL)
    # mathjax=False: charts use no LaTeX, and kaleido would otherwise fetch MathJax from a CDN.
    kaleido.start_sync_server(path=browser, mathjax=False, silence_warnings=True)
    _state["browser"] = browser
    # Registered after kaleido's own hook, so it runs first (atexit is last-in, first-out) and
    # closes the browser while the interpreter is still whole.
    atexit.register(stop_server)


def _call(figure: dict[str, Any], opts: dict[str, Any]) -> bytes:
    """Render through the sync server, watching it: if its browser never starts, kaleido would wait forever."""
    done = threading.Event()
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["value"] = kaleido.calc_fig_sync(figure, opts=opts)
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, name="gapboard-image", daemon=True).start()
    deadline = time.monotonic() + RENDER_TIMEOUT_S
    while not done.wait(0.05):
        if not _server_thread_alive():
            browser = _state["browser"]
            kaleido.stop_sync_server(silence_warnings=True)
            _state["browser"] = None
            raise ExportUnavailable(
                f"the browser at {browser} did not start (is it a working Chrome/Chromium?): "
                + HOW_TO_INSTALL
            )
        if time.monotonic() > deadline:
            _state["broken"] = (
                f"the browser at {_state['browser']} stopped answering after "
                f"{RENDER_TIMEOUT_S:.0f} s; restart Gapboard, or {HOW_TO_INSTALL}"
            )
            raise ExportUnavailable(_state["broken"])
    if "error" in box:
        raise box["error"]
    return bytes(box["value"])


def _server_thread_failed(args: Any) -> None:
    """A browser that fails to start kills kaleido's server thread: log it, the caller gets one line."""
    server = getattr(kaleido, "_global_server", None)
    if args.thread is not None and args.thread is getattr(server, "_thread", None):
        log.debug(
            "kaleido server thread stopped",
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )
        return
    _state["hook"](args)


def _server_thread_alive() -> bool:
    # kaleido keeps its server thread private; without it we can only wait for the timeout.
    server = getattr(kaleido, "_global_server", None)
    thread = getattr(server, "_thread", None)
    return thread is None or thread.is_alive()


def _font_size(layout: dict[str, Any], default: float) -> float:
    size = (layout.get("font") or {}).get("size")
    if size is None:
        template = (layout.get("template") or {}).get("layout") or {}
        size = (template.get("font") or {}).get("size")
    return float(size or default)


def _left_margin_estimate(figure: dict[str, Any], base: float, width: int) -> float:
    """Horizontal bars put their category labels left of the plot: the source line starts after them."""
    longest = 0
    for trace in figure.get("data") or []:
        if trace.get("orientation") == "h":
            labels = trace.get("y") or []
            longest = max([longest] + [len(str(v)) for v in labels])
    return min(longest * 0.5 * base + 20, 0.45 * width)


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False) or [text]


def _svg_size(data: bytes, width: int, height: int) -> bytes:
    """The SVG keeps its 1280×720 viewBox and states the slide size, so it opens at 1920×1080."""
    head, sep, rest = data.partition(b">")
    head = re.sub(rb'\swidth="[^"]*"', f' width="{width}"'.encode(), head, count=1)
    head = re.sub(rb'\sheight="[^"]*"', f' height="{height}"'.encode(), head, count=1)
    return head + sep + rest
