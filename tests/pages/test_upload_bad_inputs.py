"""The bad-input corpus through the Upload page (views/vacancies.py), with AppTest's file uploader.

Expected outcomes come from the README table of tests/fixtures/bad_inputs: a refused file shows
st.error in words (and stores nothing); a file with bad rows shows, after "Store these rows", how
many rows were stored and set aside and why. Never an exception.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from connectors import warehouse
from tests.faults.corpus import CASES, Case

APP = str(Path(__file__).resolve().parents[2] / "app.py")
MEMBER = "Harbor Health"

pytestmark = [pytest.mark.app, pytest.mark.slow]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "warehouse.sqlite"
    url = f"sqlite:///{path}"
    monkeypatch.setenv("GAPBOARD_WAREHOUSE_URL", url)
    yield path
    warehouse.close_warehouse(url)


def _stored(path: Path, kind: str) -> tuple[int, int]:
    with sqlite3.connect(path) as con:
        return tuple(  # type: ignore[return-value]
            con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("ingests", kind)
        )


def _upload(case: Case) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("views/vacancies.py")
    at.run()
    at.selectbox(key="vacancies_kind").set_value(case.kind).run()
    if case.kind == "vacancies":
        at.text_input(key="vacancies_member").set_value(MEMBER)
    at.file_uploader(key="vacancies_file").set_value(
        (case.file, case.path.read_bytes(), "application/octet-stream")
    )
    return at.run()


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_corpus_file_through_the_upload_page(case: Case, db: Path) -> None:
    at = _upload(case)
    assert not at.exception
    errors = [e.value for e in at.error]
    if case.refused:
        assert len(errors) == 1, errors
        assert case.page in errors[0]
        if case.page.startswith("This file cannot be used"):
            assert case.reason in errors[0]
            # the member's own file name, not the page's temporary one
            assert f"This file cannot be used: {case.file}: " in errors[0]
        assert not _has_store(at)  # nothing to store from a refused file
        assert _stored(db, case.kind) == (0, 0)
        return
    assert errors == []
    at.button(key="vacancies_store").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == []
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rows stored"] == f"{case.accepted:,}"
    assert metrics["Rows set aside"] == f"{case.rejected:,}"
    assert _stored(db, case.kind) == (1, case.accepted)
    if case.rejected:
        tables = [d.value for d in at.dataframe]
        reasons = next(t for t in tables if list(t.columns) == ["reason", "rows"])
        assert int(reasons["rows"].sum()) == case.rejected
        assert any(case.reason in r for r in reasons["reason"])
        set_aside = next(t for t in tables if "original" in t.columns)
        assert len(set_aside) == case.rejected  # the rows set aside, each shown with its reason
        assert set_aside["reason"].notna().all()


def _has_store(at: AppTest) -> bool:
    return any(b.key == "vacancies_store" for b in at.button)
