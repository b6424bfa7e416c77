"""Two competing employers (and three more, so aggregates can be shown) with postings in Greater Boston.

Harbor Health is employer A, Lakeside Clinic employer B. B's posting ids and one of its titles
appear nowhere else, so any of them found in what A is shown is a leak of B's raw postings.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import workflows
from analytics.access import Role, Viewer

REGION = "greater-boston"
SOC = "19-4021"  # first on Greater Boston's watch list: the Demand page and the deck show it
COUNTY = "25025"
A, B = "Harbor Health", "Lakeside Clinic"
OTHERS = ("Charles Care", "Mystic Labs", "Quincy Bio")
B_TITLE = "Lakeside Quokka Bench Technician"  # coded to SOC by the feed's own code
A_TITLE = "Harbor Bench Technician"
MONTHS = 14
PER_MONTH = 3

EMPLOYER_A = Viewer("ana@harbor.org", "Ana", A, Role.EMPLOYER)
EMPLOYER_B = Viewer("li@lakeside.org", "Li", B, Role.EMPLOYER)
PROVIDER = Viewer("cy@college.edu", "Cy", "Metro College", Role.PROVIDER)
VIEWER = Viewer("fay@fund.org", "Fay", None, Role.VIEWER)


@dataclass(frozen=True)
class Seed:
    a_ids: tuple[str, ...]
    b_ids: tuple[str, ...]
    b_ingest: int
    a_ingest: int


def _prefix(member: str) -> str:
    return {"Harbor Health": "HBR", "Lakeside Clinic": "LKSZQ"}.get(member, member[:3].upper())


def write_feed(folder: Path, member: str) -> tuple[Path, list[str]]:
    """Write a member's vacancy feed; return the file and its posting ids."""
    title = {A: A_TITLE, B: B_TITLE}.get(member, "Biological Technician")
    path = folder / f"{_prefix(member).lower()}.csv"
    ids: list[str] = []
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["Req ID", "Job Title", "Posted", "County FIPS", "SOC Code", "Status"])
        for month in range(MONTHS):
            year, m = divmod(month, 12)
            for i in range(PER_MONTH):
                pid = f"{_prefix(member)}-{month:02d}{i}"
                ids.append(pid)
                posted = dt.date(2025 + year, m + 1, 3 + 7 * i).isoformat()
                out.writerow([pid, title, posted, COUNTY, SOC, "open"])
    return path, ids


def seed_members(folder: Path) -> Seed:
    """Store the five employers' feeds (as the local convener); return A's and B's ids."""
    ingests: dict[str, int] = {}
    ids: dict[str, list[str]] = {}
    for member in (A, B, *OTHERS):
        path, ids[member] = write_feed(folder, member)
        ingests[member] = workflows.ingest_feed("vacancies", path, member=member).ingest_id
    return Seed(tuple(ids[A]), tuple(ids[B]), ingests[B], ingests[A])
