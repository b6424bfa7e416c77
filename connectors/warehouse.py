"""The member-data warehouse (SQLAlchemy Core): SQLite file by default, PostgreSQL when configured.

The schema is created and migrated by this module (table `schema_version`). An ingest is one
transaction: its `ingests` row, the upserted rows, the rejects and the remembered column mapping
are stored together or not at all. Rows are keyed so that re-ingesting a feed updates them:
vacancies by (member, posting_id), programs by (provider, program, county_fips), placements by
(provider, program, cohort, participant_id).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

import settings
from analytics.schemas import (
    IngestSchema,
    PlacementSchema,
    ProgramSchema,
    Schema,
    VacancySchema,
)
from connectors.errors import UserError

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", DateTime, nullable=False),
)
members = Table(
    "members",
    metadata,
    Column("member", Text, primary_key=True),
    Column("is_sample", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
)
ingests = Table(
    "ingests",
    metadata,
    Column("ingest_id", Integer, primary_key=True, autoincrement=True),
    Column("kind", Text, nullable=False),
    Column("member", Text),
    Column("uploaded_by", Text),
    Column("file_name", Text, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("rows_read", Integer, nullable=False),
    Column("accepted", Integer, nullable=False, default=0),
    Column("rejected", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("is_sample", Boolean, nullable=False, default=False),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
)
vacancies = Table(
    "vacancies",
    metadata,
    Column("member", Text, nullable=False),
    Column("posting_id", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("soc_code", Text),
    Column("soc_confidence", Float),
    Column("soc_needs_review", Boolean, nullable=False, default=False),
    Column("soc_method", Text),
    Column("county_fips", Text),
    Column("posted_date", Date, nullable=False),
    Column("closed_date", Date),
    Column("status", Text),
    Column("openings", Integer, nullable=False),
    Column("wage_min", Float),
    Column("wage_max", Float),
    Column("wage_unit", Text),
    Column("education_required", Text),
    Column("employment_type", Text),
    Column("source_file", Text, nullable=False),
    Column("ingest_id", Integer, ForeignKey("ingests.ingest_id"), nullable=False),
    Column("ingested_at", DateTime, nullable=False),
    PrimaryKeyConstraint("member", "posting_id"),
)
programs = Table(
    "programs",
    metadata,
    Column("provider", Text, nullable=False),
    Column("program", Text, nullable=False),
    Column("cip_code", Text, nullable=False),
    Column("award_level", Text, nullable=False),
    Column("soc_codes", Text),
    Column("county_fips", Text, nullable=False),
    Column("annual_seats", Integer),
    Column("annual_completers", Integer, nullable=False),
    Column("completion_rate", Float),
    Column("placement_rate", Float, nullable=False),
    Column("duration_weeks", Float),
    Column("cost", Float),
    Column("modality", Text),
    Column("source_file", Text, nullable=False),
    Column("ingest_id", Integer, ForeignKey("ingests.ingest_id"), nullable=False),
    Column("ingested_at", DateTime, nullable=False),
    PrimaryKeyConstraint("provider", "program", "county_fips"),
)
placements = Table(
    "placements",
    metadata,
    Column("participant_id", Text, nullable=False),
    Column("provider", Text, nullable=False),
    Column("program", Text, nullable=False),
    Column("cohort", Text, nullable=False),
    Column("completed_on", Date, nullable=False),
    Column("employer", Text),
    Column("soc_code", Text),
    Column("hired_on", Date),
    Column("hourly_wage", Float),
    Column("separated_on", Date),
    Column("source_file", Text, nullable=False),
    Column("ingest_id", Integer, ForeignKey("ingests.ingest_id"), nullable=False),
    Column("ingested_at", DateTime, nullable=False),
    PrimaryKeyConstraint("provider", "program", "cohort", "participant_id"),
)
rejects = Table(
    "rejects",
    metadata,
    Column("reject_id", Integer, primary_key=True, autoincrement=True),
    Column("ingest_id", Integer, ForeignKey("ingests.ingest_id"), nullable=False, index=True),
    Column("row_number", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("original", Text, nullable=False),  # the row as the file had it, JSON
)
title_overrides = Table(
    "title_overrides",
    metadata,
    Column("title", Text, primary_key=True),
    Column("soc_code", Text, nullable=False),
    Column("accepted_by", Text),
    Column("accepted_at", DateTime, nullable=False),
)
column_mappings = Table(
    "column_mappings",
    metadata,
    Column("member", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("source_column", Text, nullable=False),
    Column("field", Text, nullable=False),
    Column("confirmed_at", DateTime, nullable=False),
    PrimaryKeyConstraint("member", "kind", "source_column"),
)
# People who sign in (OpenID Connect): their email maps to an organization and a role.
users = Table(
    "users",
    metadata,
    Column("email", Text, primary_key=True),  # stored lower-case: unique whatever the spelling
    Column("organization", Text),
    Column("role", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)


@dataclass(frozen=True)
class Kind:
    """Where the rows of one feed kind are kept, their key, and the schema reads return."""

    table: Table
    key: tuple[str, ...]
    schema: Schema


KINDS: dict[str, Kind] = {
    "vacancies": Kind(vacancies, ("member", "posting_id"), VacancySchema),
    "programs": Kind(programs, ("provider", "program", "county_fips"), ProgramSchema),
    "placements": Kind(
        placements, ("provider", "program", "cohort", "participant_id"), PlacementSchema
    ),
}


# --- schema migrations ------------------------------------------------------------------------


@dataclass(frozen=True)
class Migration:
    """One step of the warehouse schema, applied once, in version order, to older databases."""

    version: int
    description: str
    apply: Callable[[Connection], None]


def _create_v1(conn: Connection) -> None:
    metadata.create_all(conn)


def _create_v2(conn: Connection) -> None:
    users.create(conn, checkfirst=True)


# Append new steps here (version 2, 3, ...) and change the table definitions above to match:
# a new database is created from the definitions at the latest version; an older one runs the
# steps it has not applied yet.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "member data: vacancies, programs, placements, ingests, rejects", _create_v1),
    Migration(2, "users: sign-in email to organization and role", _create_v2),
)


def latest_version() -> int:
    """Return the schema version this code writes."""
    return max(m.version for m in MIGRATIONS)


def migrate(engine: Engine) -> int:
    """Create or upgrade the warehouse schema; return its version."""
    latest = latest_version()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Two app replicas starting together must not both create the tables.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(4227011)")
        schema_version.create(conn, checkfirst=True)
        current = conn.execute(select(func.max(schema_version.c.version))).scalar() or 0
        if current > latest:
            raise UserError(
                f"the warehouse schema is version {current}, newer than this Gapboard "
                f"understands ({latest}); upgrade Gapboard"
            )
        now = _now()
        if current == 0:
            metadata.create_all(conn)
            conn.execute(
                insert(schema_version),
                [{"version": latest, "description": "created at this version", "applied_at": now}],
            )
            return latest
        for step in sorted(MIGRATIONS, key=lambda m: m.version):
            if step.version > current:
                step.apply(conn)
                conn.execute(
                    insert(schema_version),
                    [{"version": step.version, "description": step.description, "applied_at": now}],
                )
    return latest


def read_schema_version(engine: Engine) -> int:
    """Return the schema version recorded in the warehouse (0 when it has none)."""
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, "schema_version"):
            return 0
        return int(conn.execute(select(func.max(schema_version.c.version))).scalar() or 0)


# --- opening ----------------------------------------------------------------------------------

_ENGINES: dict[str, Engine] = {}
_OPENING = threading.Lock()


def open_warehouse(url: str) -> Engine:
    """Return an engine on the warehouse at a SQLAlchemy URL, its schema created or migrated."""
    engine = _ENGINES.get(url)
    if engine is not None:
        return engine
    with _OPENING:  # page sessions run in threads; one engine (and one migration) per URL
        if url not in _ENGINES:
            _ENGINES[url] = _open(url)
        return _ENGINES[url]


def _open(url: str) -> Engine:
    engine = _create_engine(url)
    try:
        migrate(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise UserError(
            f"cannot open the warehouse at {_safe_url(url)} ({_first_line(exc.orig or exc)}); "
            "check GAPBOARD_WAREHOUSE_URL and that the database is running"
        ) from exc
    return engine


def close_warehouse(url: str | None = None) -> None:
    """Release the connections of one warehouse (or all of them)."""
    for key in [url] if url else list(_ENGINES):
        engine = _ENGINES.pop(key, None)
        if engine is not None:
            engine.dispose()


def _create_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise UserError(
            f"GAPBOARD_WAREHOUSE_URL '{url}' is not a database URL (e.g. sqlite:///data/warehouse.sqlite)"
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            try:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UserError(
                    f"cannot create the warehouse folder {Path(database).parent} "
                    f"({exc.strerror or exc}); check GAPBOARD_WAREHOUSE_URL"
                ) from None
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise UserError(
            f"the warehouse must be SQLite or PostgreSQL, not '{parsed.get_backend_name()}'"
        )
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError) as exc:
        raise UserError(f"cannot use {_safe_url(url)}: {exc}") from exc
    event.listen(engine, "connect", _postgres_on_connect)
    return engine


def _postgres_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # A writer waits for another's lock as long as on SQLite, then fails, rather than hang.
    cursor = dbapi_connection.cursor()
    cursor.execute(f"SET lock_timeout = {int(settings.warehouse_lock_wait() * 1000)}")
    cursor.close()
    dbapi_connection.commit()


SQLITE_PAGE_SIZE = 16_384


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Transactions are begun explicitly (below) so that DDL and DML share them; WAL lets pages
    # read while an ingest writes; NORMAL sync is durable in WAL mode except on power loss.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in (
        # Larger pages for a new file (no effect on an existing one): fewer, fuller B-tree
        # pages for a bulk insert of wide vacancy rows.
        f"PRAGMA page_size={SQLITE_PAGE_SIZE}",
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=NORMAL",
        "PRAGMA foreign_keys=ON",
        f"PRAGMA busy_timeout={int(settings.warehouse_lock_wait() * 1000)}",
        "PRAGMA cache_size=-65536",
    ):
        cursor.execute(pragma)
    cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    # A writer asks for the write lock up front (BEGIN IMMEDIATE): a deferred transaction that
    # reads first and writes second gets "database is locked" at once, without waiting, when
    # another process writes meanwhile.
    conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get('sqlite_begin', '')}".strip())


@contextmanager
def reporting_failures(url: str) -> Iterator[None]:
    """Re-raise a database that is locked, unreachable, read-only or full as a UserError."""
    try:
        yield
    except OperationalError as exc:
        reason = _first_line(exc.orig or exc)
        if "lock" in reason.lower():
            hint = "another program is writing to it; try again when it has finished"
        else:
            hint = "check GAPBOARD_WAREHOUSE_URL, that the database is running and can be written"
        raise UserError(
            f"the warehouse at {_safe_url(url)} failed ({reason}); nothing was stored: {hint}"
        ) from None


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "the configured URL"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# --- ingests ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IngestRecord:
    """Who sent which file, and when the ingest started."""

    kind: str
    file_name: str
    sha256: str
    rows_read: int
    member: str | None = None
    uploaded_by: str | None = None
    is_sample: bool = False
    started_at: datetime | None = None


@dataclass(frozen=True)
class IngestCounts:
    """What write_ingest stored."""

    ingest_id: int
    accepted: int
    rejected: int
    updated: int


BATCH_ROWS = 10_000
ROWS_PER_STATEMENT = 100
SQLITE_MAX_VARIABLES = 32_766


def write_ingest(
    engine: Engine,
    record: IngestRecord,
    rows: pl.DataFrame,
    rejected: pl.DataFrame,
    mapping: Mapping[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> IngestCounts:
    """Store one ingest in a single transaction; return its id and counts.

    `rows` holds the table's columns except source_file, ingest_id and ingested_at (and, for
    vacancies, member): those are stamped here. `rejected` is RejectSchema. A member's mapping,
    when given, is remembered for its next feed of this kind. Any failure stores nothing.
    """
    kind = KINDS[record.kind]
    if record.kind == "vacancies" and not record.member:
        raise UserError("vacancies belong to a member: give the member name")
    now = _now()
    with _ingest_transaction(engine) as conn:
        if record.member:
            _upsert(
                conn,
                members,
                pl.DataFrame(
                    {"member": [record.member], "is_sample": [record.is_sample]},
                    schema={"member": pl.String, "is_sample": pl.Boolean},
                ).with_columns(pl.lit(now).alias("created_at")),
                ("member",),
                update_columns=(),
            )
        ingest_id = int(
            conn.execute(
                insert(ingests).returning(ingests.c.ingest_id),
                [
                    {
                        "kind": record.kind,
                        "member": record.member,
                        "uploaded_by": record.uploaded_by,
                        "file_name": record.file_name,
                        "sha256": record.sha256,
                        "rows_read": record.rows_read,
                        "is_sample": record.is_sample,
                        "started_at": record.started_at or now,
                    }
                ],
            ).scalar_one()
        )
        stamped = rows.with_columns(
            pl.lit(record.file_name).alias("source_file"),
            pl.lit(ingest_id, dtype=pl.Int64).alias("ingest_id"),
            pl.lit(now, dtype=pl.Datetime("us")).alias("ingested_at"),
        )
        if record.kind == "vacancies":
            stamped = stamped.with_columns(pl.lit(record.member).alias("member"))
        stamped = stamped.select([c.name for c in kind.table.columns])
        updated = _upsert(conn, kind.table, stamped, kind.key, progress=progress)
        _insert(
            conn,
            rejects,
            rejected.select("row_number", "reason", "original").with_columns(
                pl.lit(ingest_id, dtype=pl.Int64).alias("ingest_id")
            ),
        )
        conn.execute(
            update(ingests)
            .where(ingests.c.ingest_id == ingest_id)
            .values(
                accepted=stamped.height,
                rejected=rejected.height,
                updated=updated,
                finished_at=_now(),
            )
        )
        if mapping and record.member:
            _write_mapping(conn, record.member, record.kind, mapping)
    return IngestCounts(ingest_id, stamped.height, rejected.height, updated)


@contextmanager
def _ingest_transaction(engine: Engine) -> Iterator[Connection]:
    """Yield a connection in one write transaction, for write_ingest.

    On SQLite the foreign keys are not checked row by row meanwhile: every row an ingest stores
    references the ingests row that the same transaction inserts first, so a lookup of it for each
    of a few hundred thousand rows proves nothing (and costs a tenth of the insert). SQLite
    switches the check only outside a transaction; it is back on before the connection is reused.
    """
    with engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            with conn.begin():
                yield conn
            return
        driver = conn.connection.driver_connection
        driver.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with conn.execution_options(sqlite_begin="IMMEDIATE").begin():
                yield conn
        finally:
            driver.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def _upsert(
    conn: Connection,
    table: Table,
    rows: pl.DataFrame,
    key: tuple[str, ...],
    update_columns: tuple[str, ...] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert rows, replacing the non-key columns of rows whose key exists; return how many existed.

    The rows' keys must be distinct (analytics.intake keeps the first row of each key).
    """
    changing = (
        [c for c in rows.columns if c not in key] if update_columns is None else update_columns
    )
    action = (
        "DO UPDATE SET " + ", ".join(f"{_q(c)} = excluded.{_q(c)}" for c in changing)
        if changing
        else "DO NOTHING"
    )
    conflict = f"ON CONFLICT ({', '.join(_q(k) for k in key)}) {action}"
    if conn.dialect.name == "postgresql":
        return _copy_upsert(conn, table, rows, conflict, progress, key)
    # Writers are serialized in SQLite and this transaction already holds the write lock, so
    # every row either adds one to the table or replaces one.
    count = select(func.count()).select_from(table)
    before = int(conn.execute(count).scalar_one())
    _sqlite_insert(conn, table, rows, conflict, progress)
    return rows.height - (int(conn.execute(count).scalar_one()) - before)


