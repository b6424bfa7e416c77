"""Career pathways: which occupations feed a target occupation, and where a worker can go next.

A move from occupation A to occupation B gets a score from 0 to 1. The score is a weighted mean of
six parts, each from 0 to 1 (a part that is unknown for a pair is left out and the weights of the
others are rescaled):

| part      | weight | what it measures |
| --------- | ------ | ---------------- |
| skills    | 0.35   | Pearson correlation of the 35 O*NET skill importance ratings; 0.5 or less counts 0, 1 counts 1 |
| levels    | 0.10   | the same on the skill levels |
| tasks     | 0.15   | cosine of the TF-IDF words of the O*NET task statements, divided by the anchor's best match |
| related   | 0.20   | O*NET Related Occupations, either direction: Primary-Short 1, Primary-Long 0.7, Supplemental 0.35 |
| job zone  | 0.10   | B's job zone minus A's: 0 or +1 scores 1, +2 scores 0.4; a move down or a leap of 3+ scores 0 |
| industry  | 0.10   | overlap of national industry staffing (OEWS): share of both in the same kinds of employer |

Why these: skill ratings are the core likeness, but nearly every service occupation correlates
above 0.85 with every other, so correlations are stretched from 0.5 and the task words, O*NET's own
related-occupation lists and the job-zone step separate a medical secretary from a bank teller. The
industry part reflects incumbent-worker pathways: staff trained into a role at their own employer
(OEWS May 2025 national staffing in ambulatory care, hospitals, nursing and residential care, social
assistance, pharmaceutical manufacturing, scientific R&D, and all other industries together).

Occupations are 2018 SOC codes. O*NET rates some SOC codes through several O*NET-SOC occupations:
the SOC's own ".00" occupation is used when it is rated, else the mean of its rated specialties.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from analytics.schemas import (
    PathwayProgramSchema,
    PathwaySchema,
    SkillGapSchema,
)

WEIGHTS: dict[str, float] = {
    "skills": 0.35,
    "levels": 0.10,
    "tasks": 0.15,
    "related": 0.20,
    "job_zone": 0.10,
    "industry": 0.10,
}
RELATED_TIER_SCORE = {"Primary-Short": 1.0, "Primary-Long": 0.7, "Supplemental": 0.35}
JOB_ZONE_STEP_SCORE = {0: 1.0, 1: 1.0, 2: 0.4}
# Skill-profile correlations at or below this count as no likeness at all.
CORRELATION_FLOOR = 0.5
# OEWS industries (non-overlapping) that describe where healthcare and life-science staff work.
STAFFING_INDUSTRIES = {
    "621000": "ambulatory health care",
    "622000": "hospitals",
    "623000": "nursing and residential care",
    "624000": "social assistance",
    "325400": "pharmaceutical manufacturing",
    "541700": "scientific research and development",
}
ALL_INDUSTRIES = "000000"
NATIONAL_AREA = "0000000"
DETAILED_LEVEL = 3
# A worker moving "up" should not take a pay cut beyond this (percent): feeders (or destinations)
# outside it are left out of the default lists.
DEFAULT_MIN_WAGE_UPLIFT_PCT = -10.0
HOURS_PER_YEAR = 2080

# BLS typical entry education, ordered; everything before "Bachelor's degree" needs no bachelor's.
EDUCATION_ORDER = (
    "No formal educational credential",
    "High school diploma or equivalent",
    "Some college, no degree",
    "Postsecondary nondegree award",
    "Associate's degree",
    "Bachelor's degree",
    "Master's degree",
    "Doctoral or professional degree",
)
BELOW_BACHELORS = frozenset(EDUCATION_ORDER[:5])
# O*NET "required level of education" categories (RL) in BLS words, for occupations EP lacks.
ONET_EDUCATION_WORDS = {
    1: "No formal educational credential",
    2: "High school diploma or equivalent",
    3: "Postsecondary nondegree award",
    4: "Some college, no degree",
    5: "Associate's degree",
    6: "Bachelor's degree",
    7: "Bachelor's degree",
    8: "Master's degree",
    9: "Master's degree",
    10: "Doctoral or professional degree",
    11: "Doctoral or professional degree",
    12: "Doctoral or professional degree",
}
_STOP_WORDS = frozenset(
    """about according activities after all also and any are as assigned at based be between
    both by can conduct duties each for from have including into is its job may more must need
    needed new not of on one or other others over perform performing persons procedures proper
    provide related required such than that the their them these this those through to under
    use used using various when where which while with within work""".split()
)


@dataclass(frozen=True)
class PathwayIndex:
    """Everything the pathway score needs, per SOC code, computed once per reference snapshot."""

    soc_codes: tuple[str, ...]
    titles: dict[str, str]
    skills: tuple[str, ...]  # skill names, the columns of importance and level
    importance: np.ndarray  # occupations x skills, O*NET IM scale 1-5
    level: np.ndarray  # occupations x skills, O*NET LV scale 0-7
    task_similarity: np.ndarray  # occupations x occupations, cosine 0-1 (nan without tasks)
    related: np.ndarray  # occupations x occupations, tier score 0-1 (symmetric)
    related_tier: dict[tuple[str, str], str]  # (a, b) -> the stronger O*NET tier, either direction
    job_zone: np.ndarray  # per occupation, nan when O*NET gives none
    industry_overlap: np.ndarray  # occupations x occupations, 0-1 (nan without OEWS staffing)

    def position(self, soc_code: str) -> int:
        """Return the row of a SOC code, or raise KeyError."""
        return self._positions()[soc_code]

    def _positions(self) -> dict[str, int]:
        cached = self.__dict__.get("_pos")
        if cached is None:
            cached = {c: i for i, c in enumerate(self.soc_codes)}
            object.__setattr__(self, "_pos", cached)
        return cached

    def __contains__(self, soc_code: object) -> bool:
        return soc_code in self._positions()


def compute_soc_skill_profiles(skills: pl.DataFrame) -> pl.DataFrame:
    """Return importance and level per SOC code and skill: the SOC's ".00" ratings, else its specialties' mean."""
    rated = skills.select("onet_code", "soc_code").unique()
    base = rated.filter(pl.col("onet_code").str.ends_with(".00"))["soc_code"]
    used = rated.filter(
        pl.col("onet_code").str.ends_with(".00") | ~pl.col("soc_code").is_in(base.implode())
    )
    return (
        skills.join(used.select("onet_code"), on="onet_code")
        .group_by("soc_code", "element_id")
        .agg(pl.col("skill").first(), pl.col("importance").mean(), pl.col("level").mean())
        .sort("soc_code", "element_id")
    )


def compute_soc_titles(occupations: pl.DataFrame, ep: pl.DataFrame | None = None) -> dict[str, str]:
    """Return a title per SOC code: O*NET's ".00" occupation, else the BLS matrix title, else an O*NET specialty's."""
    titles = dict(
        occupations.sort("onet_code", descending=True).select("soc_code", "title").iter_rows()
    )
    if ep is not None:
        titles.update(
            ep.filter(pl.col("occupation_type") == "Line item")
            .select("ep_code", "title")
            .iter_rows()
        )
    base = occupations.filter(pl.col("onet_code").str.ends_with(".00"))
    titles.update(base.select("soc_code", "title").iter_rows())
    return titles


def compute_industry_shares(
    oews: pl.DataFrame, ep_soc_map: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Return each SOC code's national employment shares (0-1) by staffing industry, plus `elsewhere`.

    Codes OEWS publishes only as aggregates (31-1120) lend their shares to the detailed codes the
    EP-SOC map gives them (31-1121, 31-1122).
    """
    wanted = [ALL_INDUSTRIES, *STAFFING_INDUSTRIES]
    rows = oews.filter(
        pl.col("area_code") == NATIONAL_AREA,
        pl.col("occ_level") == DETAILED_LEVEL,
        pl.col("industry_code").is_in(wanted),
    ).select("soc_code", "industry_code", pl.col("employment").fill_null(0.0))
    if rows.height == 0:
        return pl.DataFrame(
            schema={
                "soc_code": pl.String,
                **{k: pl.Float64 for k in [*STAFFING_INDUSTRIES, "elsewhere"]},
            }
        )
    wide = rows.pivot(
        on="industry_code", index="soc_code", values="employment", aggregate_function="sum"
    )
    for code in wanted:
        if code not in wide.columns:
            wide = wide.with_columns(pl.lit(0.0).alias(code))
    total = pl.col(ALL_INDUSTRIES)
    named = pl.sum_horizontal([pl.col(c).fill_null(0.0) for c in STAFFING_INDUSTRIES])
    shares = wide.filter(total > 0).select(
        "soc_code",
        *[(pl.col(c).fill_null(0.0) / total).clip(0, 1).alias(c) for c in STAFFING_INDUSTRIES],
        ((total - named).clip(0, None) / total).alias("elsewhere"),
    )
    if ep_soc_map is not None and ep_soc_map.height:
        bridged = (
            ep_soc_map.filter(pl.col("ep_code") != pl.col("soc_code"))
            .join(shares.rename({"soc_code": "ep_code"}), on="ep_code", how="inner")
            .drop("ep_code")
            .filter(~pl.col("soc_code").is_in(shares["soc_code"].implode()))
        )
        shares = pl.concat([shares, bridged.select(shares.columns)])
    return shares.unique("soc_code", keep="first").sort("soc_code")


