"""The warehouse on SQLite and, under the postgres marker, on a real PostgreSQL server.

Set GAPBOARD_TEST_POSTGRES_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:55432/postgres)
to run the PostgreSQL half; each test gets its own schema there and drops it afterwards.
"""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import IntegrityError

from analytics.schemas import RejectSchema
from connectors import warehouse
from connectors.errors import UserError
from tests.warehouse_backends import BACKENDS, postgres_schema


@pytest.fixture(params=BACKENDS)
def warehouse_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty warehouse URL: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'warehouse.sqlite'}"
        yield url
        warehouse.close_warehouse(url)
        return
    with postgres_schema() as (url, _schema):
        yield url


@pytest.fixture
def engine(warehouse_url: str) -> Engine:
    return warehouse.open_warehouse(warehouse_url)


def vacancy_rows(n: int = 3, title: str = "Registered Nurse") -> pl.DataFrame:
    """Vacancy rows as analytics.intake and title coding hand them to the warehouse."""
    return pl.DataFrame(
        {
            "posting_id": [f"REQ-{i:05d}" for i in range(n)],
            "title": [title] * n,
            "soc_code": ["29-1141"] * n,
            "soc_confidence": [1.0] * n,
            "soc_needs_review": [False] * n,
            "soc_method": ["given"] * n,
            "county_fips": ["25025"] * n,
            "posted_date": [dt.date(2025, 7, 1) + dt.timedelta(days=i % 90) for i in range(n)],
            "closed_date": [dt.date(2025, 9, 30) if i % 2 else None for i in range(n)],
            "status": ["filled" if i % 2 else "open" for i in range(n)],
            "openings": [1 + i % 3 for i in range(n)],
            "wage_min": [41.5] * n,
            "wage_max": [None] * n,
            "wage_unit": ["hour"] * n,
            "education_required": [None] * n,
            "employment_type": ["Full time"] * n,
        },
        schema_overrides={"wage_max": pl.Float64, "education_required": pl.String},
    )


def no_rejects() -> pl.DataFrame:
    return RejectSchema.empty()


def record(member: str = "Harbor Health", **kwargs: object) -> warehouse.IngestRecord:
    fields: dict[str, object] = {
        "kind": "vacancies",
        "file_name": "requisitions.csv",
        "sha256": "0" * 64,
        "rows_read": 3,
        "member": member,
        "uploaded_by": "hr-analyst",
    }
    fields.update(kwargs)
    return warehouse.IngestRecord(**fields)  # type: ignore[arg-type]


