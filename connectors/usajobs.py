"""USAJOBS announcements (the shipped Jun-Sep 2025 healthcare/life-science extract) as a vacancy feed.

A real public vacancy feed: one row per federal job announcement, with the OPM occupational
series but no SOC code. Rows come back as text in PublicPostingSchema, like a member feed
before validation. `soc_hint` is a suggestion from the series, set only where the series
names one SOC 2018 occupation (OPM_SERIES_SOC), or where the title settles a series that
spans several (OPM_TITLE_SOC). Everything else stays null for title coding to decide.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from analytics.schemas import PublicPostingSchema
from connectors.ats import split_location
from connectors.errors import SourceError

SOURCE = "usajobs"
COLUMNS = (
    "usajobs_control_number",
    "position_title",
    "position_open_date",
    "position_close_date",
    "position_location",
    "hiring_agency",
    "occupation_series",
)

# OPM occupational series -> SOC 2018 (checked against O*NET 27.0 Occupation Data), only where the
# series is one occupation. Left out on purpose, because they span several SOC codes: 0401, 0413,
# 0601, 0602 (physicians of every specialty), 0636 (OT and PT assistants), 0638, 0640 (health
# technicians of every kind), 0646, 0649, 0665 (speech pathology and audiology), 0669, 0671,
# 0672, 0673, 0679 (clerical scheduling; O*NET lists it under Medical Assistants), 0680
# (general dentists and specialists), 0688, 0699 (student trainees) and 1311.
OPM_SERIES_SOC: tuple[tuple[str, str, str, str], ...] = (
    ("0180", "Psychology", "19-3033", "Clinical and Counseling Psychologists"),
    ("0185", "Social Work", "21-1022", "Healthcare Social Workers"),
    ("0403", "Microbiology", "19-1022", "Microbiologists"),
    ("0404", "Biological Science Technician", "19-4021", "Biological Technicians"),
    ("0603", "Physician Assistant", "29-1071", "Physician Assistants"),
    ("0610", "Nurse", "29-1141", "Registered Nurses"),
    ("0620", "Practical Nurse", "29-2061", "Licensed Practical and Licensed Vocational Nurses"),
    ("0621", "Nursing Assistant", "31-1131", "Nursing Assistants"),
    ("0622", "Medical Supply Aide and Technician", "31-9093", "Medical Equipment Preparers"),
    ("0630", "Dietitian and Nutritionist", "29-1031", "Dietitians and Nutritionists"),
    ("0631", "Occupational Therapist", "29-1122", "Occupational Therapists"),
    ("0633", "Physical Therapist", "29-1123", "Physical Therapists"),
    ("0644", "Clinical Laboratory Science", "29-2011", "Medical and Clinical Laboratory Technologists"),
    ("0645", "Medical Technician", "29-2012", "Medical and Clinical Laboratory Technicians"),
    ("0647", "Diagnostic Radiologic Technologist", "29-2034", "Radiologic Technologists and Technicians"),
    ("0648", "Therapeutic Radiologic Technologist", "29-1124", "Radiation Therapists"),
    ("0651", "Respiratory Therapist", "29-1126", "Respiratory Therapists"),
    ("0660", "Pharmacist", "29-1051", "Pharmacists"),
    ("0661", "Pharmacy Technician", "29-2052", "Pharmacy Technicians"),
    ("0662", "Optometrist", "29-1041", "Optometrists"),
    ("0667", "Orthotist and Prosthetist", "29-2091", "Orthotists and Prosthetists"),
    ("0668", "Podiatrist", "29-1081", "Podiatrists"),
    ("0670", "Health System Administration", "11-9111", "Medical and Health Services Managers"),
    ("0675", "Medical Records Technician", "29-2072", "Medical Records Specialists"),
    ("0681", "Dental Assistant", "31-9091", "Dental Assistants"),
    ("0682", "Dental Hygiene", "29-1292", "Dental Hygienists"),
    ("0683", "Dental Laboratory Aid and Technician", "51-9081", "Dental Laboratory Technicians"),
    ("0690", "Industrial Hygiene", "19-5011", "Occupational Health and Safety Specialists"),
    ("1320", "Chemistry", "19-2031", "Chemists"),
)  # fmt: skip

# Within a series, titles that name a different SOC occupation than the series default
# (first match wins): advanced practice nurses are series 0610, phlebotomists 0645, MRI
# technologists 0647, neuropsychologists 0180, mental-health social workers 0185. A None code
# marks titles that stay ambiguous: an "Advanced Practice Nurse" of no stated kind may be a
# nurse practitioner (29-1171) or a clinical nurse specialist (29-1141).
OPM_TITLE_SOC: tuple[tuple[str, str, str | None, str | None], ...] = (
    ("0610", r"(?i)anesthetist|\bCRNA\b", "29-1151", "Nurse Anesthetists"),
    ("0610", r"(?i)midwi", "29-1161", "Nurse Midwives"),
    ("0610", r"(?i)practitioner|nurse pract|\bNP\b", "29-1171", "Nurse Practitioners"),
    ("0610", r"(?i)advanced? practice|\bAPR?N\b", None, None),
    ("0645", r"(?i)phlebotom", "31-9097", "Phlebotomists"),
    ("0647", r"(?i)\bMRI\b|magnetic resonance", "29-2035", "Magnetic Resonance Imaging Technologists"),
    ("0180", r"(?i)neuropsycholog|research psycholog", "19-3039", "Psychologists, All Other"),
    ("0185", r"(?i)mental health|behavioral health|\bBHIP\b|substance|addiction|\bSUD\b|PTSD|psychiatr",
     "21-1023", "Mental Health and Substance Abuse Social Workers"),
)  # fmt: skip


def parse_usajobs_announcements(path: Path) -> pl.DataFrame:
    """Return the USAJOBS announcements CSV as vacancy-feed text rows in PublicPostingSchema."""
    path = Path(path)
    try:
        raw = pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as exc:
        reason = next((line for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
        raise SourceError(f"{path.name}: could not be read as CSV ({reason})") from exc
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise SourceError(
            f"{path.name}: missing column(s) {', '.join(missing)}; expected the USAJOBS "
            "announcements extract described in data/sources/SOURCES.md"
        )
    places = [split_location(text) for text in raw["position_location"].to_list()]
    title = pl.col("position_title").str.strip_chars().str.replace_all(r"\s+", " ")
    series = pl.col("occupation_series").str.strip_chars().str.zfill(4)
    frame = raw.with_columns(
        pl.col("usajobs_control_number").str.strip_chars().alias("posting_id"),
        title.alias("title"),
        _iso_date("position_open_date").alias("posted_date"),
        _iso_date("position_close_date").alias("closed_date"),
        pl.lit(None, pl.String).alias("status"),  # a closed announcement is not "filled"
        pl.lit("1").alias("openings"),
        pl.lit(None, pl.String).alias("employment_type"),
        pl.col("position_location").alias("location"),
        pl.Series("city", [city for city, _ in places], pl.String),
        pl.Series("state", [state for _, state in places], pl.String),
        pl.col("hiring_agency").alias("employer"),
        series.alias("occupation_series"),
        soc_hint(series, title).alias("soc_hint"),
        pl.lit(SOURCE).alias("source"),
    )
    return PublicPostingSchema.validate(frame)


def soc_hint(series: pl.Expr, title: pl.Expr) -> pl.Expr:
    """Return the SOC 2018 code an OPM series (and, within a few series, the title) points to."""
    default = series.replace_strict(
        [s for s, _, _, _ in OPM_SERIES_SOC],
        [soc for _, _, soc, _ in OPM_SERIES_SOC],
        default=None,
        return_dtype=pl.String,
    )
    hint = default
    for code, pattern, soc, _ in reversed(OPM_TITLE_SOC):
        hint = (
            pl.when((series == code) & title.str.contains(pattern))
            .then(pl.lit(soc, pl.String))
            .otherwise(hint)
        )
    return hint


def _iso_date(column: str) -> pl.Expr:
    """ISO date of `2025-07-28 00:00:00.000` or `2025-09-17T23:59:59.9970`; other text kept as given."""
    text = pl.col(column).str.strip_chars()
    parsed = text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False).dt.to_string("%Y-%m-%d")
    return pl.coalesce(parsed, text)