def build_pathway_index(
    skills: pl.DataFrame,
    occupations: pl.DataFrame,
    related: pl.DataFrame,
    job_zones: pl.DataFrame,
    tasks: pl.DataFrame | None = None,
    industry_shares: pl.DataFrame | None = None,
    ep: pl.DataFrame | None = None,
) -> PathwayIndex:
    """Return the PathwayIndex over every SOC code O*NET rates skills for."""
    profiles = compute_soc_skill_profiles(skills)
    elements = profiles.select("element_id", "skill").unique("element_id").sort("element_id")
    importance = profiles.pivot(on="element_id", index="soc_code", values="importance").sort(
        "soc_code"
    )
    level = profiles.pivot(on="element_id", index="soc_code", values="level").sort("soc_code")
    order = elements["element_id"].to_list()
    codes = tuple(importance["soc_code"].to_list())
    imp = importance.select(order).to_numpy().astype(float)
    lev = level.select(order).to_numpy().astype(float)
    # An occupation missing a skill rating takes the skill's mean, which leaves its correlation fair.
    imp = np.where(np.isnan(imp), np.nanmean(imp, axis=0), imp)
    lev = np.where(np.isnan(lev), np.nanmean(lev, axis=0), lev)
    pos = {c: i for i, c in enumerate(codes)}

    rel = np.zeros((len(codes), len(codes)))
    tiers: dict[tuple[str, str], str] = {}
    pairs = related.select(
        pl.col("onet_code").str.slice(0, 7).alias("a"),
        pl.col("related_onet_code").str.slice(0, 7).alias("b"),
        "tier",
    )
    for a, b, tier in pairs.iter_rows():
        if a == b or a not in pos or b not in pos:
            continue
        score = RELATED_TIER_SCORE.get(tier, 0.0)
        if score > rel[pos[a], pos[b]]:
            rel[pos[a], pos[b]] = rel[pos[b], pos[a]] = score
            tiers[(a, b)] = tiers[(b, a)] = tier

    zones = (
        job_zones.with_columns(pl.col("onet_code").str.ends_with(".00").alias("base"))
        .sort("soc_code", "base", descending=[False, True])
        .group_by("soc_code", maintain_order=True)
        .agg(pl.col("job_zone").first())
    )
    zone = np.full(len(codes), np.nan)
    for soc, z in zones.iter_rows():
        if soc in pos and z is not None:
            zone[pos[soc]] = float(z)

    task_sim = (
        _task_similarity(tasks, codes)
        if tasks is not None
        else np.full((len(codes), len(codes)), np.nan)
    )
    overlap = np.full((len(codes), len(codes)), np.nan)
    if industry_shares is not None and industry_shares.height:
        cols = [*STAFFING_INDUSTRIES, "elsewhere"]
        share = np.full((len(codes), len(cols)), np.nan)
        for row in industry_shares.select("soc_code", *cols).iter_rows():
            if row[0] in pos:
                share[pos[row[0]]] = row[1:]
        known = ~np.isnan(share[:, 0])
        s = np.nan_to_num(share)
        mins = np.minimum(s[:, None, :], s[None, :, :]).sum(axis=2)
        overlap = np.where(known[:, None] & known[None, :], mins, np.nan)

    return PathwayIndex(
        soc_codes=codes,
        titles=compute_soc_titles(occupations, ep),
        skills=tuple(elements["skill"].to_list()),
        importance=imp,
        level=lev,
        task_similarity=task_sim,
        related=rel,
        related_tier=tiers,
        job_zone=zone,
        industry_overlap=overlap,
    )


