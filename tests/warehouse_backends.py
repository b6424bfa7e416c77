"""The warehouse backends tests run on: a SQLite file always, PostgreSQL when CI provides one."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from connectors import warehouse

POSTGRES_URL = os.environ.get("GAPBOARD_TEST_POSTGRES_URL", "")
NEEDS_POSTGRES = [
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_URL, reason="GAPBOARD_TEST_POSTGRES_URL is not set"),
]
BACKENDS = ["sqlite", pytest.param("postgres", marks=NEEDS_POSTGRES)]


@contextlib.contextmanager
def postgres_schema(prefix: str = "gapboard_test") -> Iterator[tuple[str, str]]:
    """Yield (URL, schema) of an empty PostgreSQL schema of its own, dropped afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    joiner = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{joiner}options=-csearch_path%3D{schema}"
    try:
        yield url, schema
    finally:
        warehouse.close_warehouse(url)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
