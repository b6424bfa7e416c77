"""The access rules on their own: who may upload what, for whom, and whose raw rows they see."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from analytics import access
from analytics.access import AccessError, Role, Viewer
from analytics.disclosure import EVERY_MEMBER

HARBOR = Viewer("ana@harbor.org", "Ana", "Harbor Health", Role.EMPLOYER)
LAKESIDE = Viewer("li@lakeside.org", "Li", "Lakeside Clinic", Role.EMPLOYER)
COLLEGE = Viewer("cy@college.edu", "Cy", "Metro College", Role.PROVIDER)
FUNDER = Viewer("fay@fund.org", "Fay", None, Role.VIEWER)
CONVENER = Viewer("cora@board.org", "Cora", "Workforce Board", Role.CONVENER)


def postings() -> pl.DataFrame:
    rows = {
        "member": ["Harbor Health", "Lakeside Clinic", "Harbor Health"],
        "posting_id": ["H-1", "L-1", "H-2"],
        "title": ["Medical Assistant", "Phlebotomist", "CNA"],
        "ingest_id": [1, 2, 1],
    }
    frame = pl.DataFrame(rows)
    for column in access.POSTING_COLUMNS:
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit(None).alias(column))
    return frame.with_columns(pl.lit(dt.date(2026, 1, 5)).alias("posted_date"))


@pytest.mark.parametrize(
    ("viewer", "kinds"),
    [
        (CONVENER, ["vacancies", "programs", "placements"]),
        (HARBOR, ["vacancies"]),
        (COLLEGE, ["programs", "placements"]),
        (FUNDER, []),
    ],
)
def test_each_role_uploads_its_own_kinds(viewer: Viewer, kinds: list[str]) -> None:
    assert access.upload_kinds(viewer) == kinds


def test_only_a_convener_manages_and_sees_everything() -> None:
    assert access.can_manage(CONVENER) and access.sees_all_postings(CONVENER)
    assert access.sees_unsuppressed_outcomes(CONVENER) and access.sees_member_list(CONVENER)
    for other in (HARBOR, COLLEGE, FUNDER):
        assert not access.can_manage(other)
        assert not access.sees_all_postings(other)
        assert not access.sees_unsuppressed_outcomes(other)
        assert not access.sees_member_list(other)


def test_employers_store_under_their_own_organization_only() -> None:
    assert access.upload_member(HARBOR, "vacancies", None) == "Harbor Health"
    assert access.upload_member(HARBOR, "vacancies", " harbor health ") == "Harbor Health"
    with pytest.raises(AccessError, match="for Harbor Health only, not for 'Lakeside Clinic'"):
        access.upload_member(HARBOR, "vacancies", "Lakeside Clinic")
    with pytest.raises(AccessError, match="cannot upload placements"):
        access.upload_member(HARBOR, "placements", None)
    with pytest.raises(AccessError, match="viewer cannot upload vacancies"):
        access.upload_member(FUNDER, "vacancies", None)
    # A convener chooses, and may leave it empty for programs (the provider column says).
    assert access.upload_member(CONVENER, "vacancies", "Lakeside Clinic") == "Lakeside Clinic"
    assert access.upload_member(CONVENER, "programs", None) is None


def test_a_provider_file_naming_another_provider_is_refused() -> None:
    access.check_feed_organizations(COLLEGE, "programs", ["Metro College", "metro college "])
    with pytest.raises(AccessError, match="'Rival Institute'"):
        access.check_feed_organizations(COLLEGE, "placements", ["Metro College", "Rival Institute"])
    access.check_feed_organizations(CONVENER, "programs", ["Anyone", "Rival Institute"])


def test_own_postings_never_hold_another_members_rows() -> None:
    frame = postings()
    mine = access.own_postings(HARBOR, frame)
    assert mine["posting_id"].to_list() == ["H-1", "H-2"]
    assert "member" not in mine.columns and "ingest_id" not in mine.columns
    assert access.own_postings(LAKESIDE, frame)["posting_id"].to_list() == ["L-1"]
    assert access.own_postings(FUNDER, frame).is_empty()
    assert access.own_postings(COLLEGE, frame).is_empty()
    everyone = access.own_postings(CONVENER, frame)
    assert everyone.height == 3 and "member" in everyone.columns


def test_the_disclosure_check_takes_out_only_an_employers_own_rows() -> None:
    assert access.signal_viewer(HARBOR) == "Harbor Health"
    for other in (CONVENER, COLLEGE, FUNDER, access.SHARED_SCREEN, access.LOCAL_CONVENER):
        assert access.signal_viewer(other) == EVERY_MEMBER


def test_rejects_are_seen_by_the_uploaders_organization_or_a_convener() -> None:
    assert access.may_see_ingest(HARBOR, "Harbor Health", "someone")
    assert not access.may_see_ingest(LAKESIDE, "Harbor Health", "li@lakeside.org")
    assert access.may_see_ingest(CONVENER, "Harbor Health", None)
    assert not access.may_see_ingest(FUNDER, "Harbor Health", None)
    assert not access.may_see_ingest(FUNDER, None, None)


def test_viewers_are_built_with_a_checked_role_and_organization() -> None:
    built = access.build_viewer("a@b.org", "", " Harbor Health ", "Employer")
    assert built == Viewer("a@b.org", "a@b.org", "Harbor Health", Role.EMPLOYER)
    with pytest.raises(AccessError, match="choose from convener, employer, provider, viewer"):
        access.build_viewer("a@b.org", "A", "X", "admin")
    with pytest.raises(AccessError, match="needs an organization"):
        access.build_viewer("a@b.org", "A", "  ", "provider")
    assert access.build_viewer("a@b.org", "A", None, "viewer").organization is None


def test_cache_keys_differ_between_people() -> None:
    keys = {v.key() for v in (HARBOR, LAKESIDE, COLLEGE, FUNDER, CONVENER, access.LOCAL_CONVENER)}
    assert len(keys) == 6
    as_harbor = Viewer("local", "Local", "Harbor Health", Role.EMPLOYER, local=True)
    as_lakeside = Viewer("local", "Local", "Lakeside Clinic", Role.EMPLOYER, local=True)
    assert as_harbor.key() != as_lakeside.key()