def _words(text: str) -> list[str]:
    words = []
    for w in re.findall(r"[a-z]+", text.lower()):
        if len(w) < 3 or w in _STOP_WORDS:
            continue
        # A crude singular keeps "patients" and "patient" together.
        if w.endswith("s") and not w.endswith("ss") and len(w) > 4:
            w = w[:-1]
        words.append(w)
    return words


def _task_similarity(tasks: pl.DataFrame, codes: Sequence[str]) -> np.ndarray:
    """Cosine similarity of TF-IDF word vectors of each SOC's task statements (nan without tasks)."""
    docs: dict[str, list[str]] = {}
    for onet, text in tasks.select("onet_code", "task").iter_rows():
        docs.setdefault(onet[:7], []).extend(_words(text or ""))
    counts = {c: Counter(docs.get(c, [])) for c in codes}
    frequency: Counter[str] = Counter()
    for c in counts.values():
        frequency.update(c.keys())
    vocabulary = {w: i for i, w in enumerate(sorted(frequency))}
    n = max(sum(1 for c in counts.values() if c), 1)
    matrix = np.zeros((len(codes), len(vocabulary)), dtype=np.float32)
    for row, code in enumerate(codes):
        for word, k in counts[code].items():
            matrix[row, vocabulary[word]] = (1 + math.log(k)) * math.log(n / frequency[word])
    norms = np.linalg.norm(matrix, axis=1)
    has = norms > 0
    matrix[has] /= norms[has, None]
    sim = (matrix @ matrix.T).astype(float)
    sim[~has, :] = np.nan
    sim[:, ~has] = np.nan
    return np.asarray(sim)


