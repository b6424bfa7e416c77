"""Upload: a member sends a vacancy, program or placement file, checks the mapping, stores it, reviews the result."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import polars as pl
import streamlit as st

import workflows
from analytics import access
from ui import auth, cached, exporting
from workflows import UserError

KIND_LABELS = {
    "vacancies": "Vacancies (open requisitions)",
    "programs": "Training programs",
    "placements": "Trainee placements",
}
IGNORE = "— not used —"
# How the stored postings read on screen (the downloads keep the warehouse's column names).
POSTING_COLUMNS = {
    "member": st.column_config.TextColumn("Member"),
    "posting_id": st.column_config.TextColumn("Requisition"),
    "title": st.column_config.TextColumn("Job title"),
    "soc_code": st.column_config.TextColumn("SOC"),
    "soc_confidence": st.column_config.NumberColumn(
        "Coding confidence", format="percent", help="How sure the title coder was"
    ),
    "soc_needs_review": st.column_config.CheckboxColumn("Code to review"),
    "soc_method": st.column_config.TextColumn("Coded by"),
    "county_fips": st.column_config.TextColumn("County FIPS"),
    "posted_date": st.column_config.DateColumn("Posted", format="YYYY-MM-DD"),
    "closed_date": st.column_config.DateColumn("Closed", format="YYYY-MM-DD"),
    "status": st.column_config.TextColumn("Status"),
    "openings": st.column_config.NumberColumn("Openings", format="localized"),
    "wage_min": st.column_config.NumberColumn("Pay from", format="dollar"),
    "wage_max": st.column_config.NumberColumn("Pay to", format="dollar"),
    "wage_unit": st.column_config.TextColumn("Pay per"),
    "education_required": st.column_config.TextColumn("Education asked"),
    "employment_type": st.column_config.TextColumn("Employment type"),
    "source_file": st.column_config.TextColumn("File"),
    "ingest_id": st.column_config.NumberColumn("Ingest", format="%d"),
    "ingested_at": st.column_config.DatetimeColumn("Stored at", format="YYYY-MM-DD HH:mm"),
}
SHOW_ROWS = 2_000  # on screen; a convener's "every member" list runs to tens of thousands

st.title("Upload member data")
st.write(
    "Send your open requisitions, training programs or trainee placements as CSV, Excel (.xlsx) or "
    "JSON. Rows that break a rule are set aside with their reason — nothing is lost — and the rest is "
    "stored. Your raw postings are visible only to you; other members see only aggregates."
)

viewer = auth.current_viewer()
if access.sees_all_postings(viewer) or (
    viewer.organization and viewer.role is not access.Role.VIEWER
):
    mine = cached.own_postings(cached.warehouse_version(), viewer.key(), viewer)
    everyone = access.sees_all_postings(viewer)
    st.subheader("Every member's postings" if everyone else "Your postings")
    where = (
        "every member's raw postings, visible to conveners only"
        if everyone
        else f"{viewer.organization}'s own postings, visible to {viewer.organization} and the "
        "conveners only"
    )
    source = f"Source: vacancy feeds stored in the consortium warehouse; {where}."
    if mine.is_empty():
        st.caption(
            f"No postings stored yet: send a vacancy file below (a sample is in "
            f"`data/samples/`). {source}"
        )
    else:
        shown = mine.head(SHOW_ROWS)
        more = (
            f" The latest {SHOW_ROWS:,} are shown; the downloads hold all."
            if mine.height > SHOW_ROWS
            else ""
        )
        st.caption(f"{mine.height:,} postings.{more} {source}")
        st.dataframe(
            shown,
            key="vacancies_own",
            hide_index=True,
            column_config=POSTING_COLUMNS,
        )
        exporting.offer_table(mine, "postings", source, key="vacancies_own_dl")

kinds = access.upload_kinds(viewer)
if not kinds:
    st.info(
        "Your role sees aggregates only and uploads nothing. Ask your convener to make you an "
        "employer or provider of your organization."
    )
    st.stop()
st.subheader("Send a file")
left, right = st.columns(2)
kind = left.selectbox(
    "What are you uploading?", kinds, format_func=KIND_LABELS.__getitem__,
    key="vacancies_kind",
)  # fmt: skip
member = None
if not access.chooses_member(viewer):
    member = viewer.organization
    # Set each run: a "view as" switch must not leave the previous organization's name showing.
    st.session_state["vacancies_member_fixed"] = member or ""
    right.text_input(
        "Your organization (member name)",
        disabled=True,
        key="vacancies_member_fixed",
        help="You upload for your own organization only; a convener uploads on another's behalf.",
    )
elif kind == "vacancies":
    known = workflows.list_members(viewer)
    member = right.text_input(
        "Your organization (member name)",
        value=known[0] if known else "",
        key="vacancies_member",
        help="Postings are stored under this member; re-sending a file updates them, never doubles them.",
    ).strip()

upload = st.file_uploader(
    "Feed file", type=["csv", "txt", "tsv", "xlsx", "json"], key="vacancies_file"
)
if upload is None:
    st.info(
        "No file yet. A vacancy feed needs at least a requisition id, a job title and a posting date; "
        "county, SOC code, status, wages and openings are used when present. Sample feeds are in "
        "`data/samples/`."
    )
    st.stop()
if kind == "vacancies" and not member:
    st.warning("Enter your organization's name to upload vacancies.")
    st.stop()

data = upload.getvalue()
digest = hashlib.sha256(data).hexdigest()[:16]
# One folder per content, so the file keeps the member's own name in messages and in `ingests`.
folder = Path(tempfile.gettempdir()) / "gapboard-uploads" / digest
folder.mkdir(parents=True, exist_ok=True)
path = folder / (Path(upload.name).name.strip(". ") or "upload")
if not path.exists():
    path.write_bytes(data)

try:
    preview = workflows.preview_feed(path, kind, member, viewer=viewer)
except UserError as exc:
    st.error(f"This file cannot be used: {exc}")
    st.stop()

st.subheader("1. Check the columns")
st.caption(
    f"{preview.rows:,} rows, {len(preview.columns)} columns. Each feed field is matched to a column "
    "by name; change any that are wrong. Your choice is remembered for your next upload."
)
by_field = {field: column for column, field in preview.mapping.items()}
chosen: dict[str, str] = {}
cols = st.columns(3)
for i, field in enumerate(preview.fields):
    options = [IGNORE, *preview.columns]
    current = by_field.get(field)
    pick = cols[i % 3].selectbox(
        field,
        options,
        index=options.index(current) if current in options else 0,
        key=f"vacancies_map_{kind}_{field}",
    )
    if pick != IGNORE:
        chosen[pick] = field
missing = workflows.unmapped_fields(chosen, kind)
st.subheader("2. Preview")
st.dataframe(preview.head, hide_index=True, width="stretch")

if missing:
    st.error(f"Required field(s) not matched to a column: {', '.join(missing)}.")
    st.stop()

if st.button("Store these rows", type="primary", key="vacancies_store"):
    with st.spinner("Reading, checking, coding titles and storing…"):
        try:
            summary = workflows.ingest_feed(
                kind, path, member=member, mapping=chosen, viewer=viewer
            )
        except UserError as exc:
            st.error(f"Nothing was stored: {exc}")
            st.stop()
    st.session_state["vacancies_last_ingest"] = summary

summary = st.session_state.get("vacancies_last_ingest")
if summary is None or summary.file_name != path.name:
    st.stop()

st.subheader("3. Result")
a, b, c, d = st.columns(4)
a.metric("Rows stored", f"{summary.accepted:,}")
b.metric("Of which updated", f"{summary.updated:,}")
c.metric("Rows set aside", f"{summary.rejected:,}")
d.metric("Titles to review", f"{summary.needs_review:,}")
rejected, review = workflows.ingest_outcome(summary.ingest_id, viewer)
if summary.rejected:
    st.markdown("**Rows set aside, with the reason** (fix them in your file and send it again):")
    reasons = pl.DataFrame(
        {"reason": list(summary.reasons), "rows": list(summary.reasons.values())}
    ).sort("rows", descending=True)
    st.dataframe(reasons, hide_index=True)
    st.dataframe(rejected, hide_index=True, width="stretch")
    exporting.offer_table(
        rejected,
        f"set-aside-{summary.ingest_id}",
        f"Rows set aside from {summary.file_name} (ingest {summary.ingest_id}), with the reason.",
        key="vacancies_rejects",
    )
if kind == "vacancies" and review.height:
    st.markdown(
        "**Job titles the coder was unsure about** — accept or correct the occupation code:"
    )
    suggestions = workflows.code_titles(review["title"])
    table = review.join(
        suggestions.select("title", "soc_code", "soc_title", "confidence"), on="title", how="left"
    ).select("title", "postings", "soc_code", "soc_title", "confidence")
    edited = st.data_editor(
        table,
        hide_index=True,
        width="stretch",
        disabled=["title", "postings", "soc_title", "confidence"],
        column_config={
            "soc_code": st.column_config.TextColumn("SOC code (edit to correct)"),
            "confidence": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0),
        },
        key="vacancies_review",
    )
    if not access.can_manage(viewer):
        st.caption("A convener accepts title codes for everyone; tell them which ones are wrong.")
    elif st.button("Accept these codes for next time", key="vacancies_accept"):
        accepted = 0
        for row in edited.iter_rows(named=True):
            if row["soc_code"]:
                try:
                    workflows.accept_title_code(
                        row["title"], row["soc_code"], viewer.user_id, viewer=viewer
                    )
                    accepted += 1
                except UserError as exc:
                    st.error(f"{row['title']}: {exc}")
        st.success(
            f"{accepted} title code(s) remembered; they win the next time these titles arrive."
        )
