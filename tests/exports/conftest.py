"""A reference snapshot for the export tests, and a small hand-made demand frame."""

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

import workflows
from analytics.schemas import DemandSchema
from connectors import snapshots
from settings import REFERENCE_DIR, SOURCES_DIR

DECK_DATASETS = ("ep_occupations", "oews", "oews_areas", "counties")
ATTACK = '=HYPERLINK("http://x","y")'


@pytest.fixture(scope="session")
def snapshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped snapshot when it has what a deck needs; else one built from data/sources."""
    manifest = snapshots.read_manifest(REFERENCE_DIR)["datasets"]
    if all(name in manifest for name in DECK_DATASETS):
        return REFERENCE_DIR
    target = tmp_path_factory.mktemp("reference")
    result = workflows.refresh(SOURCES_DIR, only=DECK_DATASETS, target_dir=target, progress=False)
    assert result["status"].to_list() == ["updated"] * len(DECK_DATASETS)
    return target


@pytest.fixture
def reference(snapshot_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(workflows.settings, "REFERENCE_DIR", snapshot_dir)
    yield snapshot_dir


# Values typed from the shapes of the real Greater Boston rows; one title is a formula attack.
ROWS = [
    ("29-1141", "Registered Nurses", 64240.0, 3540.0, 5.9, 106180.0),
    ("31-1131", "Nursing Assistants", 21000.0, 3706.0, 3.1, 41000.0),
    ("31-9092", "Medical Assistants", 10750.0, 1493.0, 12.0, 44000.0),
    ("29-2061", "Licensed Practical and Licensed Vocational Nurses", 6000.0, 704.0, 3.0, 60000.0),
    ("31-1122", "Home Health and Personal Care Aides", 52000.0, 12784.0, 20.0, 35000.0),
    ("19-4021", ATTACK, 7320.0, 800.0, 7.0, 58000.0),
]


def demand_frame() -> pl.DataFrame:
    n = len(ROWS)
    return DemandSchema.validate(
        pl.DataFrame(
            {
                "region_id": ["greater-boston"] * n,
                "soc_code": [r[0] for r in ROWS],
                "title": [r[1] for r in ROWS],
                "base_year": pl.Series([2025] * n, dtype=pl.Int16),
                "base_employment": [r[2] for r in ROWS],
                "projected_year": pl.Series([2035] * n, dtype=pl.Int16),
                "projected_employment": [r[2] * (1 + r[4] / 100) for r in ROWS],
                "growth_pct": [r[4] for r in ROWS],
                "annual_openings": [r[3] for r in ROWS],
                "median_annual_wage": [r[5] for r in ROWS],
                "wage_top_coded": [False] * n,
                "entry_education": ["Postsecondary nondegree award"] * n,
                "growth_source": ["BLS national 2024–34 projection"] * n,
            }
        )
    )