def _correlations(matrix: np.ndarray, row: int) -> np.ndarray:
    centered = matrix - matrix.mean(axis=1, keepdims=True)
    anchor = centered[row]
    norms = np.linalg.norm(centered, axis=1) * np.linalg.norm(anchor)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = centered @ anchor / norms
    return np.asarray(r)


def _stretch(r: np.ndarray) -> np.ndarray:
    return np.asarray(np.clip((r - CORRELATION_FLOOR) / (1 - CORRELATION_FLOOR), 0.0, 1.0))


def compute_moves(
    index: PathwayIndex,
    soc_code: str,
    direction: str = "to",
    limit: int | None = None,
) -> pl.DataFrame:
    """Return scored moves into (direction "to") or out of ("from") an occupation, best first.

    Columns: from_soc, from_title, to_soc, to_title, similarity (the 0-1 score), skill_similarity
    and level_similarity (Pearson r), task_similarity (cosine), related_tier, job_zone_from,
    job_zone_to, industry_overlap. The occupation itself is never listed.
    """
    if direction not in ("to", "from"):
        raise ValueError("direction is 'to' or 'from'")
    anchor = index.position(soc_code)
    r_skill = _correlations(index.importance, anchor)
    r_level = _correlations(index.level, anchor)
    tasks = index.task_similarity[anchor].copy()
    tasks[anchor] = np.nan
    best = np.nanmax(tasks) if np.any(~np.isnan(tasks)) else np.nan
    task_part = tasks / best if best and best > 0 else np.full_like(tasks, np.nan)
    zone_anchor = index.job_zone[anchor]
    # The step is destination minus origin: the anchor is the destination of a "to" list.
    step = (zone_anchor - index.job_zone) if direction == "to" else (index.job_zone - zone_anchor)
    zone_part = np.array(
        [np.nan if math.isnan(s) else JOB_ZONE_STEP_SCORE.get(int(s), 0.0) for s in step]
    )
    parts = {
        "skills": _stretch(r_skill),
        "levels": _stretch(r_level),
        "tasks": np.clip(task_part, 0.0, 1.0),
        "related": index.related[anchor],
        "job_zone": zone_part,
        "industry": index.industry_overlap[anchor],
    }
    stacked = np.vstack([parts[k] for k in WEIGHTS])
    weights = np.array(list(WEIGHTS.values()))[:, None] * ~np.isnan(stacked)
    with np.errstate(invalid="ignore"):
        score = np.nansum(stacked * weights, axis=0) / weights.sum(axis=0)

    codes = list(index.soc_codes)
    others = [i for i in range(len(codes)) if i != anchor]
    me = index.soc_codes[anchor]
    origin = [codes[i] for i in others] if direction == "to" else [me] * len(others)
    destination = [me] * len(others) if direction == "to" else [codes[i] for i in others]
    zone_of = {c: index.job_zone[index.position(c)] for c in {*origin, *destination}}
    frame = pl.DataFrame(
        {
            "from_soc": origin,
            "from_title": [index.titles.get(c, c) for c in origin],
            "to_soc": destination,
            "to_title": [index.titles.get(c, c) for c in destination],
            "similarity": score[others],
            "skill_similarity": r_skill[others],
            "level_similarity": r_level[others],
            "task_similarity": tasks[others],
            "related_tier": [index.related_tier.get((me, codes[i])) for i in others],
            "job_zone_from": [_zone(zone_of[c]) for c in origin],
            "job_zone_to": [_zone(zone_of[c]) for c in destination],
            "industry_overlap": index.industry_overlap[anchor][others],
        },
        schema={
            "from_soc": pl.String,
            "from_title": pl.String,
            "to_soc": pl.String,
            "to_title": pl.String,
            "similarity": pl.Float64,
            "skill_similarity": pl.Float64,
            "level_similarity": pl.Float64,
            "task_similarity": pl.Float64,
            "related_tier": pl.String,
            "job_zone_from": pl.Int8,
            "job_zone_to": pl.Int8,
            "industry_overlap": pl.Float64,
        },
        nan_to_null=True,
    ).sort("similarity", "from_soc", "to_soc", descending=[True, False, False], nulls_last=True)
    return frame.head(limit) if limit is not None else frame