def _insert(conn: Connection, table: Table, rows: pl.DataFrame) -> None:
    if rows.height == 0:
        return
    if conn.dialect.name == "postgresql":
        _copy_upsert(conn, table, rows, "", None, ())
    else:
        _sqlite_insert(conn, table, rows, "", None)


def _sqlite_insert(
    conn: Connection,
    table: Table,
    rows: pl.DataFrame,
    conflict: str,
    progress: Callable[[int], None] | None,
) -> None:
    """SQLite: multi-row INSERT statements over batches; columns with one value on every row are SQL literals.

    Binding is the cost of a bulk insert from Python (one object per cell): the member, file,
    ingest id and time, and columns a feed leaves empty, are the same on every row. The other
    cells go to the driver as one flat parameter list per statement of ROWS_PER_STATEMENT rows,
    on the transaction's own DB-API connection.
    """
    if rows.height == 0:
        return
    constant = _constant_columns(rows)
    if len(constant) == rows.width:  # keep one bound column so every row is a statement row
        constant.pop(rows.columns[0])
    if constant:  # written as SQLite text once, like the bound cells below
        constant = _sqlite_text(rows.select(list(constant)).head(1)).row(0, named=True)
    varying = [c for c in rows.columns if c not in constant]
    text = _sqlite_text(rows.select(varying))
    one = (
        "("
        + ", ".join(["?"] * len(varying) + [_sqlite_literal(v) for v in constant.values()])
        + ")"
    )
    names = ", ".join(_q(c) for c in [*varying, *constant])
    # Many rows per statement: fewer statement steps, and far fewer round trips into SQLite.
    per_statement = statement_rows(len(varying))
    many = f"INSERT INTO {_q(table.name)} ({names}) VALUES {', '.join([one] * per_statement)} {conflict}"
    single = f"INSERT INTO {_q(table.name)} ({names}) VALUES {one} {conflict}"
    dbapi = conn.dialect.loaded_dbapi
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    starts = range(0, text.height, BATCH_ROWS)
    # The next batch's parameters are made while SQLite stores this one (it lets go of the GIL
    # while it steps a statement).
    with ThreadPoolExecutor(max_workers=1) as pool:
        try:
            pending = pool.submit(_statement_params, text, starts[0], per_statement)
            for start in starts:
                whole, rest = pending.result()
                if start + BATCH_ROWS < text.height:
                    pending = pool.submit(
                        _statement_params, text, start + BATCH_ROWS, per_statement
                    )
                if whole:
                    cursor.executemany(many, whole)
                if rest:
                    cursor.executemany(single, rest)
                if progress:
                    progress(min(BATCH_ROWS, text.height - start))
        except dbapi.Error as exc:
            # As SQLAlchemy's own statements fail: a locked, full or read-only file is reported.
            raise DBAPIError.instance(many, None, exc, dbapi.Error, dialect=conn.dialect) from exc
        finally:
            cursor.close()


