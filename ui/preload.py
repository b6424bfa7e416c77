"""The page shell asks for the chart library at once, while Streamlit's own code is still loading.

Streamlit fetches the code that draws a Plotly chart (one 4.7 MB module) only when the first chart
arrives from the server, after the sidebar's and the page's other widgets have asked for theirs:
on a 2-core machine the browser then waits about half a second for it behind those, and compiles
it only afterwards. Every Gapboard page opens on a chart, so the served page (index.html, which
Streamlit also serves for every page's own address) names that module as a `modulepreload`: the
browser fetches and compiles it while Streamlit's own code loads and the first script runs, and
the first chart shows about 0.2 s sooner (`bench/app.py` measures it). Nothing else changes: the
module is the one Streamlit would load anyway, found by name in Streamlit's own static folder; if
it is not there (another Streamlit release), the page is served as it comes.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

_LOGGER = logging.getLogger(__name__)

# Streamlit's chunk that draws st.plotly_chart: static/js/PlotlyChart.<hash>.js
CHART_MODULE_GLOB = "PlotlyChart.*.js"
# Requests for Streamlit's own files and endpoints: never the page shell.
_NOT_THE_SHELL = ("/static/", "/_stcore/", "/media/", "/component/", "/auth/")


def static_folder() -> Path:
    """Return the folder Streamlit serves its front end from (index.html, static/js/...)."""
    import streamlit

    return Path(streamlit.__file__).resolve().parent / "static"


@functools.cache
def chart_module_href(folder: Path | None = None) -> str | None:
    """Return the page-relative address of Streamlit's Plotly chunk, or None when not exactly one."""
    found = sorted((folder or static_folder()).glob(f"static/js/{CHART_MODULE_GLOB}"))
    if len(found) != 1:
        _LOGGER.info("no single %s in Streamlit's static folder; no preload", CHART_MODULE_GLOB)
        return None
    return f"./static/js/{found[0].name}"


def preload_tag(href: str) -> bytes:
    """Return the <link> that has the browser fetch and compile the module at `href` early."""
    return f'<link rel="modulepreload" crossorigin href="{href}">'.encode()


def add_preload(html: bytes, href: str) -> bytes:
    """Return the page with the preload at the end of its <head> (unchanged without a </head>)."""
    tag = preload_tag(href)
    if tag in html or b"</head>" not in html:
        return html
    return html.replace(b"</head>", tag + b"\n  </head>", 1)


class PreloadChartModule:
    """ASGI middleware: the page shell (text/html answers to GET) gets the chart module preload.

    The shell's request goes on without Accept-Encoding, so that the page arrives uncompressed
    (about 10 kB) and can be edited here; every other request passes through untouched.
    """

    def __init__(self, app: Any, href: str | None = None) -> None:
        self.app = app
        self.href = href if href is not None else chart_module_href()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        href = self.href
        if (
            not href
            or scope["type"] != "http"
            or scope.get("method") != "GET"
            or any(part in scope.get("path", "") for part in _NOT_THE_SHELL)
        ):
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"accept-encoding"]
        scope = {**scope, "headers": headers}
        start: dict[str, Any] | None = None
        body: list[bytes] = []

        async def edit(message: dict[str, Any]) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                kept = dict(message.get("headers", []))
                is_html = kept.get(b"content-type", b"").startswith(b"text/html")
                if not is_html or message.get("status") != 200:
                    await send(message)
                    return
                start = message  # held until the whole page is here
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            page = add_preload(b"".join(body), href)
            headers = [
                (k, str(len(page)).encode() if k.lower() == b"content-length" else v)
                for k, v in start.get("headers", [])
            ]
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": page, "more_body": False})

        await self.app(scope, receive, edit)
