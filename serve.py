"""Start the Gapboard server warm: the app's modules loaded and its reference data read first.

`python serve.py [streamlit run options]` (what `make run` does) is `streamlit run app.py
[options]` with one difference: before the server listens, and so before it prints its address or
answers /_stcore/health, this process imports what the first page run imports (pandas, Polars,
Plotly, the app's own modules: most of a second on a 2-core machine) and computes the default
region's figures once, which also pays Polars' and Plotly's first-call set-up. A fresh server's
first visitor then waits for a short page run instead of all of that. The server is not "up"
until it can answer quickly; nothing is put off until after. If warming fails (no reference
snapshot yet, say), the server starts anyway and the page reports the problem as it always has.
`streamlit run app.py` still works, only without the warm-up.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path

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


def main() -> int:
    """Warm up, then hand over to `streamlit run app.py` with this command's arguments."""
    seconds = warm_up()  # `python serve.py` has put this folder first on sys.path
    print(f"Gapboard: warmed up in {seconds:.1f} s", file=sys.stderr)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *sys.argv[1:]]
    return int(cli.main() or 0)


if __name__ == "__main__":
    sys.exit(main())