def _statement_params(
    text: pl.DataFrame, start: int, per_statement: int
) -> tuple[list[list[Any]], list[list[Any]]]:
    """Return the parameters of one batch: per multi-row statement, then per leftover row."""
    batch = text.slice(start, BATCH_ROWS)
    flat = _flat_cells(batch)
    step = batch.width
    width = per_statement * step
    whole = (batch.height // per_statement) * width
    return (
        [flat[i : i + width] for i in range(0, whole, width)],
        [flat[i : i + step] for i in range(whole, len(flat), step)],
    )


def statement_rows(columns: int) -> int:
    """Return how many rows one INSERT statement carries for `columns` bound columns."""
    return max(1, min(ROWS_PER_STATEMENT, SQLITE_MAX_VARIABLES // max(columns, 1)))


def _flat_cells(batch: pl.DataFrame) -> list[Any]:
    """Return the batch's cells row after row as one list of Python values (None for null)."""
    width = batch.width
    flat: list[Any] = [None] * (batch.height * width)
    for j, series in enumerate(batch.iter_columns()):
        flat[j::width] = series.to_list()
    return flat


def _sqlite_text(frame: pl.DataFrame) -> pl.DataFrame:
    # The sqlite3 module's date adapters are deprecated; write the text SQLAlchemy's SQLite
    # types read back (dates ISO, datetimes "YYYY-MM-DD HH:MM:SS.ffffff").
    exprs = []
    for name, dtype in frame.schema.items():
        if dtype == pl.Date:
            exprs.append(pl.col(name).dt.strftime("%Y-%m-%d"))
        elif isinstance(dtype, pl.Datetime):
            exprs.append(pl.col(name).dt.strftime("%Y-%m-%d %H:%M:%S.%6f"))
        elif dtype == pl.Boolean:
            exprs.append(pl.col(name).cast(pl.Int8))
        else:
            exprs.append(pl.col(name))
    return frame.select(exprs)


def _constant_columns(frame: pl.DataFrame) -> dict[str, Any]:
    """Return {column: value} for the columns holding one value (or only nulls) on every row."""
    if frame.height < 2:
        return {}
    flags = frame.select(
        [
            (
                (pl.col(c).null_count() == pl.len())
                | ((pl.col(c).null_count() == 0) & (pl.col(c) == pl.col(c).first()).all())
            ).alias(c)
            for c in frame.columns
        ]
    ).row(0, named=True)
    constant = {}
    for column, same in flags.items():
        value = frame[column][0] if same else None
        if same and not (isinstance(value, str) and "\x00" in value):
            constant[column] = value
    return constant


def _sqlite_literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _copy_upsert(
    conn: Connection,
    table: Table,
    rows: pl.DataFrame,
    conflict: str,
    progress: Callable[[int], None] | None,
    key: tuple[str, ...],
) -> int:
    """PostgreSQL: COPY rows into a temporary table, then insert (or upsert) them in one statement.

    Returns how many of the rows' keys were already in the table.
    """
    columns = ", ".join(_q(c) for c in rows.columns)
    stage = f"_stage_{table.name}"
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE {stage} ON COMMIT DROP AS "
        f"SELECT {columns} FROM {_q(table.name)} WITH NO DATA"
    )
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(f"COPY {stage} ({columns}) FROM STDIN (FORMAT csv)") as copy:
            for start in range(0, rows.height, BATCH_ROWS):
                batch = rows.slice(start, BATCH_ROWS)
                buffer = io.BytesIO()
                batch.write_csv(
                    buffer, include_header=False, datetime_format="%Y-%m-%d %H:%M:%S.%6f"
                )
                copy.write(buffer.getvalue())
                if progress:
                    progress(batch.height)
    finally:
        cursor.close()
    existing = 0
    if key:
        match = " AND ".join(f"t.{_q(k)} = s.{_q(k)}" for k in key)
        existing = int(
            conn.exec_driver_sql(
                f"SELECT count(*) FROM {stage} s WHERE EXISTS "
                f"(SELECT 1 FROM {_q(table.name)} t WHERE {match})"
            ).scalar_one()
        )
    conn.exec_driver_sql(
        f"INSERT INTO {_q(table.name)} ({columns}) SELECT {columns} FROM {stage} {conflict}"
    )
    conn.exec_driver_sql(f"DROP TABLE {stage}")
    return existing


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- reading ----------------------------------------------------------------------------------


def read_rows(engine: Engine, kind: str, member: str | None = None) -> pl.DataFrame:
    """Return the stored rows of one kind (vacancies: optionally of one member) in its schema."""
    spec = KINDS[kind]
    query = select(*[spec.table.c[c] for c in spec.schema.columns])
    if member is not None and kind == "vacancies":
        query = query.where(spec.table.c.member == member)
    query = query.order_by(*[spec.table.c[k] for k in spec.key])
    return _frame(engine, query, spec.schema)


def read_vacancies(engine: Engine, member: str | None = None) -> pl.DataFrame:
    """Return stored vacancies (VacancySchema), all or one member's."""
    return read_rows(engine, "vacancies", member)


def read_programs(engine: Engine) -> pl.DataFrame:
    """Return stored training programs (ProgramSchema)."""
    return read_rows(engine, "programs")


def read_placements(engine: Engine) -> pl.DataFrame:
    """Return stored trainee placements (PlacementSchema)."""
    return read_rows(engine, "placements")


def read_ingests(engine: Engine) -> pl.DataFrame:
    """Return one row per ingest (IngestSchema), oldest first."""
    query = select(*[ingests.c[c] for c in IngestSchema.columns]).order_by(ingests.c.ingest_id)
    return _frame(engine, query, IngestSchema)


def read_rejects(engine: Engine, ingest_id: int | None = None) -> pl.DataFrame:
    """Return rejected rows (ingest_id, row_number, reason, original JSON), of one ingest or all."""
    query = select(rejects.c.ingest_id, rejects.c.row_number, rejects.c.reason, rejects.c.original)
    if ingest_id is not None:
        query = query.where(rejects.c.ingest_id == ingest_id)
    query = query.order_by(rejects.c.ingest_id, rejects.c.row_number)
    schema = Schema(
        "StoredReject",
        {"ingest_id": pl.Int64, "row_number": pl.Int64, "reason": pl.String, "original": pl.String},
    )
    return _frame(engine, query, schema)


def read_members(engine: Engine) -> pl.DataFrame:
    """Return the members that have sent feeds (member, is_sample, created_at)."""
    query = select(members.c.member, members.c.is_sample, members.c.created_at).order_by(
        members.c.member
    )
    schema = Schema(
        "Member", {"member": pl.String, "is_sample": pl.Boolean, "created_at": pl.Datetime}
    )
    return _frame(engine, query, schema)


def _frame(engine: Engine, query: Any, schema: Schema) -> pl.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    columns: dict[str, Any] = {
        c: (pl.Datetime("us") if t is pl.Datetime else t) for c, t in schema.columns.items()
    }
    return pl.DataFrame(rows, schema=columns, orient="row")


# --- title corrections and column mappings ----------------------------------------------------


def read_title_overrides(engine: Engine) -> pl.DataFrame:
    """Return accepted title corrections (title, soc_code)."""
    query = select(title_overrides.c.title, title_overrides.c.soc_code).order_by(
        title_overrides.c.title
    )
    return _frame(
        engine, query, Schema("TitleOverride", {"title": pl.String, "soc_code": pl.String})
    )


def write_title_override(
    engine: Engine, title: str, soc_code: str, accepted_by: str | None = None
) -> None:
    """Remember that a title is coded as soc_code (replacing an earlier correction)."""
    row = pl.DataFrame(
        {"title": [title], "soc_code": [soc_code], "accepted_by": [accepted_by]},
        schema={"title": pl.String, "soc_code": pl.String, "accepted_by": pl.String},
    ).with_columns(pl.lit(_now(), dtype=pl.Datetime("us")).alias("accepted_at"))
    with engine.begin() as conn:
        _upsert(conn, title_overrides, row, ("title",))


def read_column_mapping(engine: Engine, member: str, kind: str) -> dict[str, str]:
    """Return a member's remembered mapping {file column: feed field} for a kind (empty if none)."""
    query = select(column_mappings.c.source_column, column_mappings.c.field).where(
        column_mappings.c.member == member, column_mappings.c.kind == kind
    )
    with engine.connect() as conn:
        return {str(c): str(f) for c, f in conn.execute(query).all()}


def write_column_mapping(
    engine: Engine, member: str, kind: str, mapping: Mapping[str, str]
) -> None:
    """Remember a member's confirmed mapping for a kind (replacing the previous one)."""
    with engine.begin() as conn:
        _write_mapping(conn, member, kind, mapping)


def _write_mapping(conn: Connection, member: str, kind: str, mapping: Mapping[str, str]) -> None:
    conn.execute(
        delete(column_mappings).where(
            column_mappings.c.member == member, column_mappings.c.kind == kind
        )
    )
    if mapping:
        now = _now()
        conn.execute(
            insert(column_mappings),
            [
                {
                    "member": member,
                    "kind": kind,
                    "source_column": c,
                    "field": f,
                    "confirmed_at": now,
                }
                for c, f in mapping.items()
            ],
        )


# --- users ------------------------------------------------------------------------------------

UserSchema = Schema(
    "User",
    {"email": pl.String, "organization": pl.String, "role": pl.String, "created_at": pl.Datetime},
)


def read_users(engine: Engine) -> pl.DataFrame:
    """Return the users allowed to sign in (email, organization, role, created_at), by email."""
    query = select(*[users.c[c] for c in UserSchema.columns]).order_by(users.c.email)
    return _frame(engine, query, UserSchema)


def read_user(engine: Engine, email: str) -> dict[str, Any] | None:
    """Return one user's row as a dict (email, organization, role, created_at), or None."""
    query = select(*[users.c[c] for c in UserSchema.columns]).where(
        users.c.email == email.strip().lower()
    )
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    return dict(row) if row is not None else None


def write_user(engine: Engine, email: str, organization: str | None, role: str) -> bool:
    """Add a user, or change the organization and role of an existing one; return True if new."""
    address = email.strip().lower()
    with engine.begin() as conn:
        changed = conn.execute(
            update(users)
            .where(users.c.email == address)
            .values(organization=organization, role=role)
        ).rowcount
        if changed:
            return False
        conn.execute(
            insert(users),
            [{"email": address, "organization": organization, "role": role, "created_at": _now()}],
        )
    return True


def delete_user(engine: Engine, email: str) -> bool:
    """Remove a user; return False when no user has that email."""
    with engine.begin() as conn:
        result = conn.execute(delete(users).where(users.c.email == email.strip().lower()))
    return bool(result.rowcount)


# --- samples ----------------------------------------------------------------------------------


def is_empty(engine: Engine) -> bool:
    """Return True when the warehouse holds no ingest and no rows."""
    with engine.connect() as conn:
        for table in (ingests, vacancies, programs, placements):
            if conn.execute(select(func.count()).select_from(table)).scalar():
                return False
    return True


def delete_sample_rows(engine: Engine) -> dict[str, int]:
    """Remove every row a sample ingest stored (and the sample ingests and members); return counts."""
    removed: dict[str, int] = {}
    sample_ids = select(ingests.c.ingest_id).where(ingests.c.is_sample.is_(True))
    with engine.begin() as conn:
        for name in ("vacancies", "programs", "placements", "rejects"):
            table = metadata.tables[name]
            result = conn.execute(delete(table).where(table.c.ingest_id.in_(sample_ids)))
            removed[name] = int(result.rowcount or 0)
        # A sample ingest whose rows were all replaced by a real ingest has nothing left to point
        # at it; rows still pointing at a sample ingest were deleted above.
        result = conn.execute(delete(ingests).where(ingests.c.is_sample.is_(True)))
        removed["ingests"] = int(result.rowcount or 0)
        in_use = select(vacancies.c.member).distinct()
        gone = select(members.c.member).where(
            members.c.is_sample.is_(True), members.c.member.not_in(in_use)
        )
        conn.execute(delete(column_mappings).where(column_mappings.c.member.in_(gone)))
        result = conn.execute(
            delete(members).where(members.c.is_sample.is_(True), members.c.member.not_in(in_use))
        )
        removed["members"] = int(result.rowcount or 0)
    return removed
