"""The access rules applied by workflows, on SQLite and (postgres marker) on PostgreSQL.

An employer reaches its own raw postings and nobody else's; uploads land only under the
uploader's own organization; rejects, unwithheld outcomes and data management stay with the
uploader or a convener.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

import cli
import settings
import workflows
from analytics import access
from connectors import warehouse
from connectors.errors import UserError
from tests.warehouse_backends import BACKENDS, postgres_schema
from tests.workflows import member_seed as seed
from tests.workflows.member_seed import EMPLOYER_A, EMPLOYER_B, PROVIDER, VIEWER


@pytest.fixture(params=BACKENDS)
def warehouse_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A fresh warehouse (SQLite file or a PostgreSQL schema of its own) that workflows use."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'warehouse.sqlite'}"
        monkeypatch.setenv("GAPBOARD_WAREHOUSE_URL", url)
        yield url
        warehouse.close_warehouse(url)
        return
    with postgres_schema() as (url, _schema):
        monkeypatch.setenv("GAPBOARD_WAREHOUSE_URL", url)
        yield url


@pytest.fixture
def seeded(warehouse_url: str, tmp_path: Path) -> seed.Seed:
    return seed.seed_members(tmp_path)


def _stored() -> int:
    return warehouse.read_vacancies(workflows.open_warehouse()).height


def test_an_employer_gets_its_own_postings_and_nobody_elses(seeded: seed.Seed) -> None:
    mine = workflows.own_postings(EMPLOYER_A)
    assert sorted(mine["posting_id"]) == sorted(seeded.a_ids)
    assert "member" not in mine.columns and "ingest_id" not in mine.columns
    assert set(mine["title"]) == {seed.A_TITLE}
    theirs = workflows.own_postings(EMPLOYER_B)
    assert sorted(theirs["posting_id"]) == sorted(seeded.b_ids)
    assert workflows.own_postings(VIEWER).is_empty()
    assert workflows.own_postings(PROVIDER).is_empty()
    everyone = workflows.own_postings(access.LOCAL_CONVENER)
    assert set(seeded.a_ids) | set(seeded.b_ids) <= set(everyone["posting_id"])
    assert everyone["member"].n_unique() == 5


def test_the_vacancy_signal_shows_own_numbers_only_to_their_owner(seeded: seed.Seed) -> None:
    cells = pl.col("month").is_not_null() & (pl.col("soc_code") == seed.SOC)
    as_a = workflows.vacancy_signal(seed.REGION, EMPLOYER_A).filter(cells).sort("month")
    as_b = workflows.vacancy_signal(seed.REGION, EMPLOYER_B).filter(cells).sort("month")
    shared = workflows.vacancy_signal(seed.REGION).filter(cells).sort("month")
    # Five employers of 3 postings a month: shown, also without A (or B) in it.
    assert set(as_a["status"]) == {"shown"}
    assert as_a["new_postings"].to_list() == [15] * seed.MONTHS
    assert as_a["own_new_postings"].to_list() == [seed.PER_MONTH] * seed.MONTHS
    assert as_b["own_new_postings"].to_list() == [seed.PER_MONTH] * seed.MONTHS
    own = [c for c in shared.columns if c.startswith("own_")]
    assert own and all(shared[c].drop_nulls().sum() == 0 for c in own)
    # Nothing in the signal identifies a posting.
    text_cells = {str(v) for c in as_a.columns for v in as_a[c].to_list()}
    assert not text_cells & set(seeded.b_ids) and seed.B_TITLE not in text_cells


def test_the_rules_hold_without_the_viewers_own_rows(warehouse_url: str, tmp_path: Path) -> None:
    # Only A, B and one more: shown to a shared screen? No — without any one of them two remain.
    for member in (seed.A, seed.B, seed.OTHERS[0]):
        path, _ = seed.write_feed(tmp_path, member)
        workflows.ingest_feed("vacancies", path, member=member)
    cells = pl.col("month").is_not_null() & (pl.col("soc_code") == seed.SOC)
    as_a = workflows.vacancy_signal(seed.REGION, EMPLOYER_A).filter(cells)
    assert set(as_a["status"]) == {"suppressed"}
    assert as_a["new_postings"].null_count() == as_a.height
    assert as_a["own_new_postings"].to_list() == [seed.PER_MONTH] * seed.MONTHS
    outlook = workflows.postings_outlook(seed.REGION, seed.SOC, viewer=EMPLOYER_A)
    assert outlook.history.is_empty()


def test_uploads_land_only_under_the_uploaders_organization(
    seeded: seed.Seed, tmp_path: Path
) -> None:
    before = _stored()
    feed, _ = seed.write_feed(tmp_path, "Someone Else")
    with pytest.raises(UserError, match="for Harbor Health only, not for 'Lakeside Clinic'"):
        workflows.ingest_feed("vacancies", feed, member="Lakeside Clinic", viewer=EMPLOYER_A)
    with pytest.raises(UserError, match="for Harbor Health only"):
        workflows.preview_feed(feed, "vacancies", "Lakeside Clinic", viewer=EMPLOYER_A)
    with pytest.raises(UserError, match="viewer cannot upload vacancies"):
        workflows.ingest_feed("vacancies", feed, member=None, viewer=VIEWER)
    with pytest.raises(UserError, match="provider cannot upload vacancies"):
        workflows.ingest_board("usajobs", str(feed), member="Metro College", viewer=PROVIDER)
    assert _stored() == before
    # No member named: an employer's file goes under its own organization.
    summary = workflows.ingest_feed("vacancies", feed, viewer=EMPLOYER_A)
    assert summary.member == seed.A and summary.accepted == seed.MONTHS * seed.PER_MONTH
    ingest = warehouse.read_ingests(workflows.open_warehouse()).filter(
        pl.col("ingest_id") == summary.ingest_id
    )
    assert ingest["uploaded_by"].to_list() == [EMPLOYER_A.user_id]
    b_rows = warehouse.read_vacancies(workflows.open_warehouse(), seed.B)
    assert sorted(b_rows["posting_id"]) == sorted(seeded.b_ids)  # B untouched


def test_a_provider_uploads_only_its_own_programs(warehouse_url: str, tmp_path: Path) -> None:
    programs = settings.SAMPLES_DIR / "programs_greater-boston_illustrative.csv"
    with pytest.raises(UserError, match="you upload for Metro College only"):
        workflows.ingest_feed("programs", programs, viewer=PROVIDER)
    assert warehouse.read_programs(workflows.open_warehouse()).is_empty()
    frame = pl.read_csv(programs, infer_schema=False)
    provider_column = next(c for c in frame.columns if c.lower() == "provider")
    first = frame[provider_column][0]
    own = frame.filter(pl.col(provider_column) == first).with_columns(
        pl.lit("Metro College").alias(provider_column)
    )
    own.write_csv(tmp_path / "own.csv")
    summary = workflows.ingest_feed("programs", tmp_path / "own.csv", viewer=PROVIDER)
    assert summary.accepted == own.height and summary.member == "Metro College"
    stored = warehouse.read_programs(workflows.open_warehouse())
    assert set(stored["provider"]) == {"Metro College"}
    with pytest.raises(UserError, match="employer cannot upload programs"):
        workflows.ingest_feed("programs", tmp_path / "own.csv", viewer=EMPLOYER_A)


def test_set_aside_rows_are_seen_by_their_uploader_or_a_convener(seeded: seed.Seed) -> None:
    with pytest.raises(UserError, match="belongs to another member"):
        workflows.ingest_outcome(seeded.b_ingest, EMPLOYER_A)
    with pytest.raises(UserError, match="belongs to another member"):
        workflows.ingest_outcome(seeded.b_ingest)  # nobody said who: a shared screen
    rejected, review = workflows.ingest_outcome(seeded.b_ingest, EMPLOYER_B)
    assert rejected.is_empty()
    workflows.ingest_outcome(seeded.b_ingest, access.LOCAL_CONVENER)
    with pytest.raises(UserError, match="no ingest 999"):
        workflows.ingest_outcome(999, access.LOCAL_CONVENER)


def test_member_names_are_listed_to_conveners_only(seeded: seed.Seed) -> None:
    assert workflows.list_members(EMPLOYER_A) == [seed.A]
    assert workflows.list_members(VIEWER) == []
    assert workflows.list_members() == []
    assert set(workflows.list_members(access.LOCAL_CONVENER)) == {seed.A, seed.B, *seed.OTHERS}


def test_data_management_is_for_conveners(seeded: seed.Seed) -> None:
    for who in (EMPLOYER_A, PROVIDER, VIEWER):
        with pytest.raises(UserError, match="only a convener can clear the sample data"):
            workflows.clear_samples(viewer=who)
        with pytest.raises(UserError, match="only a convener can accept title codes"):
            workflows.accept_title_code("Bench Tech", "19-4021", viewer=who)
        with pytest.raises(UserError, match="only a convener can load the sample data"):
            workflows.load_samples(viewer=who)
        with pytest.raises(UserError, match="only a convener can add users"):
            workflows.add_user("x@y.org", None, "convener", viewer=who)
    assert workflows.clear_samples(viewer=access.LOCAL_CONVENER)["vacancies"] == 0
    workflows.accept_title_code("Bench Tech", "19-4021", viewer=access.LOCAL_CONVENER)


def test_unwithheld_outcomes_are_for_conveners_only(warehouse_url: str) -> None:
    for kind in ("programs", "placements"):
        workflows.ingest_feed(
            kind, settings.SAMPLES_DIR / f"{kind}_greater-boston_illustrative.csv"
        )
    assert workflows.outcomes(viewer=access.LOCAL_CONVENER).unsuppressed is not None
    for who in (EMPLOYER_A, PROVIDER, VIEWER, access.SHARED_SCREEN):
        result = workflows.outcomes(viewer=who)
        assert result.unsuppressed is None
        assert result.outcomes.height  # the withheld table, as before


def test_signed_in_emails_map_to_their_organization_and_role(warehouse_url: str) -> None:
    workflows.add_user("Ana@Harbor.org", seed.A, "employer")
    viewer = workflows.viewer_for_email("ana@harbor.org", "Ana")
    assert (viewer.organization, viewer.role, viewer.name) == (seed.A, access.Role.EMPLOYER, "Ana")
    stranger = workflows.viewer_for_email("who@nowhere.org")
    assert stranger.role is access.Role.VIEWER and stranger.organization is None
    assert "ask your convener to add you" in stranger.note
    with pytest.raises(UserError, match="needs an organization"):
        workflows.add_user("bo@harbor.org", None, "employer")
    with pytest.raises(UserError, match="not an email address"):
        workflows.add_user("bo harbor", "X", "viewer")


def test_users_command_adds_lists_and_removes(
    warehouse_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    add = ["users", "add", "li@lakeside.org", "--org", seed.B, "--role", "employer"]
    assert cli.main([*add, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["status"] == "added"
    assert cli.main(["users", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(u["email"], u["organization"], u["role"]) for u in listed] == [
        ("li@lakeside.org", seed.B, "employer")
    ]
    assert cli.main(["users", "add", "x@y.org", "--role", "admin"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unknown role 'admin'" in err[0] and "convener" in err[0]
    assert cli.main(["users", "remove", "nobody@y.org"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no user 'nobody@y.org'" in err[0]
    assert cli.main(["users", "remove", "LI@lakeside.org"]) == 0
    assert cli.main(["users", "list", "--format", "csv"]) == 0
    assert capsys.readouterr().out.strip() == "email,organization,role,created_at"


def test_the_meeting_deck_carries_no_members_raw_postings(
    seeded: seed.Seed, warehouse_url: str, tmp_path: Path
) -> None:
    out = workflows.build_deck(seed.REGION, tmp_path / "deck.pptx")
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as z:
        body = b"".join(z.read(n) for n in z.namelist())
    # The members' aggregate is in the deck (the forecast slide), their postings are not.
    assert b"Members' postings and the year ahead" in body
    for needle in (*seeded.b_ids, *seeded.a_ids, seed.B_TITLE, seed.A_TITLE, seed.B, seed.A):
        assert needle.encode() not in body, needle
