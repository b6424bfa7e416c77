"""Write the illustrative member feeds in data/samples: vacancies, training programs and placements.

Run from the repository root: `.venv/bin/python scripts/make_samples.py`. Output is deterministic.

Nothing here is any real employer's or provider's data. The employers and providers are made up
and named "(illustrative)". What is real is the scale: each employer's monthly postings for an
occupation are a share of the region's annual openings from the shipped projections
(`gapboard demand`), with a hiring season; posted wages bracket the region's OEWS median; programs
carry real CIP 2020 codes, and the counties are the region's own. A handful of rows break a
feed rule on purpose, so that a first look also shows rows set aside with their reasons.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import workflows  # noqa: E402

OUT = ROOT / "data" / "samples"
SEED = 20261101
FIRST_MONTH = dt.date(2023, 11, 1)
MONTHS = 36  # November 2023 to October 2026: three seasons, enough for a seasonal forecast
AS_OF = dt.date(2026, 10, 31)
LABEL = "(illustrative)"

# Relative hiring by calendar month: a late-winter peak, the summer new-graduate season and the
# year-end lull of hospital hiring.
SEASON = np.array([1.08, 1.06, 1.10, 1.04, 1.00, 1.10, 1.12, 1.04, 0.98, 0.96, 0.86, 0.66])
SEASON = SEASON / SEASON.mean()


@dataclass(frozen=True)
class Occupation:
    """How an occupation is posted: titles employers use, education asked, typical days to fill."""

    soc: str
    titles: tuple[str, ...]
    education: str
    days_to_fill: int
    salaried: bool = False


OCCUPATIONS = {
    o.soc: o
    for o in (
        Occupation("29-1141", ("Registered Nurse - Med/Surg", "RN - ICU - Nights", "Registered Nurse II, Emergency Department", "RN Float Pool PRN", "Staff Nurse - Oncology", "Clinical Nurse - Labor & Delivery"), "Associate degree in nursing (ADN) or BSN; state RN license", 45),
        Occupation("31-1131", ("CNA - Nights", "Certified Nursing Assistant", "Nursing Assistant - Float Pool", "Patient Care Assistant", "CNA PRN - Rehab"), "High school diploma; state nurse aide certification", 28),
        Occupation("31-9092", ("Medical Assistant", "Certified Medical Assistant (CMA) - Primary Care", "MA - Pediatrics", "Clinical Medical Assistant II"), "Medical assistant certificate (CMA or RMA)", 30),
        Occupation("31-9093", ("Sterile Processing Technician I", "SPD Tech II - CRCST", "Central Sterile Technician - Evenings"), "High school diploma; CRCST within 18 months", 38),
        Occupation("29-2061", ("Licensed Practical Nurse", "LPN - Long Term Care", "LPN Charge Nurse - Nights"), "Practical nursing certificate; state LPN license", 35),
        Occupation("29-2052", ("Pharmacy Technician", "Certified Pharmacy Technician - Inpatient", "CPhT - Retail"), "High school diploma; PTCB certification", 30),
        Occupation("31-9097", ("Phlebotomist", "Phlebotomy Technician - Outpatient Lab", "Patient Service Technician (Phlebotomy)"), "Phlebotomy certificate", 25),
        Occupation("29-2011", ("Medical Technologist", "Clinical Laboratory Scientist", "MLS - Microbiology"), "Bachelor's degree; ASCP MLS certification", 55),
        Occupation("29-2012", ("Medical Lab Technician", "MLT - Core Lab"), "Associate degree; ASCP MLT certification", 45),
        Occupation("29-1126", ("Respiratory Therapist - RRT", "Registered Respiratory Therapist PRN"), "Associate degree; RRT credential", 40),
        Occupation("29-2055", ("Surgical Technologist", "Surg Tech - OR", "Certified Surgical Technologist (CST)"), "Surgical technology certificate or associate degree", 40),
        Occupation("29-2034", ("Radiologic Technologist", "X-Ray Tech", "Radiology Technologist - Per Diem"), "Associate degree; ARRT (R)", 42),
        Occupation("31-1121", ("Home Health Aide", "HHA - Weekends"), "Home health aide training (75 hours)", 21),
        Occupation("31-1122", ("Personal Care Aide", "Personal Care Attendant"), "No formal credential", 18),
        Occupation("29-2072", ("Medical Coder", "Health Information Technician"), "Coding certificate (CPC or CCS)", 40),
        Occupation("31-9091", ("Dental Assistant", "Certified Dental Assistant"), "Dental assisting certificate", 30),
        Occupation("29-1171", ("Nurse Practitioner", "Family Nurse Practitioner"), "Master's degree; NP license", 70, True),
        Occupation("29-1071", ("Physician Assistant", "PA-C - Urgent Care"), "Master's degree; PA-C", 70, True),
        Occupation("43-6013", ("Medical Secretary", "Unit Secretary"), "High school diploma", 25),
        Occupation("19-4021", ("Research Associate I", "Biological Technician", "Research Technician II"), "Bachelor's degree in biology or related", 50, True),
        Occupation("19-4031", ("Chemical Technician II", "Chemical Lab Technician"), "Associate or bachelor's degree in chemistry", 45),
        Occupation("51-9061", ("Quality Inspector II", "QC Inspector"), "High school diploma; GMP experience", 35),
        Occupation("19-1021", ("Scientist I, Protein Biochemistry", "Biochemist"), "PhD in biochemistry or related", 75, True),
        Occupation("19-1042", ("Medical Scientist",), "PhD or MD", 80, True),
    )
}  # fmt: skip


@dataclass(frozen=True)
class Employer:
    """A made-up member: its name, where it hires, what share of the region's openings it posts."""

    slug: str
    name: str
    counties: tuple[str, ...]
    shares: dict[str, float]  # SOC -> share of the region's annual openings posted by this member
    style: str  # which applicant-tracking export its feed looks like
    gives_soc: bool = False
    wage_share: float = 0.7  # share of postings that show a pay range


