"""serve.py: the server's warm-up loads what the first page run imports, and never stops the server."""

import ast
import importlib.util
import json
import logging
import subprocess
import sys

import pytest

import serve
from settings import ROOT

# What the warm-up is for: the heavy libraries and the app's own layers (not the standard library).
OURS = {"pandas", "polars", "plotly", "workflows", "charts", "ui", "analytics"}


def _project_imports(path: str) -> set[str]:
    """Return the modules a file imports (its `from a import b` as a.b when a.b is a module)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse((ROOT / path).read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] not in OURS:
                continue
            names.add(node.module)
            for alias in node.names:  # `from ui import auth` names a module; `import X` a value
                if importlib.util.find_spec(f"{node.module}.{alias.name}") is not None:
                    names.add(f"{node.module}.{alias.name}")
    return names


def test_warm_up_imports_everything_app_and_the_first_page_import() -> None:
    probe = "import json, sys, serve; serve.warm_up(); print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "No runtime found" not in done.stderr  # one per cached function: noise on the console
    wanted = _project_imports("app.py") | _project_imports("views/overview.py")
    wanted = {name for name in wanted if name.split(".")[0] in OURS}
    assert wanted, "the probe found no imports to check"
    assert wanted <= loaded, f"not loaded by the warm-up: {sorted(wanted - loaded)}"


def test_a_warm_up_that_cannot_read_the_data_still_lets_the_server_start(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import workflows

    def no_snapshot(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError("data/reference/manifest.json")

    monkeypatch.setattr(workflows, "demand", no_snapshot)
    with caplog.at_level(logging.WARNING, logger="gapboard.serve"):
        seconds = serve.warm_up()
    assert seconds >= 0
    assert "warm-up could not read the reference data" in caplog.text


def test_server_options_take_streamlits_names_and_types() -> None:
    options = serve.server_options(
        ["--server.port", "8502", "--server.headless=true", "--server.address", "127.0.0.1"]
    )
    assert options == {"server.port": 8502, "server.headless": True, "server.address": "127.0.0.1"}
    assert serve.server_options([]) == {}


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--server.prot", "8502"], "'server.prot' is not a Streamlit configuration option"),
        (["--server.port"], "--server.port needs a value"),
        (["--server.port", "eighty"], "expected a number, got 'eighty'"),
        (["--server.headless", "yes"], "expected true or false, got 'yes'"),
        (["8502"], "expected --section.option value, got '8502'"),
    ],
)
def test_a_wrong_server_option_stops_with_a_message_naming_it(args: list[str], says: str) -> None:
    with pytest.raises(SystemExit) as stopped:
        serve.server_options(args)
    assert says in str(stopped.value)
