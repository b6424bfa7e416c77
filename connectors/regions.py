"""Read the region definitions in data/regions.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

from analytics.schemas import Region
from connectors.errors import SourceError

_KINDS = {"counties", "state", "nation"}


def read_regions(path: Path) -> list[Region]:
    """Return the regions defined in a regions.toml file, in file order."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SourceError(f"{path}: region file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{path}: not valid TOML ({exc})") from exc
    regions = []
    for region_id, spec in raw.items():
        if not isinstance(spec, dict):
            raise SourceError(f"{path}: [{region_id}] must be a table")
        kind = spec.get("kind", "counties")
        if kind not in _KINDS:
            raise SourceError(f"{path}: [{region_id}] kind must be one of {sorted(_KINDS)}")
        if kind == "state" and not spec.get("state_fips"):
            raise SourceError(f"{path}: [{region_id}] a state region needs state_fips")
        if kind == "counties" and not (spec.get("counties") or spec.get("cbsas")):
            raise SourceError(f"{path}: [{region_id}] needs counties or cbsas")
        regions.append(
            Region(
                region_id=region_id,
                name=str(spec.get("name", region_id)),
                kind=kind,
                counties=tuple(str(c).zfill(5) for c in spec.get("counties", [])),
                cbsas=tuple(str(c) for c in spec.get("cbsas", [])),
                state_fips=spec.get("state_fips"),
                description=str(spec.get("description", "")),
                watchlist=tuple(spec.get("watchlist", [])),
            )
        )
    return regions