def test_schema_is_created_and_recorded(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {
        "vacancies", "programs", "placements", "ingests", "rejects", "title_overrides",
        "members", "column_mappings", "schema_version",
    } <= tables  # fmt: skip
    assert warehouse.read_schema_version(engine) == warehouse.latest_version()
    assert warehouse.is_empty(engine)


def test_pending_migrations_run_once_in_order(
    warehouse_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    applied: list[int] = []

    def step(version: int) -> warehouse.Migration:
        def apply(conn: object) -> None:
            applied.append(version)
            conn.exec_driver_sql(f"CREATE TABLE extra_v{version} (x INTEGER)")  # type: ignore[attr-defined]

        return warehouse.Migration(version, f"extra table {version}", apply)

    latest = warehouse.latest_version()
    monkeypatch.setattr(
        warehouse, "MIGRATIONS", (*warehouse.MIGRATIONS, step(latest + 2), step(latest + 1))
    )
    assert warehouse.migrate(engine) == latest + 2
    assert warehouse.migrate(engine) == latest + 2
    assert applied == [latest + 1, latest + 2]
    assert warehouse.read_schema_version(engine) == latest + 2
    assert {f"extra_v{latest + 1}", f"extra_v{latest + 2}"} <= set(
        inspect(engine).get_table_names()
    )


def test_a_newer_schema_is_refused(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    with engine.begin() as conn:
        conn.execute(
            warehouse.schema_version.insert().values(
                version=99, description="from the future", applied_at=dt.datetime(2030, 1, 1)
            )
        )
    with pytest.raises(UserError, match="version 99"):
        warehouse.migrate(engine)


def test_ingest_stores_rows_rejects_and_who_sent_what(engine: Engine) -> None:
    rejects = pl.DataFrame(
        {"row_number": [4], "reason": ["posting_id is missing"], "original": ['{"Req ID":null}']},
        schema=RejectSchema.columns,
    )
    counts = warehouse.write_ingest(engine, record(rows_read=4), vacancy_rows(), rejects)
    assert (counts.accepted, counts.rejected, counts.updated) == (3, 1, 0)
    stored = warehouse.read_vacancies(engine)
    assert stored["posting_id"].to_list() == ["REQ-00000", "REQ-00001", "REQ-00002"]
    first = stored.row(0, named=True)
    assert first["member"] == "Harbor Health" and first["source_file"] == "requisitions.csv"
    assert first["posted_date"] == dt.date(2025, 7, 1) and first["closed_date"] is None
    assert first["wage_min"] == 41.5 and first["wage_max"] is None
    assert first["soc_needs_review"] is False and first["ingest_id"] == counts.ingest_id
    assert stored["closed_date"][1] == dt.date(2025, 9, 30)
    ingest = warehouse.read_ingests(engine).row(0, named=True)
    assert ingest["uploaded_by"] == "hr-analyst" and ingest["rows_read"] == 4
    assert (ingest["accepted"], ingest["rejected"], ingest["updated"]) == (3, 1, 0)
    assert ingest["finished_at"] >= ingest["started_at"]
    kept = warehouse.read_rejects(engine, counts.ingest_id)
    assert kept.select("row_number", "reason", "original").equals(rejects)
    assert warehouse.read_members(engine)["member"].to_list() == ["Harbor Health"]


def test_reingest_updates_and_never_double_counts(engine: Engine) -> None:
    rows = vacancy_rows(5)
    warehouse.write_ingest(engine, record(), rows, no_rejects())
    first = warehouse.read_vacancies(engine).drop("ingest_id", "ingested_at")
    counts = warehouse.write_ingest(engine, record(), rows, no_rejects())
    assert (counts.accepted, counts.updated) == (5, 5)
    assert warehouse.read_vacancies(engine).drop("ingest_id", "ingested_at").equals(first)
    # A changed posting replaces its row; a new one is added; another member's same id is theirs.
    changed = rows.head(2).with_columns(pl.lit("closed?").alias("employment_type"))
    changed = changed.with_columns(pl.Series("posting_id", ["REQ-00000", "REQ-NEW"]))
    counts = warehouse.write_ingest(engine, record(), changed, no_rejects())
    assert (counts.accepted, counts.updated) == (2, 1)
    other = warehouse.write_ingest(engine, record("Lakeside Clinics"), rows.head(1), no_rejects())
    assert other.updated == 0
    stored = warehouse.read_vacancies(engine)
    assert stored.height == 7
    assert warehouse.read_vacancies(engine, "Harbor Health").height == 6
    row = stored.filter(pl.col("member") == "Harbor Health", pl.col("posting_id") == "REQ-00000")
    assert row["employment_type"].item() == "closed?"


def test_a_failure_half_way_stores_nothing(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    warehouse.write_ingest(engine, record(), vacancy_rows(2), no_rejects())
    before = warehouse.read_vacancies(engine)

    def broken_insert(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    # Rows are upserted first; the rejects insert after them fails.
    monkeypatch.setattr(warehouse, "_insert", broken_insert)
    rows = vacancy_rows(12_000).with_columns(pl.lit("Changed").alias("title"))
    with pytest.raises(RuntimeError, match="disk full"):
        warehouse.write_ingest(
            engine, record("New Member"), rows, no_rejects(), mapping={"Req": "posting_id"}
        )
    assert warehouse.read_vacancies(engine).equals(before)
    assert warehouse.read_ingests(engine).height == 1
    assert warehouse.read_members(engine)["member"].to_list() == ["Harbor Health"]
    assert warehouse.read_column_mapping(engine, "New Member", "vacancies") == {}


def test_rows_must_name_a_stored_ingest_after_ingests_good_or_failed(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An ingest's own rows skip the per-row check (they name the ingest it just inserted);
    # every other write on the warehouse's connections still has it.
    warehouse.write_ingest(engine, record(), vacancy_rows(2), no_rejects())
    monkeypatch.setattr(warehouse, "_insert", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        warehouse.write_ingest(engine, record(), vacancy_rows(2), no_rejects())
    monkeypatch.undo()
    orphan = {"ingest_id": 999, "row_number": 1, "reason": "x", "original": "{}"}
    for _ in range(3):  # whichever pooled connection is handed out
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(warehouse.rejects.insert(), [orphan])
    assert warehouse.read_rejects(engine).height == 0


def test_bulk_ingest_in_batches_reports_progress(engine: Engine) -> None:
    rows = vacancy_rows(12_000)
    seen: list[int] = []
    counts = warehouse.write_ingest(engine, record(), rows, no_rejects(), progress=seen.append)
    assert counts.accepted == 12_000 and sum(seen) == 12_000 and len(seen) >= 2
    stored = warehouse.read_vacancies(engine)
    assert stored["openings"].sum() == rows["openings"].sum()
    assert stored["posted_date"].max() == dt.date(2025, 9, 28)


def test_rows_not_a_multiple_of_a_statement_are_all_stored_exactly(engine: Engine) -> None:
    # A batch of BATCH_ROWS and a remainder that fills no whole multi-row statement.
    n = warehouse.BATCH_ROWS + 3 * warehouse.ROWS_PER_STATEMENT + 7
    rows = vacancy_rows(n).with_columns(
        pl.Series("soc_confidence", [i / n for i in range(n)]),
        pl.Series("wage_min", [None if i % 5 == 0 else 15 + i / 100 for i in range(n)]),
    )
    counts = warehouse.write_ingest(engine, record(), rows, no_rejects())
    assert (counts.accepted, counts.updated) == (n, 0)
    stored = warehouse.read_vacancies(engine).sort("posting_id")
    assert stored.height == n
    assert stored.select(rows.columns).equals(rows)
    # Re-ingesting the same rows replaces each one and leaves the stored rows unchanged.
    again = warehouse.write_ingest(engine, record(), rows, no_rejects())
    assert (again.accepted, again.updated) == (n, n)
    restored = warehouse.read_vacancies(engine).sort("posting_id")
    assert restored.drop("ingest_id", "ingested_at").equals(stored.drop("ingest_id", "ingested_at"))
    assert set(restored["ingest_id"].to_list()) == {again.ingest_id}


def test_statements_stay_within_the_sqlite_variable_limit() -> None:
    assert warehouse.statement_rows(10) == warehouse.ROWS_PER_STATEMENT
    wide = warehouse.SQLITE_MAX_VARIABLES // 50
    assert warehouse.statement_rows(wide) * wide <= warehouse.SQLITE_MAX_VARIABLES
    assert warehouse.statement_rows(warehouse.SQLITE_MAX_VARIABLES + 1) == 1


def test_a_new_sqlite_warehouse_uses_large_pages(tmp_path: Path) -> None:
    import sqlite3

    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    engine = warehouse.open_warehouse(url)
    try:
        warehouse.write_ingest(engine, record(), vacancy_rows(3), no_rejects())
    finally:
        warehouse.close_warehouse(url)
    with sqlite3.connect(tmp_path / "fresh.sqlite") as conn:
        assert conn.execute("PRAGMA page_size").fetchone()[0] == warehouse.SQLITE_PAGE_SIZE
        assert conn.execute("SELECT count(*) FROM vacancies").fetchone()[0] == 3


def test_an_existing_sqlite_warehouse_keeps_its_page_size(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA page_size=4096")
        conn.execute("CREATE TABLE unrelated (x INTEGER)")
    url = f"sqlite:///{path}"
    engine = warehouse.open_warehouse(url)
    try:
        warehouse.write_ingest(engine, record(), vacancy_rows(3), no_rejects())
        assert warehouse.read_vacancies(engine).height == 3
    finally:
        warehouse.close_warehouse(url)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA page_size").fetchone()[0] == 4096


def test_awkward_text_round_trips_exactly(engine: Engine) -> None:
    odd = ['A,"1"', "line\nbreak", "", "tab\there", "naïve – café", "'; DROP TABLE vacancies; --"]
    rows = vacancy_rows(len(odd)).with_columns(
        pl.Series("posting_id", odd), pl.Series("title", odd)
    )
    warehouse.write_ingest(engine, record("O'Brien & Sons, Inc."), rows, no_rejects())
    stored = warehouse.read_vacancies(engine)
    assert sorted(stored["posting_id"].to_list()) == sorted(odd)
    assert stored["title"].to_list() == stored["posting_id"].to_list()
    assert stored["member"].unique().to_list() == ["O'Brien & Sons, Inc."]


def test_programs_and_placements_are_keyed_for_reingest(engine: Engine) -> None:
    programs = pl.DataFrame(
        {
            "provider": ["Bunker Hill Community College"],
            "program": ["Medical Assistant"],
            "cip_code": ["51.0801"],
            "award_level": ["certificate"],
            "soc_codes": ["25-1071,31-9092"],
            "county_fips": ["25025"],
            "annual_seats": [54],
            "annual_completers": [44],
            "completion_rate": [None],
            "placement_rate": [0.78],
            "duration_weeks": [28.0],
            "cost": [2800.0],
            "modality": [None],
        },
        schema_overrides={"completion_rate": pl.Float64, "modality": pl.String},
    )
    programs_record = record(None, kind="programs", file_name="programs.csv", rows_read=1)
    warehouse.write_ingest(engine, programs_record, programs, no_rejects())
    again = warehouse.write_ingest(
        engine,
        programs_record,
        programs.with_columns(pl.lit(50).alias("annual_completers")),
        no_rejects(),
    )
    assert again.updated == 1
    stored = warehouse.read_programs(engine)
    assert stored.height == 1 and stored["annual_completers"].item() == 50
    placements = pl.DataFrame(
        {
            "participant_id": ["P-0001", "P-0001"],
            "provider": ["Bunker Hill Community College"] * 2,
            "program": ["Medical Assistant"] * 2,
            "cohort": ["2024-fall", "2025-spring"],
            "completed_on": [dt.date(2024, 12, 20), dt.date(2025, 5, 16)],
            "employer": ["Harbor Health", None],
            "soc_code": ["31-9092", None],
            "hired_on": [dt.date(2025, 1, 13), None],
            "hourly_wage": [21.5, None],
            "separated_on": [None, None],
        },
        schema_overrides={"separated_on": pl.Date},
    )
    placements_record = record(None, kind="placements", file_name="placements.csv", rows_read=2)
    warehouse.write_ingest(engine, placements_record, placements, no_rejects())
    assert warehouse.write_ingest(engine, placements_record, placements, no_rejects()).updated == 2
    stored = warehouse.read_placements(engine)
    assert stored.height == 2 and stored["hired_on"].to_list() == [dt.date(2025, 1, 13), None]


def test_vacancies_need_a_member(engine: Engine) -> None:
    with pytest.raises(UserError, match="member"):
        warehouse.write_ingest(engine, record(None), vacancy_rows(), no_rejects())


def test_column_mapping_is_remembered_per_member_and_kind(engine: Engine) -> None:
    mapping = {"Req #": "posting_id", "Position": "title", "Opened": "posted_date"}
    warehouse.write_ingest(engine, record(), vacancy_rows(), no_rejects(), mapping=mapping)
    assert warehouse.read_column_mapping(engine, "Harbor Health", "vacancies") == mapping
    assert warehouse.read_column_mapping(engine, "Harbor Health", "programs") == {}
    assert warehouse.read_column_mapping(engine, "Lakeside Clinics", "vacancies") == {}
    warehouse.write_column_mapping(engine, "Harbor Health", "vacancies", {"Req": "posting_id"})
    assert warehouse.read_column_mapping(engine, "Harbor Health", "vacancies") == {
        "Req": "posting_id"
    }


def test_title_overrides_replace_earlier_corrections(engine: Engine) -> None:
    warehouse.write_title_override(engine, "SPD Tech II", "31-9093", "convener")
    warehouse.write_title_override(engine, "SPD Tech II", "31-9099", "convener")
    warehouse.write_title_override(engine, "CNA PRN", "31-1131")
    assert warehouse.read_title_overrides(engine).rows() == [
        ("CNA PRN", "31-1131"),
        ("SPD Tech II", "31-9099"),
    ]


def test_clearing_samples_removes_exactly_the_sample_rows(engine: Engine) -> None:
    sample = record("Illustrative Harbor Health", is_sample=True)
    warehouse.write_ingest(engine, sample, vacancy_rows(4), no_rejects(), mapping={"a": "title"})
    warehouse.write_ingest(engine, record("Harbor Health"), vacancy_rows(3), no_rejects())
    # A real ingest that takes over one sample row keeps that row.
    takeover = record("Illustrative Harbor Health", file_name="real.csv")
    warehouse.write_ingest(engine, takeover, vacancy_rows(1), no_rejects())
    removed = warehouse.delete_sample_rows(engine)
    assert removed["vacancies"] == 3 and removed["ingests"] == 1 and removed["members"] == 0
    stored = warehouse.read_vacancies(engine)
    assert stored.height == 4
    assert stored.filter(pl.col("member") == "Illustrative Harbor Health")[
        "source_file"
    ].to_list() == ["real.csv"]
    assert not warehouse.read_ingests(engine)["is_sample"].any()
    assert warehouse.delete_sample_rows(engine)["vacancies"] == 0


def test_an_unreachable_or_foreign_database_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="GAPBOARD_WAREHOUSE_URL"):
        warehouse.open_warehouse("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    with pytest.raises(UserError, match="SQLite or PostgreSQL"):
        warehouse.open_warehouse("mysql://localhost/gapboard")
    with pytest.raises(UserError, match="not a database URL"):
        warehouse.open_warehouse("warehouse.sqlite")
    nested = tmp_path / "new" / "folder" / "warehouse.sqlite"
    url = f"sqlite:///{nested}"
    warehouse.open_warehouse(url)
    assert nested.exists()
    warehouse.close_warehouse(url)


def test_a_version_1_warehouse_gains_the_users_table(engine: Engine) -> None:
    # Make the database look as a version-1 Gapboard left it: no users table, version 1 recorded.
    with engine.begin() as conn:
        warehouse.users.drop(conn)
        conn.execute(warehouse.schema_version.delete())
        conn.execute(
            warehouse.schema_version.insert().values(
                version=1, description="v1", applied_at=dt.datetime(2026, 1, 1)
            )
        )
    assert "users" not in inspect(engine).get_table_names()
    assert warehouse.migrate(engine) == 2
    assert "users" in inspect(engine).get_table_names()
    assert warehouse.read_schema_version(engine) == 2
    assert warehouse.read_users(engine).is_empty()


def test_users_are_unique_by_email_whatever_the_case(engine: Engine) -> None:
    assert warehouse.write_user(engine, "Ana@Harbor.org", "Harbor Health", "employer")
    assert not warehouse.write_user(engine, "ana@harbor.org ", "Harbor Health", "convener")
    users = warehouse.read_users(engine)
    assert users["email"].to_list() == ["ana@harbor.org"]
    assert users["role"].to_list() == ["convener"]
    assert warehouse.read_user(engine, "ANA@harbor.org")["organization"] == "Harbor Health"  # type: ignore[index]
    assert warehouse.read_user(engine, "nobody@x.org") is None
    assert warehouse.delete_user(engine, "ana@harbor.org")
    assert not warehouse.delete_user(engine, "ana@harbor.org")
    assert warehouse.read_users(engine).is_empty()
