"""The page shell names the chart module as a preload; every other answer passes through untouched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.own_loop import run_on_own_loop
from ui import preload

SHELL = b"<html><head><title>Streamlit</title></head><body><div id=root></div></body></html>"
HREF = "./static/js/PlotlyChart.abc123.js"


def _app(body: bytes, content_type: bytes = b"text/html; charset=utf-8", parts: int = 1) -> Any:
    """A server that answers every request with `body`, in `parts` pieces; it records the request."""
    seen: dict[str, Any] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen["headers"] = dict(scope.get("headers", []))
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(len(body)).encode()),
                    (b"etag", b'"x"'),
                ],
            }
        )
        size = -(-len(body) // parts)
        for i in range(parts):
            chunk = body[i * size : (i + 1) * size]
            await send({"type": "http.response.body", "body": chunk, "more_body": i < parts - 1})

    app.seen = seen  # type: ignore[attr-defined]
    return app


def _get(
    app: Any, path: str, method: str = "GET", href: str = HREF
) -> tuple[dict[str, bytes], bytes]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "headers": [(b"host", b"x"), (b"accept-encoding", b"gzip, br")],
    }
    run_on_own_loop(lambda: preload.PreloadChartModule(app, href=href)(scope, receive, send))
    headers = dict(sent[0]["headers"])
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return headers, body


def test_the_shell_gets_the_preload_at_the_end_of_its_head_with_a_true_length() -> None:
    for path in ("/", "/demand", "/gaps"):  # Streamlit serves the shell for every page's address
        app = _app(SHELL, parts=3)
        headers, body = _get(app, path)
        tag = f'<link rel="modulepreload" crossorigin href="{HREF}">'.encode()
        assert body.count(tag) == 1
        assert body.index(tag) < body.index(b"</head>") < body.index(b"<body>")
        assert body.replace(tag + b"\n  ", b"") == SHELL  # nothing else changed
        assert int(headers[b"content-length"]) == len(body)
        # asked uncompressed, so that the page can be edited here
        assert b"accept-encoding" not in app.seen["headers"]


def test_scripts_endpoints_and_other_methods_pass_through_untouched() -> None:
    script = b"export const a = 1; // </head>"
    for path in ("/static/js/index.js", "/_stcore/health", "/media/x.png", "/component/c/x"):
        app = _app(script, content_type=b"application/javascript")
        headers, body = _get(app, path)
        assert body == script
        assert app.seen["headers"][b"accept-encoding"] == b"gzip, br"
    # an HTML answer that is not the shell's GET (a HEAD) is left as it is
    headers, body = _get(_app(SHELL), "/", method="HEAD")
    assert body == SHELL and int(headers[b"content-length"]) == len(SHELL)
    # a JSON answer at a page address (not HTML) is left as it is
    headers, body = _get(_app(b'{"a": "</head>"}', content_type=b"application/json"), "/x")
    assert body == b'{"a": "</head>"}'


def test_a_page_without_a_head_or_already_preloading_is_not_changed() -> None:
    assert preload.add_preload(b"<p>no head</p>", HREF) == b"<p>no head</p>"
    once = preload.add_preload(SHELL, HREF)
    assert preload.add_preload(once, HREF) == once


def test_the_module_is_found_in_streamlits_own_folder_or_nothing_is_added(tmp_path: Path) -> None:
    href = preload.chart_module_href()
    assert href is not None, "this Streamlit release has no single PlotlyChart.*.js chunk"
    assert (preload.static_folder() / href.removeprefix("./")).is_file()
    # another release's layout: no chunk (or two) found, and the shell is served as it comes
    (tmp_path / "static" / "js").mkdir(parents=True)
    assert preload.chart_module_href(tmp_path) is None
    for name in ("PlotlyChart.a.js", "PlotlyChart.b.js"):
        (tmp_path / "static" / "js" / name).write_text("")
    assert preload.chart_module_href(tmp_path) is None
    headers, body = _get(_app(SHELL), "/", href="")
    assert body == SHELL