HOSPITAL = {"29-1141": 0.06, "31-1131": 0.05, "31-9093": 0.12, "29-2052": 0.04, "31-9097": 0.05,
            "29-2011": 0.08, "29-2012": 0.06, "29-1126": 0.10, "29-2055": 0.08, "29-2034": 0.06,
            "43-6013": 0.03, "29-1171": 0.03, "29-2072": 0.04, "31-9092": 0.03}  # fmt: skip
COMMUNITY_HEALTH = {"31-9092": 0.09, "29-1141": 0.01, "29-1171": 0.03, "31-9091": 0.05,
                    "29-2061": 0.02, "43-6013": 0.02, "29-1071": 0.02, "31-9097": 0.02,
                    "29-2052": 0.01}  # fmt: skip
LONG_TERM_CARE = {"31-1131": 0.06, "29-2061": 0.09, "29-1141": 0.01, "31-1121": 0.01,
                  "31-1122": 0.004}  # fmt: skip
LIFE_SCIENCE = {"19-4021": 0.07, "19-4031": 0.06, "51-9061": 0.02, "19-1021": 0.05, "19-1042": 0.03}
CLINICAL_LAB = {"31-9097": 0.06, "29-2011": 0.05, "29-2012": 0.05, "43-6013": 0.005}
AMBULATORY = {"31-9092": 0.06, "29-2034": 0.03, "29-1071": 0.02, "29-1171": 0.02, "29-2052": 0.01,
              "31-9093": 0.04, "29-2055": 0.03}  # fmt: skip
HOME_CARE = {"31-1121": 0.015, "31-1122": 0.006, "29-1141": 0.004, "29-2061": 0.01, "31-1131": 0.01}
BIOMANUFACTURING = {"51-9061": 0.04, "19-4031": 0.05, "19-4021": 0.04}
RESEARCH_INSTITUTE = {"19-4021": 0.05, "19-1042": 0.04, "19-1021": 0.03, "19-4031": 0.02}
DIAGNOSTICS = {**CLINICAL_LAB, "51-9061": 0.015, "19-4021": 0.01}
COMMUNITY_HOSPITAL = {soc: share / 2 for soc, share in HOSPITAL.items()}


