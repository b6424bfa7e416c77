import polars as pl

from analytics.regions import compute_region_areas, compute_region_counties, describe_coverage
from analytics.schemas import CountySchema, OewsAreaSchema, Region


def _counties() -> pl.DataFrame:
    rows = [
        # county, state, name, cbsa, kind
        ("26163", "26", "Wayne County", "19820", "metro"),
        ("26125", "26", "Oakland County", "19820", "metro"),
        ("26161", "26", "Washtenaw County", "11460", "metro"),
        ("26091", "26", "Lenawee County", "10300", "micro"),
        ("26001", "26", "Alcona County", None, None),
        ("25025", "25", "Suffolk County", "14460", "metro"),
        ("33015", "33", "Rockingham County", "14460", "metro"),
    ]
    frame = pl.DataFrame(
        {
            "county_fips": [r[0] for r in rows],
            "state_fips": [r[1] for r in rows],
            "county_name": [r[2] for r in rows],
            "state_name": ["Michigan"] * 5 + ["Massachusetts", "New Hampshire"],
            "cbsa_code": [r[3] for r in rows],
            "cbsa_title": [None] * len(rows),
            "cbsa_kind": [r[4] for r in rows],
            "central_outlying": [None] * len(rows),
        },
        schema=CountySchema.columns,
    )
    return CountySchema.validate(frame)


def _areas() -> pl.DataFrame:
    return OewsAreaSchema.validate(
        pl.DataFrame(
            {
                "area_code": ["0000000", "2600000", "0019820", "0011460", "0014460"],
                "area_type": ["N", "S", "M", "M", "M"],
                "state_fips": ["00", "26", "26", "26", "25"],
                "area_title": [
                    "National",
                    "Michigan",
                    "Detroit-Warren-Dearborn, MI",
                    "Ann Arbor, MI",
                    "Boston-Cambridge-Newton, MA-NH",
                ],
            }
        )
    )


def test_county_region_takes_metro_areas_and_states_what_is_missing() -> None:
    region = Region("semi", "SE Mich", "counties", counties=("26163", "26161", "26091"))
    areas = compute_region_areas(region, _counties(), _areas())
    by_code = {r["area_code"]: r for r in areas.iter_rows(named=True)}
    assert by_code["0019820"]["coverage"] == "partial"  # Oakland is in the MSA, not in the region
    assert by_code["0019820"]["counties_in_region"] == 1
    assert by_code["0019820"]["counties_in_area"] == 2
    assert by_code["0011460"]["coverage"] == "whole"
    assert by_code[""]["coverage"] == "not published"
    assert "Lenawee County" in by_code[""]["area_title"]
    note = describe_coverage(areas)
    assert "partly" in note and "Lenawee" in note


def test_cbsa_region_expands_to_all_its_counties() -> None:
    region = Region("boston", "Greater Boston", "counties", cbsas=("14460",))
    assert compute_region_counties(region, _counties()) == ["25025", "33015"]
    areas = compute_region_areas(region, _counties(), _areas())
    assert areas["area_code"].to_list() == ["0014460"]
    assert areas["coverage"].to_list() == ["whole"]


def test_state_and_nation_use_their_own_estimates() -> None:
    state = compute_region_areas(
        Region("mi", "Michigan", "state", state_fips="26"), _counties(), _areas()
    )
    assert state["area_code"].to_list() == ["2600000"]
    assert state["counties_in_region"].to_list() == [5]
    nation = compute_region_areas(Region("us", "US", "nation"), _counties(), _areas())
    assert nation["area_code"].to_list() == ["0000000"]
