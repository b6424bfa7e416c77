"""Who may see and do what: roles, the person looking (Viewer) and the rules, pure and testable.

Four roles. A **convener** runs the consortium's data: uploads for any member, clears the sample
data, accepts title codes, manages users, and sees every member's raw postings. An **employer**
uploads vacancies for its own organization only and sees its own raw postings; everyone else's
postings reach it only as aggregates that pass the disclosure rules with its own rows taken out.
A **provider** uploads training programs and placements for its own organization and sees
aggregates. A **viewer** sees aggregates only and uploads nothing.

The data layer (workflows) applies these rules; pages only hide the controls a role cannot use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import polars as pl

from analytics.disclosure import EVERY_MEMBER


class Role(StrEnum):
    """The roles a user of Gapboard can have."""

    CONVENER = "convener"
    EMPLOYER = "employer"
    PROVIDER = "provider"
    VIEWER = "viewer"


ROLES: tuple[str, ...] = tuple(r.value for r in Role)
ROLE_LABELS = {
    Role.CONVENER: "Convener: manages the data, sees every member's postings",
    Role.EMPLOYER: "Employer: uploads and sees its own postings; others as aggregates",
    Role.PROVIDER: "Provider: uploads its programs and placements; sees aggregates",
    Role.VIEWER: "Viewer: sees aggregates only",
}
UPLOADS: dict[Role, frozenset[str]] = {
    Role.CONVENER: frozenset({"vacancies", "programs", "placements"}),
    Role.EMPLOYER: frozenset({"vacancies"}),
    Role.PROVIDER: frozenset({"programs", "placements"}),
    Role.VIEWER: frozenset(),
}
# Columns of a stored posting that may be shown to the member that sent it (never ingest ids).
POSTING_COLUMNS: tuple[str, ...] = (
    "posting_id",
    "title",
    "soc_code",
    "soc_confidence",
    "soc_needs_review",
    "county_fips",
    "posted_date",
    "closed_date",
    "status",
    "openings",
    "wage_min",
    "wage_max",
    "wage_unit",
    "education_required",
    "employment_type",
    "source_file",
    "ingested_at",
)


class AccessError(Exception):
    """The person looking may not do this; the message says what and who can."""


@dataclass(frozen=True)
class Viewer:
    """The person looking: who (user id, usually the email), their organization and role."""

    user_id: str
    name: str
    organization: str | None
    role: Role
    local: bool = False  # the single-user local mode (no sign-in configured)
    note: str = ""  # shown beside the identity, e.g. for a signed-in email nobody has added

    def key(self) -> tuple[str, str, str, bool]:
        """Return a hashable identity for cache keys: one person's result never serves another."""
        return (self.user_id, self.organization or "", self.role.value, self.local)


# The command line and the app without sign-in: one person on their own machine, a convener.
LOCAL_CONVENER = Viewer("local", "Local user", None, Role.CONVENER, local=True)
# What a function shows when nobody says who is looking: aggregates only, strictest disclosure.
SHARED_SCREEN = Viewer("shared-screen", "Shared screen", None, Role.VIEWER)


def parse_role(text: str) -> Role:
    """Return the Role named by text (case-insensitive); AccessError naming the roles otherwise."""
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise AccessError(f"unknown role '{text}'; choose from {', '.join(ROLES)}") from None


def build_viewer(
    user_id: str, name: str, organization: str | None, role: str | Role, local: bool = False
) -> Viewer:
    """Return a Viewer; employers and providers must belong to an organization."""
    chosen = role if isinstance(role, Role) else parse_role(role)
    org = (organization or "").strip() or None
    if chosen in (Role.EMPLOYER, Role.PROVIDER) and org is None:
        raise AccessError(f"an {chosen.value} user needs an organization (--org NAME)")
    return Viewer(user_id.strip(), name.strip() or user_id.strip(), org, chosen, local)


def can_manage(viewer: Viewer) -> bool:
    """Return True when the viewer may manage data and users (clear samples, accept title codes)."""
    return viewer.role is Role.CONVENER


