"""Counties and their Core Based Statistical Areas (Census/OMB July 2023 delineation), and the county GeoJSON."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from analytics.schemas import CountySchema
from connectors.errors import SourceError
from connectors.publisher_files import read_publisher_csv

_DELINEATION = [
    "CBSA Code",
    "CBSA Title",
    "Metropolitan/Micropolitan Statistical Area",
    "County/County Equivalent",
    "State Name",
    "FIPS State Code",
    "FIPS County Code",
    "Central/Outlying County",
]
_COUNTY_LIST = ["fips", "state_fips", "name", "lsad"]
_CBSA_KIND = {"Metropolitan Statistical Area": "metro", "Micropolitan Statistical Area": "micro"}
# Census legal/statistical area descriptions as abbreviated in the cartographic-boundary files;
# expanded they give the names the delineation uses ("Wayne County", "Juneau City and Borough").
_LSAD = {
    "County": "County",
    "Parish": "Parish",
    "Borough": "Borough",
    "city": "city",
    "CA": "Census Area",
    "Cty&Bor": "City and Borough",
    "Muno": "Municipio",
    "Muny": "Municipality",
}


def parse_counties(delineation_path: Path, county_list_path: Path) -> pl.DataFrame:
    """Return every county (GeoJSON list plus delineation-only county equivalents) with its CBSA (CountySchema).

    Connecticut appears twice over: its eight 2010-vintage counties (the map's shapes, in no
    CBSA in 2023) and the nine 2022 planning regions that the 2023 delineation and OEWS use.
    """
    delineation = _read_csv(
        Path(delineation_path), _DELINEATION, "the Census CBSA delineation (list 1)"
    )
    counties = _read_csv(
        Path(county_list_path), _COUNTY_LIST, "the county list (fips, state_fips, name, lsad)"
    )
    delineation = _delineation(delineation, Path(delineation_path))
    suffix = pl.col("lsad").replace_strict(_LSAD, default=pl.col("lsad"))
    counties = counties.select(
        pl.col("fips").str.zfill(5).alias("county_fips"),
        pl.col("state_fips").str.zfill(2),
        pl.when(suffix.is_null())
        .then(pl.col("name"))
        .otherwise(pl.col("name") + " " + suffix)
        .alias("list_name"),
    )
    _check_fips(counties, "county_fips", 5, Path(county_list_path))
    if counties["county_fips"].is_duplicated().any():
        dup = counties.filter(pl.col("county_fips").is_duplicated())["county_fips"][0]
        raise SourceError(f"{county_list_path}: county {dup} is listed more than once")
    states = delineation.select("state_fips", "state_name").unique("state_fips")
    unknown = counties.join(states, on="state_fips", how="anti")["state_fips"].unique().sort()
    if unknown.len():
        raise SourceError(
            f"{delineation_path}: no state name for state FIPS {', '.join(unknown)} "
            f"(used in {Path(county_list_path).name}); every state should appear in the delineation"
        )
    joined = counties.join(delineation, on="county_fips", how="full", coalesce=True)
    frame = joined.with_columns(
        pl.coalesce("state_fips", "state_fips_right").alias("state_fips"),
        pl.coalesce("county_name", "list_name").alias("county_name"),
    ).drop("state_fips_right", "state_name")
    frame = frame.join(states, on="state_fips", how="left")
    return CountySchema.validate(frame.sort("county_fips"))


def read_county_geojson(path: Path) -> dict[str, Any]:
    """Return the county GeoJSON FeatureCollection, checked to carry a 5-digit FIPS id on every feature."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(
            f"{path}: file not found; expected the county GeoJSON (id = 5-digit FIPS)"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"{path}: not readable JSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise SourceError(f"{path}: not a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise SourceError(f"{path}: the FeatureCollection has no features")
    for number, feature in enumerate(features, start=1):
        fid = feature.get("id") if isinstance(feature, dict) else None
        if not isinstance(fid, str) or not re.fullmatch(r"\d{5}", fid):
            raise SourceError(
                f"{path}: feature {number} has id {fid!r}; every county needs a 5-digit FIPS id"
            )
    return data


def _delineation(frame: pl.DataFrame, path: Path) -> pl.DataFrame:
    # Census closes the list with note and source lines; county rows have a numeric state code.
    frame = frame.filter(pl.col("FIPS State Code").str.contains(r"^\d{1,2}$"))
    if frame.is_empty():
        raise SourceError(f"{path}: no county rows (numeric 'FIPS State Code')")
    frame = frame.select(
        (pl.col("FIPS State Code").str.zfill(2) + pl.col("FIPS County Code").str.zfill(3)).alias(
            "county_fips"
        ),
        pl.col("FIPS State Code").str.zfill(2).alias("state_fips"),
        pl.col("County/County Equivalent").alias("county_name"),
        pl.col("State Name").alias("state_name"),
        pl.col("CBSA Code").alias("cbsa_code"),
        pl.col("CBSA Title").alias("cbsa_title"),
        pl.col("Metropolitan/Micropolitan Statistical Area")
        .replace_strict(_CBSA_KIND, default=None)
        .alias("cbsa_kind"),
        pl.col("Metropolitan/Micropolitan Statistical Area").alias("area_type"),
        pl.col("Central/Outlying County").alias("central_outlying"),
    )
    _check_fips(frame, "county_fips", 5, path)
    _check_fips(frame, "cbsa_code", 5, path)
    odd = frame.filter(pl.col("cbsa_kind").is_null())["area_type"]
    if odd.len():
        raise SourceError(
            f"{path}: 'Metropolitan/Micropolitan Statistical Area' should name a metropolitan or "
            f"micropolitan area, found {odd[0]!r}"
        )
    if frame["county_fips"].is_duplicated().any():
        dup = frame.filter(pl.col("county_fips").is_duplicated())["county_fips"][0]
        raise SourceError(f"{path}: county {dup} is in more than one CBSA")
    return frame.drop("area_type")


def _check_fips(frame: pl.DataFrame, column: str, width: int, path: Path) -> None:
    bad = frame.filter(~pl.col(column).str.contains(rf"^\d{{{width}}}$").fill_null(False))[column]
    if bad.len():
        raise SourceError(
            f"{path}: {bad.len()} code(s) in {column} are not {width} digits, e.g. {bad[0]!r}"
        )


def _read_csv(path: Path, columns: Sequence[str], what: str) -> pl.DataFrame:
    return read_publisher_csv(path, columns, what, cp1252_fallback=True)
