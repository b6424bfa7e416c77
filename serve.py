"""Start the Gapboard server warm: the app's modules loaded and its reference data read first.

`python serve.py [--section.option value ...]` (what `make run` does) serves app.py as `streamlit
run app.py [options]` does, with three differences:

- Before the server listens, and so before it prints its address or answers /_stcore/health, this
  process imports what the first page run imports (pandas, Polars, Plotly, the app's own modules:
  most of a second on a 2-core machine) and computes the default region's figures once, which
  also pays Polars' and Plotly's first-call set-up. A fresh server's first visitor then waits for
  a short page run instead of all of that. If warming fails (no reference snapshot yet, say), the
  server starts anyway and the page reports the problem as it always has.
- The page shell names the chart library's module as a preload (ui/preload.py), so the browser
  fetches and compiles it while Streamlit's own code loads: the first chart shows sooner.
- The connections the server accepts send small writes at once (ui/runtime_fixes.py): as Streamlit
  makes its socket, every answer after a connection's first waits about 40 ms on Linux.

The server is Streamlit's own ASGI app (`st.App`) with that middleware added; the options are
Streamlit's configuration options, as `streamlit run` takes them, and .streamlit/config.toml is
read as it is for `streamlit run`. `streamlit run app.py` still works, only without these three.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent

# What app.py and the Overview page import, directly or through ui/ and charts/.
WARM_MODULES = (
    "pandas",
    "polars",
    "plotly.graph_objects",
    "plotly.io",
    "workflows",
    "charts",
    "ui.auth",
    "ui.cached",
    "ui.exporting",
    "ui.runtime_fixes",
    "ui.state",
    "ui.widgets",
)

_LOGGER = logging.getLogger("gapboard.serve")


class _NoRuntimeYet(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "No runtime found" not in record.getMessage()


@contextlib.contextmanager
def _quiet_cache_decorators() -> Iterator[None]:
    """Hide Streamlit's "No runtime found" warning for each st.cache_data defined before the server.

    Decorating only checks the cache's options; each cache is made at its first call, in a page
    run, on the server's own storage, so the warning says nothing true here.
    """
    logger = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    quiet = _NoRuntimeYet()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


def warm_up() -> float:
    """Import the app's modules and read the default region's figures once; return the seconds."""
    started = time.perf_counter()
    with _quiet_cache_decorators():
        for name in WARM_MODULES:
            importlib.import_module(name)
    try:
        import plotly.graph_objects as go

        import workflows
        from ui import state

        workflows.list_regions()
        workflows.demand(state.DEFAULT_REGION)
        go.Figure(go.Bar(x=[1], y=["a"], orientation="h")).to_json()
    except Exception:  # the page shows the real error on first use; the server must still start
        _LOGGER.warning("warm-up could not read the reference data", exc_info=True)
    return time.perf_counter() - started


def server_options(args: list[str]) -> dict[str, Any]:
    """Return Streamlit's configuration options from `--section.option value` (or `=value`) args.

    Values take the option's own type (`--server.port 8501` is the number 8501); an argument that
    is not a known option stops with a message naming it.
    """
    from streamlit import config

    options: dict[str, Any] = {}
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if not arg.startswith("--"):
            raise SystemExit(f"serve.py: expected --section.option value, got {arg!r}")
        name, equals, value = arg[2:].partition("=")
        if not equals:
            if not rest:
                raise SystemExit(f"serve.py: {arg} needs a value")
            value = rest.pop(0)
        option = config._config_options_template.get(name)
        if option is None:
            raise SystemExit(f"serve.py: {name!r} is not a Streamlit configuration option")
        options[name] = _typed(value, option.type)
    return options


def _typed(value: str, kind: type) -> Any:
    if kind is bool:
        if value.lower() not in ("true", "false"):
            raise SystemExit(f"serve.py: expected true or false, got {value!r}")
        return value.lower() == "true"
    if kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            raise SystemExit(f"serve.py: expected a number, got {value!r}") from None
    return value


def main() -> int:
    """Warm up, then serve app.py (Streamlit's server, with the preload and small writes at once)."""
    options = server_options(sys.argv[1:])
    seconds = warm_up()  # `python serve.py` has put this folder first on sys.path
    print(f"Gapboard: warmed up in {seconds:.1f} s", file=sys.stderr)
    import streamlit as st
    from starlette.middleware import Middleware

    from ui import runtime_fixes
    from ui.preload import PreloadChartModule

    runtime_fixes.send_small_writes_at_once()

    sys.argv = sys.argv[:1]  # the options are the server's, not the app script's arguments
    app = st.App(ROOT / "app.py", middleware=[Middleware(PreloadChartModule)])
    app.run(config=options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
