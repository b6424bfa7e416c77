"""Reading a publisher's CSV as text, with one clear message for every way it can fail."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from connectors.errors import SourceError


def read_publisher_csv(
    path: Path,
    columns: Sequence[str],
    what: str,
    *,
    cp1252_fallback: bool = False,
    upper_headers: bool = False,
) -> pl.DataFrame:
    """Return a publisher CSV as text columns (headers and cells stripped, blank rows dropped).

    Raises SourceError naming the file when it is missing, unreadable, not text, or lacks one of
    `columns`. `cp1252_fallback` reads files that are not UTF-8 as Windows-1252 (NCES and Census
    ship some so); `upper_headers` matches headers case-insensitively against upper-case names.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: file not found; expected {what}") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if not cp1252_fallback:
            raise SourceError(
                f"{path}: not UTF-8 text (byte {exc.start}); expected {what}"
            ) from exc
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("cp1252", errors="replace")
    try:
        frame = pl.read_csv(text.encode(), infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise SourceError(f"{path}: not a readable CSV ({line}); expected {what}") from exc
    if upper_headers:
        frame = frame.rename(
            {c: c.strip().upper() for c in frame.columns if c.strip().upper() in columns}
        )
    else:
        frame = frame.rename({c: c.strip() for c in frame.columns})
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SourceError(
            f"{path}: missing column(s) {', '.join(repr(c) for c in missing)}; expected {what}"
        )
    # A row is blank when every column it must have (or, with none named, every column) is empty.
    watched = list(columns) or frame.columns
    return frame.with_columns(pl.col(pl.String).str.strip_chars()).filter(
        pl.any_horizontal(pl.col(c).is_not_null() for c in watched)
    )