@dataclass(frozen=True)
class Region:
    region_id: str
    code: str
    employers: tuple[Employer, ...]
    providers: tuple[tuple[str, str], ...]  # (provider, county FIPS)


REGIONS = (
    Region(
        "greater-boston",
        "BOS",
        (
            Employer("harbor-health", f"Harbor Health System {LABEL}", ("25025", "25017", "25021"), HOSPITAL, "workday", gives_soc=True),
            Employer("mystic-valley-community-health", f"Mystic Valley Community Health {LABEL}", ("25017", "25009"), COMMUNITY_HEALTH, "icims"),
            Employer("south-shore-senior-living", f"South Shore Senior Living {LABEL}", ("25023", "25021"), LONG_TERM_CARE, "taleo", wage_share=0.4),
            Employer("kendall-biologics", f"Kendall Biologics {LABEL}", ("25017",), LIFE_SCIENCE, "xlsx", gives_soc=True, wage_share=0.9),
            Employer("charles-river-diagnostics", f"Charles River Diagnostics {LABEL}", ("25017", "25025"), DIAGNOSTICS, "json"),
            Employer("north-shore-ambulatory", f"North Shore Ambulatory Care {LABEL}", ("25009",), AMBULATORY, "semicolon"),
            Employer("seaport-biomanufacturing", f"Seaport Biomanufacturing {LABEL}", ("25025", "25021"), BIOMANUFACTURING, "workday", wage_share=0.9),
            Employer("longwood-research-institute", f"Longwood Research Institute {LABEL}", ("25025",), RESEARCH_INSTITUTE, "icims", wage_share=0.8),
        ),
        (("Harborside Community College", "25025"), ("Merrimack Health Careers Institute", "25009"),
         ("Bay State Workforce Training Center", "25023")),
    ),
    Region(
        "chicagoland",
        "CHI",
        (
            Employer("lakefront-medical-center", f"Lakefront Medical Center {LABEL}", ("17031",), HOSPITAL, "icims", gives_soc=True),
            Employer("prairie-health-partners", f"Prairie Health Partners {LABEL}", ("17043", "17197"), AMBULATORY, "workday"),
            Employer("west-side-community-clinics", f"West Side Community Clinics {LABEL}", ("17031",), COMMUNITY_HEALTH, "json"),
            Employer("fox-valley-care-centers", f"Fox Valley Care Centers {LABEL}", ("17089", "17093"), LONG_TERM_CARE, "semicolon", wage_share=0.5),
            Employer("north-shore-biosciences", f"North Shore Biosciences {LABEL}", ("17097",), LIFE_SCIENCE, "xlsx", gives_soc=True, wage_share=0.9),
            Employer("midwest-reference-labs", f"Midwest Reference Labs {LABEL}", ("17031", "17043"), CLINICAL_LAB, "taleo"),
            Employer("calumet-home-care", f"Calumet Home Care {LABEL}", ("17031", "17197"), HOME_CARE, "icims", wage_share=0.6),
        ),
        (("Lakeshore City College", "17031"), ("DuPage Valley Community College", "17043"),
         ("Chicago Health Careers Academy", "17031"), ("Fox River Technical College", "17089")),
    ),
    Region(
        "southeast-michigan",
        "SEM",
        (
            Employer("great-lakes-health", f"Great Lakes Health {LABEL}", ("26163", "26125"), HOSPITAL, "taleo", gives_soc=True),
            Employer("huron-valley-medical-group", f"Huron Valley Medical Group {LABEL}", ("26161", "26093"), AMBULATORY, "icims"),
            Employer("wayne-community-health", f"Wayne Community Health Centers {LABEL}", ("26163",), COMMUNITY_HEALTH, "workday"),
            Employer("macomb-senior-care", f"Macomb Senior Care {LABEL}", ("26099", "26147"), LONG_TERM_CARE, "json", wage_share=0.5),
            Employer("washtenaw-biotherapeutics", f"Washtenaw Biotherapeutics {LABEL}", ("26161",), LIFE_SCIENCE, "xlsx", gives_soc=True, wage_share=0.9),
            Employer("flint-area-labs", f"Flint Area Laboratories {LABEL}", ("26049",), CLINICAL_LAB, "semicolon"),
            Employer("oakland-community-hospital", f"Oakland Community Hospital {LABEL}", ("26125",), COMMUNITY_HOSPITAL, "workday"),
            Employer("detroit-home-health", f"Detroit Home Health Partners {LABEL}", ("26163", "26099"), HOME_CARE, "icims", wage_share=0.6),
        ),
        (("Detroit Metro Community College", "26163"), ("Washtenaw Health Careers Center", "26161"),
         ("Genesee Technical Institute", "26049")),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class ProgramSpec:
    """A training program: CIP 2020 code, the occupation it trains for, award, length, cost."""

    cip: str
    name: str
    soc: str
    award: str
    weeks: int
    cost: int
    coverage: float  # completers as a share of the region's annual openings for the occupation


PROGRAMS = (
    ProgramSpec("51.3902", "Nurse Aide Training", "31-1131", "certificate", 6, 1400, 0.10),
    ProgramSpec("51.0801", "Medical Assistant", "31-9092", "certificate", 30, 4200, 0.09),
    ProgramSpec(
        "51.1012", "Sterile Processing Technician", "31-9093", "certificate", 14, 2600, 0.18
    ),
    ProgramSpec("51.0805", "Pharmacy Technician", "29-2052", "certificate", 16, 2900, 0.06),
    ProgramSpec("51.3901", "Practical Nursing", "29-2061", "certificate", 48, 15800, 0.20),
    ProgramSpec("51.3801", "Nursing (ADN)", "29-1141", "associate", 96, 11000, 0.05),
    ProgramSpec("51.1009", "Phlebotomy Technician", "31-9097", "certificate", 10, 1600, 0.12),
    ProgramSpec("51.1004", "Medical Laboratory Technician", "29-2012", "associate", 80, 9500, 0.14),
    ProgramSpec("51.0909", "Surgical Technology", "29-2055", "associate", 72, 9800, 0.15),
    ProgramSpec("51.0908", "Respiratory Care", "29-1126", "associate", 88, 10400, 0.12),
    ProgramSpec(
        "41.0101", "Biotechnology Laboratory Technician", "19-4021", "certificate", 26, 3800, 0.06
    ),
    ProgramSpec("51.0713", "Medical Coding", "29-2072", "certificate", 24, 3100, 0.07),
)


def main() -> None:
    rng = np.random.default_rng(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*_illustrative.*"):
        old.unlink()
    entries: list[dict[str, object]] = []
    for region in REGIONS:
        demand = workflows.demand(region.region_id).demand
        openings = dict(zip(demand["soc_code"], demand["annual_openings"], strict=True))
        wages = dict(zip(demand["soc_code"], demand["median_annual_wage"], strict=True))
        for employer in region.employers:
            rows = vacancies(region, employer, openings, wages, rng)
            entries.append(write_vacancies(region, employer, rows))
        programs = program_rows(region, openings, rng)
        entries.append(write_table(region, "programs", programs))
        entries.append(
            write_table(region, "placements", placement_rows(region, programs, wages, rng))
        )
    manifest = {
        "note": "Illustrative data for a first look: made-up employers and providers, volumes "
        "scaled from the regions' projected annual openings. Not any member's data.",
        "generated_by": "scripts/make_samples.py",
        "as_of": AS_OF.isoformat(),
        "files": entries,
    }
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    total = sum(int(str(e["rows"])) for e in entries)
    print(f"wrote {len(entries)} files, {total:,} rows, to {OUT.relative_to(ROOT)}")


def month_start(offset: int) -> dt.date:
    year, month = divmod(FIRST_MONTH.month - 1 + offset, 12)
    return dt.date(FIRST_MONTH.year + year, month + 1, 1)


def vacancies(
    region: Region,
    employer: Employer,
    openings: dict[str, float],
    wages: dict[str, float],
    rng: np.random.Generator,
) -> list[dict[str, object]]:
    """Return one employer's requisitions: monthly volumes from the region's openings, with season."""
    rows: list[dict[str, object]] = []
    serial = 10_000 + int(rng.integers(0, 80_000))
    for soc, share in employer.shares.items():
        occupation = OCCUPATIONS[soc]
        annual = (openings.get(soc) or 0.0) * share
        if annual <= 0:
            continue
        median_hourly = (wages.get(soc) or 0.0) / 2080
        for m in range(MONTHS):
            start = month_start(m)
            trend = 1 + 0.015 * (m - MONTHS / 2) / 12  # the projections' few percent a year
            for _ in range(int(rng.poisson(annual / 12 * SEASON[start.month - 1] * trend))):
                serial += int(rng.integers(1, 4))
                posted = start + dt.timedelta(days=int(rng.integers(0, 28)))
                days = int(rng.lognormal(math.log(occupation.days_to_fill), 0.45))
                closed = posted + dt.timedelta(days=days)
                status = "open"
                if closed <= AS_OF:
                    status = "cancelled" if rng.random() < 0.08 else "filled"
                else:
                    closed = None
                row: dict[str, object] = {
                    "posting_id": f"{region.code}-{serial:06d}",
                    "title": occupation.titles[int(rng.integers(0, len(occupation.titles)))],
                    "soc": soc,
                    "posted": posted,
                    "closed": closed,
                    "status": status,
                    "county": employer.counties[int(rng.integers(0, len(employer.counties)))],
                    "openings": 1 if soc not in ("31-1131", "31-1121", "31-1122") else int(rng.choice([1, 1, 1, 2, 3])),
                    "education": occupation.education,
                    "employment_type": str(rng.choice(["Full time", "Full time", "Full time", "Part time", "Per diem"])),
                    "wage_min": None,
                    "wage_max": None,
                    "wage_unit": None,
                }  # fmt: skip
                if median_hourly > 0 and rng.random() < employer.wage_share:
                    low, high = rng.uniform(0.82, 0.95), rng.uniform(1.12, 1.32)
                    if occupation.salaried:
                        unit, base = "year", median_hourly * 2080
                        row["wage_min"], row["wage_max"] = (
                            round(base * low, -2),
                            round(base * high, -2),
                        )
                    else:
                        unit = "hour"
                        row["wage_min"], row["wage_max"] = (
                            round(median_hourly * low, 2),
                            round(median_hourly * high, 2),
                        )
                    row["wage_unit"] = unit
                rows.append(row)
    rows.sort(key=lambda r: (r["posted"], r["posting_id"]))
    # A few rows as members' systems really send them: a date that does not exist, a lost
    # title, a requisition exported twice. They are set aside on ingest, with their reasons.
    if len(rows) > 200:
        rows[37]["posted"] = "2025-02-29"
        rows[101]["title"] = ""
        rows.append(dict(rows[150]))
    return rows


def county_names(fips: str) -> tuple[str, str]:
    counties = workflows.read_reference("counties")
    row = counties.filter(pl.col("county_fips") == fips).row(0, named=True)
    return str(row["county_name"]).removesuffix(" County"), str(row["state_name"])


def _date(value: object, style: str) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    assert isinstance(value, dt.date)
    return (
        f"{value.month}/{value.day}/{value.year}"
        if style in ("icims", "semicolon")
        else value.isoformat()
    )


def _money(value: object, style: str) -> str:
    if value is None:
        return ""
    return f"{float(str(value)):.2f}".replace(".", ",") if style == "semicolon" else f"{value}"


def write_vacancies(
    region: Region, employer: Employer, rows: list[dict[str, object]]
) -> dict[str, object]:
    """Write one employer's feed in the shape of its applicant-tracking export; return its manifest entry."""
    style = employer.style
    stem = f"vacancies_{region.region_id}_{employer.slug}_illustrative"
    names = {fips: county_names(fips) for fips in employer.counties}
    if style == "workday":
        header = ["Job Requisition ID", "Job Posting Title", "Job Posting Start Date", "Job Posting End Date",
                  "Requisition Status", "County FIPS", "Number of Openings", "Pay Range Minimum",
                  "Pay Range Maximum", "Pay Basis", "Time Type", "Required Education"]  # fmt: skip
        if employer.gives_soc:
            header.append("SOC Code")
        table = [[r["posting_id"], r["title"], _date(r["posted"], style), _date(r["closed"], style), str(r["status"]).title(),
                  r["county"], r["openings"], _money(r["wage_min"], style), _money(r["wage_max"], style),
                  r["wage_unit"] or "", r["employment_type"], r["education"]] + ([r["soc"]] if employer.gives_soc else [])
                 for r in rows]  # fmt: skip
    elif style in ("icims", "taleo"):
        header = ["Requisition ID" if style == "icims" else "Req. No.", "Job Title", "Date Opened", "Date Filled",
                  "Status", "County", "State", "Positions", "Min Pay", "Max Pay", "Pay Unit", "Employment Type",
                  "Education"]  # fmt: skip
        if employer.gives_soc:
            header.append("O*NET-SOC Code")
        table = [[r["posting_id"], r["title"], _date(r["posted"], style), _date(r["closed"], style), r["status"],
                  names[str(r["county"])][0], names[str(r["county"])][1], r["openings"], _money(r["wage_min"], style),
                  _money(r["wage_max"], style), r["wage_unit"] or "", r["employment_type"], r["education"]]
                 + ([f"{r['soc']}.00"] if employer.gives_soc else []) for r in rows]  # fmt: skip
    elif style == "semicolon":
        header = ["Requisition Number", "Position", "Posting Date", "Close Date", "Status", "FIPS", "Openings",
                  "Hourly Min", "Hourly Max", "Wage Unit", "Schedule"]  # fmt: skip
        table = [[r["posting_id"], r["title"], _date(r["posted"], style), _date(r["closed"], style), r["status"],
                  r["county"], r["openings"], _money(r["wage_min"], style), _money(r["wage_max"], style),
                  r["wage_unit"] or "", r["employment_type"]] for r in rows]  # fmt: skip
    elif style == "json":
        records = [{"requisitionId": r["posting_id"], "jobTitle": r["title"] or None, "postedDate": _date(r["posted"], style),
                    "closedDate": _date(r["closed"], style) or None, "status": r["status"], "countyFips": r["county"],
                    "openings": r["openings"], "wageMin": r["wage_min"], "wageMax": r["wage_max"], "wageUnit": r["wage_unit"],
                    "employmentType": r["employment_type"], "educationRequired": r["education"]} for r in rows]  # fmt: skip
        path = OUT / f"{stem}.json"
        path.write_text(
            json.dumps({"source": employer.name, "requisitions": records}, indent=1) + "\n",
            encoding="utf-8",
        )
        return entry(path, "vacancies", region, employer.name, len(rows))
    else:  # an Excel export with a title block above the header, SOC codes from the HR system
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "Requisitions"
        sheet.append([f"{employer.name} - open and recent requisitions"])
        sheet.append([f"Illustrative sample data, as of {AS_OF.isoformat()}"])
        sheet.append([])
        sheet.append(["Req #", "Position Title", "Date Opened", "Date Closed", "Status", "County FIPS", "Openings",
                      "Salary Min", "Salary Max", "Pay Basis", "SOC", "Education Required"])  # fmt: skip
        for r in rows:
            posted = r["posted"] if isinstance(r["posted"], dt.date) else r["posted"]
            sheet.append([r["posting_id"], r["title"], posted, r["closed"], r["status"], r["county"], r["openings"],
                          r["wage_min"], r["wage_max"], r["wage_unit"], r["soc"], r["education"]])  # fmt: skip
        path = OUT / f"{stem}.xlsx"
        book.save(path)
        return entry(path, "vacancies", region, employer.name, len(rows))
    delimiter = ";" if style == "semicolon" else ","
    path = OUT / f"{stem}.csv"
    write_csv(path, header, table, delimiter, "cp1252" if style == "semicolon" else "utf-8")
    return entry(path, "vacancies", region, employer.name, len(rows))


def program_rows(
    region: Region, openings: dict[str, float], rng: np.random.Generator
) -> list[dict[str, object]]:
    """Return the region's illustrative programs: each provider offers some, sized against openings."""
    rows: list[dict[str, object]] = []
    for n, spec in enumerate(PROGRAMS):
        offered_by = [region.providers[n % len(region.providers)]]
        if spec.award == "certificate" and rng.random() < 0.5:
            offered_by.append(region.providers[(n + 1) % len(region.providers)])
        for provider, county in offered_by:
            completers = max(
                4, round((openings.get(spec.soc) or 0.0) * spec.coverage / len(offered_by))
            )
            completion = round(float(rng.uniform(0.62, 0.88)), 2)
            rows.append(
                {
                    "Provider": f"{provider} {LABEL}",
                    "Program": spec.name,
                    "CIP Code": spec.cip,
                    "Award Level": spec.award,
                    "County FIPS": county,
                    "Annual Completers": completers,
                    "Placement Rate": f"{round(float(rng.uniform(0.58, 0.9)) * 100)}%",
                    "Annual Seats": math.ceil(completers / completion),
                    "Completion Rate": completion,
                    "Duration (weeks)": spec.weeks,
                    "Cost": spec.cost,
                    "Modality": str(rng.choice(["in person", "hybrid"])),
                    "_soc": spec.soc,
                }
            )
    return rows


def placement_rows(
    region: Region,
    programs: list[dict[str, object]],
    wages: dict[str, float],
    rng: np.random.Generator,
) -> list[dict[str, object]]:
    """Return trainees of the last five cohorts: completed, hired (or not), and who stayed."""
    cohorts = [("2024-spring", dt.date(2024, 5, 17)), ("2024-fall", dt.date(2024, 12, 13)),
               ("2025-spring", dt.date(2025, 5, 16)), ("2025-fall", dt.date(2025, 12, 12)),
               ("2026-spring", dt.date(2026, 5, 15))]  # fmt: skip
    employers = [e.name for e in region.employers]
    rows: list[dict[str, object]] = []
    for n, program in enumerate(programs):
        rate = float(str(program["Placement Rate"]).rstrip("%")) / 100
        soc = str(program["_soc"])
        hourly = (wages.get(soc) or 40_000.0) / 2080
        per_cohort = max(2, round(int(str(program["Annual Completers"])) / 2))
        for cohort, completed in cohorts:
            for k in range(per_cohort):
                participant = f"{region.code}-{n:02d}{cohort[2:4]}{cohort[5]}-{k:03d}"
                row: dict[str, object] = {
                    "Participant ID": participant, "Provider": program["Provider"], "Program": program["Program"],
                    "Cohort": cohort, "Completed On": completed.isoformat(), "Employer": "", "SOC Code": "",
                    "Hired On": "", "Hourly Wage": "", "Separated On": "",
                }  # fmt: skip
                hired = completed + dt.timedelta(days=int(rng.lognormal(math.log(35), 0.6)))
                if rng.random() < rate and hired <= AS_OF:
                    member = rng.random() < 0.7
                    row["Employer"] = (
                        employers[int(rng.integers(0, len(employers)))]
                        if member
                        else "Other employer"
                    )
                    row["SOC Code"] = soc
                    row["Hired On"] = hired.isoformat()
                    row["Hourly Wage"] = f"{hourly * rng.uniform(0.78, 0.98):.2f}"
                    if rng.random() < 0.22:
                        left = hired + dt.timedelta(days=int(rng.uniform(20, 400)))
                        if left <= AS_OF:
                            row["Separated On"] = left.isoformat()
                rows.append(row)
    return rows


def write_table(region: Region, kind: str, rows: list[dict[str, object]]) -> dict[str, object]:
    header = [k for k in rows[0] if not k.startswith("_")]
    path = OUT / f"{kind}_{region.region_id}_illustrative.csv"
    write_csv(path, header, [[r[h] for h in header] for r in rows], ",", "utf-8")
    return entry(path, kind, region, None, len(rows))


def write_csv(
    path: Path, header: list[str], rows: list[list[object]], delimiter: str, encoding: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    path.write_bytes(buffer.getvalue().encode(encoding))


def entry(
    path: Path, kind: str, region: Region, member: str | None, rows: int
) -> dict[str, object]:
    return {
        "file": path.name,
        "kind": kind,
        "member": member,
        "region_id": region.region_id,
        "rows": rows,
    }


if __name__ == "__main__":
    main()
