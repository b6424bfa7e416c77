"""Workforce diversity: who holds an occupation nationally (CPS), beside the all-occupations average.

The CPS tables name occupations by 2018 Census occupation title, not SOC code, and the crosswalk
is not shipped, so SOC codes are matched to Census titles by their words, in this order:

1. `same title`: the SOC title (BLS matrix, O*NET or OEWS spelling) equals a Census title, ignoring
   case and punctuation ("Medical assistants" is 31-9092, "Registered nurses" 29-1141).
2. `part of a combined Census occupation`: Census joins some occupations ("Dietetic technicians and
   ophthalmic medical technicians", "Physical therapist assistants and aides"); the SOC title is
   one of the joined parts (a trailing single word borrows the first part's head: "... aides").
3. `Census "miscellaneous"/"other" group`: a SOC "X, all other" is Census "Miscellaneous X" or "Other X".
4. `broad group`: the title of the BLS aggregate, broad or minor group the SOC code belongs to
   ("Clinical laboratory technologists and technicians" for 29-2011 and 29-2012, "Postsecondary
   teachers" for 25-1072).

A SOC code no rule matches gets no profile (said, not guessed). Race and sex shares come from the
2022 annual averages (Table 11), the age mix from 2025 (Table 11b, an 11-month average because
October 2025 was not collected). BLS publishes no shares where the base is under 50,000 people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import polars as pl

from analytics.schemas import DiversitySchema

SAME_TITLE = "same title"
COMBINED = "part of a combined Census occupation"
MISCELLANEOUS = 'Census "miscellaneous"/"other" group'
BROAD_GROUP = "broad group"
ALL_OCCUPATIONS = "All occupations"
AGE_GROUPS = ("16_24", "25_34", "35_44", "45_54", "55_64", "65_plus")


def normalize_title(title: str) -> str:
    """Return a title lower-cased, "&" spelled "and", punctuation and extra spaces removed."""
    text = title.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9, ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip(" ,")


def _parts(title: str) -> list[str]:
    """The occupations a combined Census title joins, e.g. "a, b, and c" -> [a, b, c]."""
    pieces = [p.strip() for p in re.split(r",\s*and\s+|,\s*|\s+and\s+", title) if p.strip()]
    if len(pieces) >= 2 and len(pieces[-1].split()) == 1 and len(pieces[0].split()) > 1:
        head = " ".join(pieces[0].split()[:-1])
        pieces = [*pieces[:-1], f"{head} {pieces[-1]}"]
    return pieces


def match_census_titles(
    census_titles: Iterable[str],
    soc_titles: Mapping[str, Iterable[str]],
    group_titles: Mapping[str, Iterable[str]] | None = None,
) -> pl.DataFrame:
    """Return soc_code, cps_occupation and match_method for each SOC code (null where no rule matches).

    `soc_titles` gives each SOC code's own titles; `group_titles` the titles of the aggregate and
    broad group it belongs to, tried last.
    """
    by_norm: dict[str, str] = {}
    by_part: dict[str, str] = {}
    for title in census_titles:
        norm = normalize_title(title)
        by_norm.setdefault(norm, title)
        for part in _parts(norm):
            by_part.setdefault(part, title)
    rows = []
    for soc, titles in soc_titles.items():
        norms = [normalize_title(t) for t in titles if t]
        found: tuple[str | None, str | None] = (None, None)
        for norm in norms:
            if norm in by_norm:
                found = (by_norm[norm], SAME_TITLE)
                break
        if found[0] is None:
            for norm in norms:
                if norm in by_part:
                    found = (by_part[norm], COMBINED)
                    break
        if found[0] is None:
            for norm in norms:
                if norm.endswith(", all other"):
                    stem = norm.removesuffix(", all other")
                    for variant in (f"miscellaneous {stem}", f"other {stem}"):
                        if variant in by_norm:
                            found = (by_norm[variant], MISCELLANEOUS)
                            break
                if found[0] is not None:
                    break
        if found[0] is None and group_titles is not None:
            for title in group_titles.get(soc, ()):
                norm = normalize_title(title)
                if norm in by_norm:
                    found = (by_norm[norm], BROAD_GROUP)
                    break
        rows.append({"soc_code": soc, "cps_occupation": found[0], "match_method": found[1]})
    return pl.DataFrame(
        rows,
        schema={"soc_code": pl.String, "cps_occupation": pl.String, "match_method": pl.String},
    )


def build_title_lookup(
    soc_codes: Iterable[str],
    ep: pl.DataFrame,
    occupations: pl.DataFrame,
    ep_soc_map: pl.DataFrame | None = None,
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Return ({soc: own titles}, {soc: aggregate, broad and minor group titles}) from the BLS matrix and O*NET."""
    ep_titles = dict(ep.select("ep_code", "title").iter_rows())
    to_ep = (
        dict(zip(ep_soc_map["soc_code"], ep_soc_map["ep_code"], strict=True))
        if ep_soc_map is not None
        else {}
    )
    onet = (
        occupations.filter(pl.col("onet_code").str.ends_with(".00"))
        .select("soc_code", "title")
        .iter_rows()
    )
    onet_titles = dict(onet)
    own: dict[str, list[str]] = {}
    groups: dict[str, list[str]] = {}
    for soc in dict.fromkeys(soc_codes):
        own[soc] = [t for t in (ep_titles.get(soc), onet_titles.get(soc)) if t]
        aggregate = to_ep.get(soc)
        broad, minor = f"{soc[:6]}0", f"{soc[:5]}00"
        groups[soc] = [
            t
            for t in (
                ep_titles.get(aggregate) if aggregate and aggregate != soc else None,
                ep_titles.get(broad) if broad != soc else None,
                ep_titles.get(minor) if minor != soc else None,
            )
            if t
        ]
    return own, groups


