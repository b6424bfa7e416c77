"""Where Gapboard keeps its files and how it is configured (environment variables)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DATA_DIR = ROOT / "data"
REFERENCE_DIR = Path(os.environ.get("GAPBOARD_REFERENCE_DIR", DATA_DIR / "reference"))
SOURCES_DIR = DATA_DIR / "sources"
REGIONS_FILE = Path(os.environ.get("GAPBOARD_REGIONS_FILE", DATA_DIR / "regions.toml"))
SAMPLES_DIR = DATA_DIR / "samples"


def warehouse_url() -> str:
    """Return the SQLAlchemy URL of the member-data warehouse."""
    return os.environ.get(
        "GAPBOARD_WAREHOUSE_URL", f"sqlite:///{(DATA_DIR / 'warehouse.sqlite').as_posix()}"
    )


def contact_email() -> str:
    """Return the contact address sent in the User-Agent (BLS asks for one)."""
    return os.environ.get("GAPBOARD_CONTACT_EMAIL", "gapboard-admin@example.org")


def bls_api_key() -> str | None:
    """Return the optional BLS Public Data API registration key."""
    return os.environ.get("GAPBOARD_BLS_API_KEY") or None


def onet_api_key() -> str | None:
    """Return the optional O*NET Web Services API key."""
    return os.environ.get("GAPBOARD_ONET_API_KEY") or None


def max_upload_bytes() -> int:
    """Return the largest (uncompressed) upload a feed reader accepts."""
    return int(os.environ.get("GAPBOARD_MAX_UPLOAD_BYTES", str(200 * 1024 * 1024)))


def warehouse_lock_wait() -> float:
    """Return how many seconds a warehouse write waits for another writer's lock before failing."""
    return float(os.environ.get("GAPBOARD_WAREHOUSE_LOCK_WAIT", "30"))