def _zone(value: float) -> int | None:
    return None if math.isnan(value) else int(value)


def compute_skill_gaps(index: PathwayIndex, from_soc: str, to_soc: str) -> pl.DataFrame:
    """Return every skill's importance and level in both occupations, the largest importance gain first (SkillGap)."""
    a, b = index.position(from_soc), index.position(to_soc)
    frame = pl.DataFrame(
        {
            "from_soc": [from_soc] * len(index.skills),
            "to_soc": [to_soc] * len(index.skills),
            "skill": list(index.skills),
            "importance_from": index.importance[a],
            "importance_to": index.importance[b],
            "level_from": index.level[a],
            "level_to": index.level[b],
        }
    ).with_columns(
        (pl.col("importance_to") - pl.col("importance_from")).alias("importance_gap"),
        (pl.col("level_to") - pl.col("level_from")).alias("level_gap"),
    )
    return SkillGapSchema.validate(
        frame.sort("importance_gap", "level_gap", "skill", descending=[True, True, False])
    )


def describe_skills_to_gain(gaps: pl.DataFrame, top: int = 3, min_gap: float = 0.25) -> str:
    """Return the skills whose importance rises most, e.g. "Science (+1.1), Monitoring (+0.6)"."""
    rows = gaps.filter(pl.col("importance_gap") >= min_gap).head(top)
    return ", ".join(
        f"{s} (+{g:.1f})" for s, g in rows.select("skill", "importance_gap").iter_rows()
    )


def compute_wages(
    socs: Iterable[str],
    region_base: pl.DataFrame,
    national_base: pl.DataFrame,
    ep: pl.DataFrame,
    ep_soc_map: pl.DataFrame,
) -> pl.DataFrame:
    """Return soc_code, median_annual_wage and wage_source ("region" or "national") per SOC code.

    `region_base` and `national_base` are analytics.projections.compute_region_base results. A
    detailed code OEWS publishes only inside an aggregate (31-1121 in 31-1120) takes the
    aggregate's wage. Where the region has no published median, the national OEWS median is used,
    then the BLS Employment Projections median.
    """
    to_ep = dict(zip(ep_soc_map["soc_code"], ep_soc_map["ep_code"], strict=True))
    regional = _wage_lookup(region_base)
    national = _wage_lookup(national_base)
    ep_wage = {
        code: wage
        for code, wage in ep.select("ep_code", "median_annual_wage").iter_rows()
        if wage is not None
    }
    rows = []
    for soc in dict.fromkeys(socs):
        keys = [soc, to_ep.get(soc, soc)]
        wage, source = None, None
        for table, label in ((regional, "region"), (national, "national"), (ep_wage, "national")):
            found = next((table[k] for k in keys if table.get(k) is not None), None)
            if found is not None:
                wage, source = found, label
                break
        rows.append({"soc_code": soc, "median_annual_wage": wage, "wage_source": source})
    return pl.DataFrame(
        rows,
        schema={"soc_code": pl.String, "median_annual_wage": pl.Float64, "wage_source": pl.String},
    )


