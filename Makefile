# Two commands set everything up from nothing but python3 and make: `make run`, `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8501

.PHONY: setup run dev check test test-fast bench refresh lock clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/gapboard samples load --if-empty
	$(BIN)/python serve.py --server.port $(PORT)

dev: $(STAMP)
	$(BIN)/streamlit run app.py --server.port $(PORT) --client.showErrorDetails full \
		--server.fileWatcherType auto --server.runOnSave true

check: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy analytics connectors workflows.py
	$(BIN)/lint-imports

test: check
	$(BIN)/pytest

test-fast: $(STAMP)
	$(BIN)/pytest -m "not browser and not postgres and not slow"

bench: $(STAMP)
	$(BIN)/gapboard bench

refresh: $(STAMP)
	$(BIN)/gapboard refresh --from data/sources

# Re-pin every dependency after changing pyproject.toml.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^gapboard' > requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