def compute_diversity(
    cps: pl.DataFrame,
    cps_age: pl.DataFrame,
    occupations: Mapping[str, tuple[str, str]],
    soc_titles: Mapping[str, Iterable[str]],
    group_titles: Mapping[str, Iterable[str]] | None = None,
) -> pl.DataFrame:
    """Return the CPS profile (Diversity) of each occupation and a last all-occupations row.

    `occupations` maps SOC code -> (title, role), role being "target" or "feeder". Race and sex
    come from the latest year of `cps` (CpsDemographics), the age mix from the latest year of
    `cps_age` (CpsAge); each year is named in the frame.
    """
    race_year = int(cps["year"].max())  # type: ignore[arg-type]
    age_year = int(cps_age["year"].max())  # type: ignore[arg-type]
    race = cps.filter(pl.col("year") == race_year).sort("row_order")
    age = cps_age.filter(pl.col("year") == age_year).sort("row_order")
    matched = match_census_titles(race["occupation"], soc_titles, group_titles)
    found = dict(
        zip(
            matched["soc_code"],
            zip(matched["cps_occupation"], matched["match_method"], strict=True),
            strict=True,
        )
    )
    race_rows = {normalize_title(r["occupation"]): r for r in race.iter_rows(named=True)}
    age_rows = {normalize_title(r["occupation"]): r for r in age.iter_rows(named=True)}
    rows = []
    for soc, (title, role) in occupations.items():
        census, method = found.get(soc, (None, None))
        key = normalize_title(census) if census else ""
        rows.append(
            _profile(
                soc,
                title,
                role,
                census,
                method,
                race_rows.get(key),
                age_rows.get(key),
                race_year,
                age_year,
            )
        )
    total_race = race.filter(pl.col("row_order") == race["row_order"].min()).row(0, named=True)
    total_age = age.filter(pl.col("row_order") == age["row_order"].min()).row(0, named=True)
    rows.append(
        _profile(
            None,
            ALL_OCCUPATIONS,
            "all occupations",
            total_race["occupation"],
            "all employed people",
            total_race,
            total_age,
            race_year,
            age_year,
        )
    )
    frame = pl.DataFrame(rows, schema=DiversitySchema.columns)
    return DiversitySchema.validate(frame)


def _profile(
    soc: str | None,
    title: str,
    role: str,
    census: str | None,
    method: str | None,
    race: dict[str, object] | None,
    age: dict[str, object] | None,
    race_year: int,
    age_year: int,
) -> dict[str, object]:
    row: dict[str, object] = {
        "soc_code": soc,
        "title": title,
        "role": role,
        "cps_occupation": census,
        "match_method": method,
        "race_sex_year": race_year,
        "age_year": age_year,
    }
    for column in ("total_employed", "pct_women", "pct_black", "pct_asian", "pct_hispanic"):
        row[column] = race.get(column) if race else None
    total = age.get("total_employed") if age else None
    row["age_total_employed"] = total
    row["median_age"] = age.get("median_age") if age else None
    for group in AGE_GROUPS:
        people = age.get(f"age_{group}") if age else None
        row[f"pct_age_{group}"] = (
            float(people) / float(total) * 100  # type: ignore[arg-type]
            if people is not None and total
            else None
        )
    return row
