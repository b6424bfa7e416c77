"""Counties joined to the July 2023 CBSA delineation, and the county GeoJSON check."""

import json
from pathlib import Path

import polars as pl
import pytest

from connectors import geo
from connectors.errors import SourceError
from settings import SOURCES_DIR

DELINEATION = SOURCES_DIR / "geo" / "cbsa_county_delineation_2023.csv"
COUNTY_LIST = SOURCES_DIR / "geo" / "county_fips_list_from_geojson.csv"
GEOJSON = SOURCES_DIR / "geo" / "geojson-counties-fips.json"


@pytest.fixture(scope="module")
def counties() -> pl.DataFrame:
    return geo.parse_counties(DELINEATION, COUNTY_LIST)


def test_every_county_once_plus_the_connecticut_planning_regions(counties: pl.DataFrame) -> None:
    # 3,220 GeoJSON counties + 9 Connecticut planning regions that only the 2023 delineation has.
    assert counties.height == 3229
    assert counties["county_fips"].n_unique() == 3229
    assert counties["state_name"].null_count() == 0 and counties["county_name"].null_count() == 0
    assert counties["cbsa_code"].is_not_null().sum() == 1915
    ct = counties.filter(pl.col("state_fips") == "09")
    regions = ct.filter(pl.col("county_fips").str.starts_with("091"))
    assert regions.height == 9 and regions["cbsa_code"].null_count() == 0
    assert (
        regions.filter(pl.col("county_fips") == "09110")["county_name"].item()
        == "Capitol Planning Region"
    )
    old = ct.filter(~pl.col("county_fips").str.starts_with("091"))
    assert old.height == 8 and old["cbsa_code"].null_count() == 8  # 2010 counties: in no 2023 CBSA


def test_southeast_michigan_counties_get_their_cbsas(counties: pl.DataFrame) -> None:
    expected = {
        "26163": ("Wayne County", "19820", "metro"),
        "26125": ("Oakland County", "19820", "metro"),
        "26099": ("Macomb County", "19820", "metro"),
        "26093": ("Livingston County", "19820", "metro"),
        "26147": ("St. Clair County", "19820", "metro"),
        "26087": ("Lapeer County", "19820", "metro"),
        "26161": ("Washtenaw County", "11460", "metro"),
        "26049": ("Genesee County", "22420", "metro"),
        "26115": ("Monroe County", "33780", "metro"),
        "26091": ("Lenawee County", "10300", "micro"),
        "26155": ("Shiawassee County", "37020", "micro"),
    }
    rows = counties.filter(pl.col("county_fips").is_in(list(expected)))
    got = {
        r["county_fips"]: (r["county_name"], r["cbsa_code"], r["cbsa_kind"])
        for r in rows.iter_rows(named=True)
    }
    assert got == expected
    assert set(rows["state_name"]) == {"Michigan"}
    titles = dict(rows.select("cbsa_code", "cbsa_title").unique().iter_rows())
    assert titles["19820"] == "Detroit-Warren-Dearborn, MI"
    assert titles["10300"] == "Adrian, MI" and titles["37020"] == "Owosso, MI"


def test_boston_msa_spans_massachusetts_and_new_hampshire(counties: pl.DataFrame) -> None:
    boston = counties.filter(pl.col("cbsa_code") == "14460")
    by_state = dict(boston.group_by("state_name").len().iter_rows())
    # The July 2023 delineation: Essex, Middlesex, Norfolk, Plymouth, Suffolk + Rockingham, Strafford.
    assert by_state == {"Massachusetts": 5, "New Hampshire": 2}
    assert set(boston["cbsa_title"]) == {"Boston-Cambridge-Newton, MA-NH"}
    assert boston.filter(pl.col("county_fips") == "33017")["central_outlying"].item() == "Outlying"


def test_counties_outside_any_cbsa_still_have_names(counties: pl.DataFrame) -> None:
    alcona = counties.filter(pl.col("county_fips") == "26001").row(0, named=True)
    assert alcona["county_name"] == "Alcona County" and alcona["state_name"] == "Michigan"
    assert alcona["cbsa_code"] is None and alcona["cbsa_kind"] is None
    names = dict(counties.select("county_fips", "county_name").iter_rows())
    assert names["02270"] == "Wade Hampton Census Area"  # 2010 vintage, not in the delineation
    assert names["72001"] == "Adjuntas Municipio"
    assert names["11001"] == "District of Columbia"


def test_missing_files_and_columns_are_named(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="list.csv: file not found"):
        geo.parse_counties(DELINEATION, tmp_path / "list.csv")
    broken = tmp_path / "delineation.csv"
    text = DELINEATION.read_text(encoding="utf-8").splitlines()[:5]
    text[0] = text[0].replace("FIPS County Code", "County Code")
    broken.write_text("\n".join(text), encoding="utf-8")
    with pytest.raises(
        SourceError, match=r"delineation.csv: missing column\(s\) 'FIPS County Code'"
    ):
        geo.parse_counties(broken, COUNTY_LIST)


def test_state_without_a_name_is_refused(tmp_path: Path) -> None:
    lines = DELINEATION.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if ",Vermont," not in line]
    path = tmp_path / "delineation.csv"
    path.write_text("\n".join(kept), encoding="utf-8")
    with pytest.raises(SourceError, match="no state name for state FIPS 50"):
        geo.parse_counties(path, COUNTY_LIST)


def test_geojson_is_checked() -> None:
    data = geo.read_county_geojson(GEOJSON)
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 3220
    ids = {f["id"] for f in data["features"]}
    assert {"26163", "25025", "17031"} <= ids


def test_geojson_with_wrong_ids_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "counties.json"
    feature = {"type": "Feature", "id": 26163, "properties": {}, "geometry": None}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    with pytest.raises(SourceError, match="counties.json: feature 1 has id 26163"):
        geo.read_county_geojson(path)
    path.write_text(json.dumps({"type": "Feature"}))
    with pytest.raises(SourceError, match="not a GeoJSON FeatureCollection"):
        geo.read_county_geojson(path)
    path.write_text("{")
    with pytest.raises(SourceError, match="not readable JSON"):
        geo.read_county_geojson(path)