def can_upload(viewer: Viewer, kind: str) -> bool:
    """Return True when the viewer's role may upload feeds of this kind."""
    return kind in UPLOADS[viewer.role]


def upload_kinds(viewer: Viewer) -> list[str]:
    """Return the feed kinds the viewer may upload, in the usual order."""
    return [k for k in ("vacancies", "programs", "placements") if can_upload(viewer, k)]


def chooses_member(viewer: Viewer) -> bool:
    """Return True when the viewer may pick which member an upload is stored under (conveners)."""
    return viewer.role is Role.CONVENER


def upload_member(viewer: Viewer, kind: str, requested: str | None) -> str | None:
    """Return the member an upload is stored under; AccessError when the viewer may not store it.

    Employers and providers store only under their own organization (a request for another is
    refused, an empty one means their own); a convener stores under whatever it names.
    """
    if not can_upload(viewer, kind):
        allowed = ", ".join(upload_kinds(viewer)) or "nothing"
        raise AccessError(
            f"a {viewer.role.value} cannot upload {kind} (this role uploads {allowed}); "
            "ask your convener"
        )
    name = (requested or "").strip() or None
    if chooses_member(viewer):
        return name
    if name is not None and name.casefold() != (viewer.organization or "").casefold():
        raise AccessError(
            f"you upload for {viewer.organization} only, not for '{name}'; "
            "a convener can upload on another member's behalf"
        )
    return viewer.organization


def check_feed_organizations(viewer: Viewer, kind: str, named: Iterable[str | None]) -> None:
    """Raise AccessError when a program or placement file names a provider other than the viewer's."""
    if chooses_member(viewer) or kind not in ("programs", "placements"):
        return
    own = (viewer.organization or "").casefold()
    others = sorted({n for n in named if n is not None and n.strip().casefold() != own})
    if others:
        shown = ", ".join(f"'{o}'" for o in others[:3]) + (" …" if len(others) > 3 else "")
        raise AccessError(
            f"this file holds {kind} of {shown}; you upload for {viewer.organization} only "
            "(set the provider column to your organization, or ask your convener)"
        )


def sees_all_postings(viewer: Viewer) -> bool:
    """Return True when the viewer may see every member's raw postings (conveners)."""
    return viewer.role is Role.CONVENER


def signal_viewer(viewer: Viewer) -> str:
    """Return the member the disclosure check takes out (its own rows), or EVERY_MEMBER.

    An employer sees its own numbers and the rules must hold for the others without it; anyone
    else (a shared screen, a provider, a convener presenting) gets the strictest check.
    """
    if viewer.role is Role.EMPLOYER and viewer.organization:
        return viewer.organization
    return EVERY_MEMBER


def own_postings(viewer: Viewer, vacancies: pl.DataFrame) -> pl.DataFrame:
    """Return the raw postings the viewer may see, in POSTING_COLUMNS (conveners: all, with member).

    A member sees its own postings; a convener sees all; a viewer or an organization that sent
    none sees an empty table. Nobody sees another member's rows.
    """
    if sees_all_postings(viewer):
        return vacancies.select("member", *POSTING_COLUMNS)
    if viewer.organization is None or viewer.role is Role.VIEWER:
        return vacancies.clear().select(*POSTING_COLUMNS)
    return vacancies.filter(pl.col("member") == viewer.organization).select(*POSTING_COLUMNS)


def may_see_ingest(viewer: Viewer, ingest_member: str | None, uploaded_by: str | None) -> bool:
    """Return True when the viewer may see an ingest's set-aside rows: its own org's, or a convener."""
    if viewer.role is Role.CONVENER:
        return True
    if viewer.organization is not None and ingest_member is not None:
        return ingest_member.casefold() == viewer.organization.casefold()
    return uploaded_by is not None and uploaded_by == viewer.user_id


def sees_unsuppressed_outcomes(viewer: Viewer) -> bool:
    """Return True when the viewer may see trainee outcomes below the 10-people threshold."""
    return viewer.role is Role.CONVENER


def sees_member_list(viewer: Viewer) -> bool:
    """Return True when the viewer may list every member (a convener picking who to upload for)."""
    return viewer.role is Role.CONVENER