def _wage_lookup(base: pl.DataFrame) -> dict[str, float]:
    return {
        code: wage
        for code, wage in base.select("soc_code", "median_annual_wage").iter_rows()
        if wage is not None
    }


def compute_entry_education(
    socs: Iterable[str],
    ep: pl.DataFrame,
    ep_soc_map: pl.DataFrame,
    onet_education: pl.DataFrame | None = None,
    overrides: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """Return soc_code, entry_education, no_bachelors_needed and education_source per SOC code.

    BLS Employment Projections' typical entry education where the SOC code is its own matrix line
    item. A code BLS publishes only inside an aggregate (29-2012 in 29-2010) takes O*NET's most
    common required education (in BLS words), else the aggregate's. `overrides` (SOC code -> the
    lowest education that qualifies, e.g. an associate degree for registered nurses) decides the
    no-bachelor's flag where licensure accepts less than the typical level.
    """
    to_ep = dict(zip(ep_soc_map["soc_code"], ep_soc_map["ep_code"], strict=True))
    bls = {
        code: edu
        for code, edu in ep.filter(pl.col("occupation_type") == "Line item")
        .select("ep_code", "entry_education")
        .iter_rows()
        if edu
    }
    onet: dict[str, str] = {}
    if onet_education is not None and onet_education.height:
        modal = (
            onet_education.group_by("soc_code", "category")
            .agg(pl.col("share_pct").mean())
            .sort("soc_code", "share_pct", "category", descending=[False, True, False])
            .group_by("soc_code", maintain_order=True)
            .agg(pl.col("category").first())
        )
        onet = {
            soc: ONET_EDUCATION_WORDS[int(cat)]
            for soc, cat in modal.iter_rows()
            if int(cat) in ONET_EDUCATION_WORDS
        }
    rows = []
    for soc in dict.fromkeys(socs):
        aggregate = to_ep.get(soc, soc)
        if soc in bls:
            edu, source = bls[soc], "BLS Employment Projections"
        elif soc in onet:
            edu, source = onet[soc], "O*NET education ratings"
        elif aggregate in bls:
            edu, source = bls[aggregate], f"BLS Employment Projections ({aggregate})"
        else:
            edu, source = None, None
        lowest = (overrides or {}).get(soc, edu)
        rows.append(
            {
                "soc_code": soc,
                "entry_education": edu,
                "no_bachelors_needed": (lowest in BELOW_BACHELORS) if lowest else None,
                "education_source": source,
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "soc_code": pl.String,
            "entry_education": pl.String,
            "no_bachelors_needed": pl.Boolean,
            "education_source": pl.String,
        },
    )


def compute_target_programs(
    supply: pl.DataFrame, socs: Iterable[str], ep_soc_map: pl.DataFrame
) -> pl.DataFrame:
    """Return the region's programs that train for each SOC code (PathwayProgram), most people first.

    `supply` is the region's analytics.supply allocation (Supply, keyed on BLS matrix codes): a
    program counts for an occupation when the crosswalk links its CIP to it and the award reaches
    its entry education, exactly as in the gap. A detailed code inside a BLS aggregate (31-1122 in
    31-1120) is trained for by the aggregate's programs.
    """
    wanted = list(dict.fromkeys(socs))
    to_ep = dict(zip(ep_soc_map["soc_code"], ep_soc_map["ep_code"], strict=True))
    keys = pl.DataFrame(
        {"soc_code": wanted, "ep_code": [to_ep.get(s, s) for s in wanted]},
        schema={"soc_code": pl.String, "ep_code": pl.String},
    )
    if supply.height == 0:
        return PathwayProgramSchema.empty()
    frame = (
        supply.filter(pl.col("share") > 0)
        .rename({"soc_code": "ep_code"})
        .join(keys, on="ep_code", how="inner")
        .select(
            "soc_code",
            "source",
            "provider",
            "program",
            "cip_code",
            "award_level",
            "county_fips",
            "annual_completers",
            "share",
            "annual_supply",
            "placement_rate",
            "placement_rate_source",
        )
    )
    return PathwayProgramSchema.validate(
        frame.sort(
            "soc_code",
            "annual_supply",
            "provider",
            descending=[False, True, False],
            nulls_last=True,
        )
    )


def build_pathways(
    index: PathwayIndex,
    moves: pl.DataFrame,
    wages: pl.DataFrame,
    education: pl.DataFrame,
    programs: pl.DataFrame,
    min_wage_uplift_pct: float | None = DEFAULT_MIN_WAGE_UPLIFT_PCT,
    limit: int | None = None,
) -> pl.DataFrame:
    """Return the pathway table (Pathway): moves with wages, uplift, entry education, skills to gain, programs.

    Wage uplift compares the destination's median wage with the origin's, both the region's own
    OEWS medians where published (`wage_source` says "national" when either is not). With
    `min_wage_uplift_pct`, moves that would cut pay by more than that are left out (a pathway is a
    move up); moves without a known wage stay. `limit` keeps the best that many, in the order of
    `moves`.
    """
    wage = wages.select("soc_code", "median_annual_wage", "wage_source")
    counts = programs.group_by("soc_code").agg(
        pl.len().cast(pl.Int32).alias("programs"),
        pl.col("annual_supply").sum().alias("program_supply"),
    )
    frame = (
        moves.join(
            wage.rename(
                {
                    "soc_code": "from_soc",
                    "median_annual_wage": "from_median_annual_wage",
                    "wage_source": "ws_from",
                }
            ),
            on="from_soc",
            how="left",
        )
        .join(
            wage.rename(
                {
                    "soc_code": "to_soc",
                    "median_annual_wage": "to_median_annual_wage",
                    "wage_source": "ws_to",
                }
            ),
            on="to_soc",
            how="left",
        )
        .join(
            education.select("soc_code", "entry_education", "no_bachelors_needed").rename(
                {"soc_code": "to_soc"}
            ),
            on="to_soc",
            how="left",
        )
        .join(counts.rename({"soc_code": "to_soc"}), on="to_soc", how="left")
        .with_columns(
            ((pl.col("to_median_annual_wage") / pl.col("from_median_annual_wage") - 1) * 100).alias(
                "wage_uplift_pct"
            ),
            pl.when(pl.col("ws_from").is_null() | pl.col("ws_to").is_null())
            .then(pl.lit(None, pl.String))
            .when((pl.col("ws_from") == "region") & (pl.col("ws_to") == "region"))
            .then(pl.lit("region"))
            .otherwise(pl.lit("national"))
            .alias("wage_source"),
            pl.col("programs").fill_null(0),
            pl.col("program_supply").fill_null(0.0),
        )
    )
    if min_wage_uplift_pct is not None:
        frame = frame.filter(
            pl.col("wage_uplift_pct").is_null() | (pl.col("wage_uplift_pct") >= min_wage_uplift_pct)
        )
    if limit is not None:
        frame = frame.head(limit)
    gains = [
        describe_skills_to_gain(compute_skill_gaps(index, a, b))
        for a, b in frame.select("from_soc", "to_soc").iter_rows()
    ]
    frame = frame.with_columns(pl.Series("skills_to_gain", gains, dtype=pl.String))
    return PathwaySchema.validate(
        frame.with_row_index("rank", offset=1).with_columns(pl.col("rank").cast(pl.Int32))
    )


def check_occupation(
    index: PathwayIndex, soc_code: str, ep_soc_map: pl.DataFrame | None = None
) -> str:
    """Return the SOC code an input names (29-1141, 29-1141.00), or raise ValueError saying why it cannot be used."""
    code = soc_code.strip()
    if re.fullmatch(r"\d{2}-\d{4}\.\d{2}", code):
        code = code[:7]
    if not re.fullmatch(r"\d{2}-\d{4}", code):
        raise ValueError(f"'{soc_code}' is not a SOC code (like 31-9092)")
    if code in index:
        return code
    if ep_soc_map is not None:
        parts = ep_soc_map.filter(pl.col("ep_code") == code, pl.col("soc_code") != code)["soc_code"]
        rated = [p for p in parts.to_list() if p in index]
        if rated:
            raise ValueError(
                f"'{code}' is a BLS aggregate; O*NET rates its parts separately: {', '.join(rated)}"
            )
    near = [c for c in index.soc_codes if c[:5] == code[:5]][:6]
    hint = f" (rated occupations nearby: {', '.join(near)})" if near else ""
    raise ValueError(f"'{code}' is not an occupation O*NET rates skills for{hint}")
