"""The `gapboard` command line: each command is a few lines over a function in workflows.py.

Results go to standard output, messages to standard error. Exit 0 on success, 2 on an error the
user can fix (one line saying what and how), 1 only for a bug.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import polars as pl

log = logging.getLogger("gapboard")

Handler = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, Handler] = {}


def emit(frame: pl.DataFrame, fmt: str) -> None:
    """Write a result frame to stdout as a readable table, CSV or JSON records."""
    if fmt == "csv":
        sys.stdout.write(frame.write_csv())
    elif fmt == "json":
        sys.stdout.write(json.dumps(frame.to_dicts(), indent=2, default=str) + "\n")
    else:
        years = [c for c in frame.columns if c.endswith("year")]
        whole = [
            c
            for c, t in frame.schema.items()
            if t.is_float()
            and bool((frame[c].drop_nulls() == frame[c].drop_nulls().round(0)).all())
        ]
        frame = frame.with_columns(pl.col(years).cast(pl.String), pl.col(whole).cast(pl.Int64))
        with pl.Config(
            tbl_rows=-1,
            tbl_cols=-1,
            tbl_width_chars=200,
            fmt_str_lengths=60,
            tbl_hide_dataframe_shape=True,
            tbl_hide_column_data_types=True,
            thousands_separator=",",
            float_precision=1,
        ):
            sys.stdout.write(str(frame) + "\n")


def note(message: str) -> None:
    """Write a message for people to standard error."""
    sys.stderr.write(message.rstrip() + "\n")


# --- reference data ---------------------------------------------------------------------------


def cmd_refresh(args: argparse.Namespace) -> int:
    import workflows

    result = workflows.refresh(
        Path(args.source_dir) if args.source_dir else None,
        only=args.source or None,
        progress=not args.quiet,
    )
    emit(result, args.format)
    failed = result.filter(~pl.col("status").is_in(["updated"]))
    for row in failed.iter_rows(named=True):
        note(f"{row['source']}: {row['status']}")
    if failed.height == result.height:
        note(
            f"no dataset was updated; the last good snapshot is unchanged. {workflows.snapshot_freshness()}"
        )
        return 2
    return 0


def cmd_demand(args: argparse.Namespace) -> int:
    import workflows

    result = workflows.demand(args.region, args.soc)
    note(f"{result.region.name}: {result.coverage_note}")
    note("Growth: BLS national 2024–34 projection rates; openings = growth/10 + separations.")
    people = ["base_employment", "projected_employment", "annual_openings", "median_annual_wage"]
    shown = result.demand.drop("wage_top_coded", "growth_source").with_columns(
        pl.col(people).round(0), pl.col("growth_pct").round(1)
    )
    emit(shown, args.format)
    return 0


def cmd_regions(args: argparse.Namespace) -> int:
    import workflows

    rows = [
        {
            "region_id": r.region_id,
            "name": r.name,
            "kind": r.kind,
            "description": r.description,
            "watchlist": " ".join(r.watchlist),
        }
        for r in workflows.list_regions()
    ]
    emit(pl.DataFrame(rows), args.format)
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    import workflows

    emit(workflows.sources(), args.format)
    return 0


# --- member data (ingest, title coding, samples) -----------------------------------------------


def cmd_ingest(args: argparse.Namespace) -> int:
    import dataclasses
    import getpass

    import workflows

    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = None
    summary = workflows.ingest_feed(
        args.kind, Path(args.file), member=args.member, uploaded_by=who, progress=not args.quiet
    )
    sys.stdout.write(json.dumps(dataclasses.asdict(summary), indent=2) + "\n")
    if summary.rejected:
        note(
            f"{summary.rejected} row(s) set aside with reasons (see rejects, ingest {summary.ingest_id})"
        )
    return 0


def cmd_ingest_board(args: argparse.Namespace) -> int:
    import dataclasses

    import workflows

    summary = workflows.ingest_board(args.board, args.source, member=args.member)
    sys.stdout.write(json.dumps(dataclasses.asdict(summary), indent=2) + "\n")
    if summary.rejected:
        note(f"{summary.rejected} posting(s) set aside with reasons (ingest {summary.ingest_id})")
    return 0


def cmd_code_titles(args: argparse.Namespace) -> int:
    import workflows

    data = sys.stdin.buffer.read() if args.file == "-" else _read_bytes(args.file)
    titles = workflows.read_title_input(data, "standard input" if args.file == "-" else args.file)
    coded = workflows.code_titles(titles)
    emit(coded.select("title", "soc_code", "soc_title", "confidence", "needs_review"), args.format)
    return 0


def _read_bytes(name: str) -> bytes:
    from connectors.errors import UserError

    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise UserError(f"{name}: cannot read ({exc.strerror or exc})") from exc


def cmd_samples(args: argparse.Namespace) -> int:
    import workflows

    if args.action == "clear":
        removed = workflows.clear_samples()
        emit(
            pl.DataFrame({"table": list(removed), "rows_removed": list(removed.values())}),
            args.format,
        )
        return 0
    emit(workflows.load_samples(if_empty=args.if_empty, progress=not args.quiet), args.format)
    return 0


def _member_viewer(member: str | None) -> Any:
    """The local convener looking as one member (its own rows taken out), or a shared screen."""
    from analytics import access

    if not member:
        return access.SHARED_SCREEN
    return access.Viewer("local", "Local user", member, access.Role.EMPLOYER, local=True)


def cmd_users(args: argparse.Namespace) -> int:
    import workflows

    if args.action == "add":
        row = workflows.add_user(args.email, args.org, args.role)
        emit(pl.DataFrame([row]).select("email", "organization", "role", "status"), args.format)
        note(
            f"{row['email']} can sign in as {row['role']}"
            + (f" of {row['organization']}" if row["organization"] else "")
        )
    elif args.action == "remove":
        workflows.remove_user(args.email)
        note(f"{args.email.strip()} removed; they see aggregates only if they sign in again")
    else:
        emit(workflows.list_users(), args.format)
    return 0


def cmd_export_chart(args: argparse.Namespace) -> int:
    import workflows

    out = workflows.export_chart(args.name, args.region, Path(args.out))
    note(f"wrote {out}")
    return 0


def cmd_export_deck(args: argparse.Namespace) -> int:
    import workflows

    out = workflows.build_deck(args.region, Path(args.out))
    note(f"wrote {out}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from bench import suite

    results = suite.run_suite(quick=args.quick)
    table = suite.format_table(results)
    path = suite.write_results(results, table, update_readme=args.update_readme)
    if args.format == "json":
        sys.stdout.write(json.dumps(results, indent=2, default=str) + "\n")
    else:
        sys.stdout.write(table)
    note(f"figures written to {path}" + (" and README.md" if args.update_readme else ""))
    return 0


def cmd_gaps(args: argparse.Namespace) -> int:
    import workflows
    from analytics import gaps as gaps_
    from analytics import supply as supply_
    from connectors.errors import UserError

    pathways = []
    for text in args.pathway or []:
        soc, _, people = text.partition("=")
        try:
            pathways.append(gaps_.AddPathway(soc.strip(), float(people)))
        except ValueError:
            raise UserError(f"--pathway '{text}' is not SOC=PEOPLE, e.g. 31-9092=25") from None
    rates = []
    if args.ipeds_placement_rate is not None:
        base = workflows.supply(args.region)
        for source in base.programs["source"].unique().to_list():
            if source.startswith("IPEDS"):
                rates.append(gaps_.SetPlacementRate(args.ipeds_placement_rate, source=source))
    else:
        base = None
    scenario = gaps_.Scenario(pathways=tuple(pathways), placement_rates=tuple(rates))
    result = workflows.gaps(
        args.region,
        scenario=None if scenario.is_empty() else scenario,
        soc_codes=args.soc,
        vacancy_weight=args.vacancy_weight,
        viewer=_member_viewer(args.member),
        inputs=base,
    )
    note(f"{result.region.name}: supply vs annual openings, people a year.")
    for line in result.notes:
        if args.ipeds_placement_rate is not None and line.startswith("Placement:"):
            line = f"Placement: IPEDS programs set to {args.ipeds_placement_rate:g} for this run; {supply_.REPORTED} for member programs."
        note(line)
    people = ["annual_openings", "annual_supply", "gap"]
    shown = result.gaps.select("region_id", "soc_code", "title", *people, "coverage").with_columns(
        pl.col(people).round(0), pl.col("coverage").round(3)
    )
    if args.format == "table":
        # people read a percentage; csv and json keep the 0-1 ratio of the column contract
        percent = (pl.col("coverage") * 100).round(0).cast(pl.Int64).cast(pl.String) + "%"
        shown = shown.with_columns(percent.alias("coverage"))
    emit(shown, args.format)
    return 0


# --- pathways and outcomes ---------------------------------------------------------------------


def cmd_pathways(args: argparse.Namespace) -> int:
    import workflows
    from connectors.errors import UserError

    if not args.to and not args.from_:
        raise UserError("give --to SOC (feeders into an occupation) or --from SOC (where it leads)")
    if args.to and args.from_:
        return _pathway_roi(args)
    direction = "to" if args.to else "from"
    result = workflows.pathways(
        args.to or args.from_, direction, region_id=args.region, limit=args.top
    )
    other = "from" if direction == "to" else "to"
    note(
        f"{'Feeders into' if direction == 'to' else 'Where workers go from'} {result.title} "
        f"({result.soc_code}), {result.region.name}; best first."
    )
    for line in result.notes:
        note(line)
    shown = result.table.select(
        f"{other}_soc",
        f"{other}_title",
        pl.col("similarity").round(3),
        pl.col("wage_uplift_pct").round(1),
        "entry_education",
        "programs",
        "no_bachelors_needed",
        "wage_source",
        "skills_to_gain",
    )
    if args.format == "table":
        shown = shown.drop("wage_source")
    emit(shown, args.format)
    return 0


def _pathway_roi(args: argparse.Namespace) -> int:
    import workflows

    result = workflows.pathway_roi(args.to, args.from_, region_id=args.region, as_of=_as_of(args))
    for line in result.notes:
        note(line)
    money = [
        "cost",
        "cost_per_placement",
        "annual_wage_gain_per_placed",
        "annual_wage_gain_per_participant",
    ]
    shown = result.table.select(
        "from_soc",
        "to_soc",
        "provider",
        "program",
        *money,
        "completion_rate",
        "placement_rate",
        "hire_hourly_wage",
        "prior_hourly_wage",
        "payback_months",
    ).with_columns(
        pl.col(money).round(0),
        pl.col("completion_rate", "placement_rate").round(3),
        pl.col("hire_hourly_wage", "prior_hourly_wage").round(2),
        pl.col("payback_months").round(1),
    )
    emit(shown, args.format)
    return 0


def _as_of(args: argparse.Namespace) -> Any:
    from datetime import date

    from connectors.errors import UserError

    if not args.as_of:
        return None
    try:
        return date.fromisoformat(args.as_of)
    except ValueError:
        raise UserError(f"--as-of '{args.as_of}' is not a date (YYYY-MM-DD)") from None


OUTCOME_COLUMNS = (
    "completers",
    "placed",
    "placement_rate",
    "retained_90d_rate",
    "retained_365d_rate",
    "median_hourly_wage",
)


def cmd_outcomes(args: argparse.Namespace) -> int:
    import workflows
    from analytics import outcomes as outcomes_

    result = workflows.outcomes(_as_of(args), region_id=args.region)
    for line in result.notes:
        note(line)
    if result.placements == 0:
        note(
            "no placements in the warehouse: load them with `gapboard ingest placements FILE` "
            "(or `gapboard samples load` for illustrative data)"
        )
    rows = result.outcomes
    if not args.by_cohort:
        rows = rows.filter(pl.col("cohort").is_null())
    style = "people" if args.format == "table" else "plain"
    shown = outcomes_.publish_outcomes(rows, OUTCOME_COLUMNS, style=style)
    if not args.by_cohort:
        shown = shown.drop("cohort")
    if args.format == "json":
        records = [{k: _number(k, v) for k, v in record.items()} for record in shown.to_dicts()]
        sys.stdout.write(json.dumps(records, indent=2) + "\n")
        return 0
    emit(shown, args.format)
    return 0


def _number(column: str, value: Any) -> Any:
    """A published cell as JSON: numbers as numbers, words ("fewer than 10") as they are."""
    if column in ("provider", "program", "cohort") or value is None:
        return value
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if column in ("completers", "placed") else number


# --- forecasting ---------------------------------------------------------------------------------


def cmd_forecast(args: argparse.Namespace) -> int:
    import workflows

    result = workflows.forecast_file(Path(args.file), args.horizon, args.growth / 100.0)
    short = result.filter(pl.col("model").str.starts_with("trend"))["series_id"].unique()
    if short.len():
        note(
            f"{short.len()} series under 24 months: trend projection at {args.growth:g}% a year "
            "(model 'trend (short series)')."
        )
    emit(result, args.format)
    return 0


def cmd_backtest(args: argparse.Namespace) -> int:
    import workflows

    emit(workflows.backtest_file(Path(args.file), args.horizon, args.origins), args.format)
    note(
        "MASE below 1 beats the seasonal naive forecast in sample; "
        "'selected' is what `gapboard forecast` would have chosen at each origin."
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every gapboard command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--format", choices=["table", "csv", "json"], default="table", help="output format"
    )
    parser = argparse.ArgumentParser(
        prog="gapboard",
        description="Labor-market demand, training supply and gaps for workforce consortia.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "refresh",
        parents=[common],
        help="rebuild the reference snapshot from publisher files",
        description="Parse publisher files into data/reference (Parquet + manifest.json). "
        "Without --from, download them from the publishers; a failed source keeps its last good snapshot.",
    )
    p.add_argument("--from", dest="source_dir", metavar="DIR", help="folder of publisher files")
    p.add_argument(
        "--source", action="append", metavar="NAME", help="only this dataset (repeatable)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=cmd_refresh)

    p = sub.add_parser(
        "demand", parents=[common], help="regional employment projections and annual openings"
    )
    p.add_argument("--region", required=True, help="region id (see `gapboard regions`)")
    p.add_argument("--soc", nargs="*", default=[], metavar="SOC", help="SOC codes, e.g. 31-9092")
    p.set_defaults(handler=cmd_demand)

    p = sub.add_parser("regions", parents=[common], help="list the configured regions")
    p.set_defaults(handler=cmd_regions)

    p = sub.add_parser("sources", parents=[common], help="list the datasets in the snapshot")
    p.set_defaults(handler=cmd_sources)

    p = sub.add_parser(
        "bench",
        parents=[common],
        help="run the performance suite",
        description="Measure page speed, ingest, title coding, forecast accuracy and exports; "
        "write bench/results.json and print a table (or JSON).",
    )
    p.add_argument(
        "--quick", action="store_true", help="smaller sizes, fewer pages (under a minute)"
    )
    p.add_argument(
        "--update-readme", action="store_true", help="rewrite the README's performance table"
    )
    p.set_defaults(handler=cmd_bench)

    # --- member data commands are added below ---
    p = sub.add_parser(
        "ingest",
        parents=[common],
        help="load a member feed (csv, xlsx, json) into the warehouse",
        description="Read, validate, code and store a feed in one transaction. Rows that break a "
        "rule are set aside with their reason; prints a JSON summary. Exit 2, storing nothing, "
        "when the file cannot be read or lacks a required column.",
    )
    p.add_argument(
        "kind", choices=["vacancies", "programs", "placements"], help="what the feed holds"
    )
    p.add_argument("file", metavar="FILE", help="the feed: .csv, .xlsx or .json")
    p.add_argument(
        "--member", metavar="NAME", help="the member that sent it (required for vacancies)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=cmd_ingest)

    p = sub.add_parser(
        "code-titles",
        parents=[common],
        help="code job titles to SOC occupations",
        description="Read job titles (one per line, or a CSV with a title column; - for standard "
        "input) and print the SOC code, title and confidence of each.",
    )
    p.add_argument("file", metavar="FILE|-", help="titles file, or - for standard input")
    p.set_defaults(handler=cmd_code_titles)

    p = sub.add_parser(
        "samples",
        parents=[common],
        help="load or clear the illustrative sample feeds",
        description="`load` ingests the illustrative feeds in data/samples; `clear` removes "
        "exactly the rows they stored.",
    )
    p.add_argument("action", choices=["load", "clear"])
    p.add_argument("--if-empty", action="store_true", help="load only into an empty warehouse")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=cmd_samples)

    p = sub.add_parser(
        "users",
        help="who may sign in to the app, with which organization and role",
        description="Signed-in people are matched by email to an organization and a role: "
        "convener (manages data and users, sees every member's postings), employer (uploads and "
        "sees its own postings), provider (uploads its programs and placements), viewer "
        "(aggregates only). The command line itself runs as the local convener.",
    )
    users = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    u = users.add_parser("add", parents=[common], help="add a user or change their org and role")
    u.add_argument("email")
    u.add_argument("--org", help="the member organization (required for employer and provider)")
    u.add_argument("--role", required=True, help="convener, employer, provider or viewer")
    u.set_defaults(handler=cmd_users)
    u = users.add_parser("list", parents=[common], help="the users, by email")
    u.set_defaults(handler=cmd_users)
    u = users.add_parser("remove", parents=[common], help="remove a user")
    u.add_argument("email")
    u.set_defaults(handler=cmd_users)

    p = sub.add_parser(
        "ingest-board",
        parents=[common],
        help="load postings from a public job board (USAJOBS file, Greenhouse, Lever)",
        description="Pull a job board's postings into the warehouse as a member's vacancies, "
        "through the same validation and title coding as an uploaded feed.",
    )
    p.add_argument("board", choices=["usajobs", "greenhouse", "lever"])
    p.add_argument("source", help="USAJOBS CSV file, Greenhouse board token or Lever site name")
    p.add_argument("--member", required=True, help="member the postings belong to")
    p.set_defaults(handler=cmd_ingest_board)

    # --- forecasting commands ---
    p = sub.add_parser(
        "forecast",
        parents=[common],
        help="forecast monthly series with 80%% and 95%% intervals",
        description="Forecast each series of a CSV with columns series_id, period (YYYY-MM or a "
        "date) and value. The model is chosen per series by rolling-origin backtest (MASE).",
    )
    p.add_argument("file", metavar="FILE", help="CSV of series_id, period, value")
    p.add_argument("--horizon", type=int, required=True, metavar="H", help="months ahead")
    p.add_argument(
        "--growth",
        type=float,
        default=0.0,
        metavar="PCT",
        help="annual growth %% for series under 24 months (default 0)",
    )
    p.set_defaults(handler=cmd_forecast)

    p = sub.add_parser(
        "backtest",
        parents=[common],
        help="rolling-origin accuracy of each forecasting model",
        description="Hold out the last H months (and H before that, per origin), forecast them "
        "from the months before, and score each model: MASE, sMAPE, 80%% interval coverage.",
    )
    p.add_argument("file", metavar="FILE", help="CSV of series_id, period, value")
    p.add_argument("--horizon", type=int, required=True, metavar="H", help="months ahead")
    p.add_argument(
        "--origins", type=int, default=3, metavar="N", help="rolling origins (default 3)"
    )
    p.set_defaults(handler=cmd_backtest)

    # --- supply and gap commands ---
    p = sub.add_parser(
        "gaps",
        parents=[common],
        help="training supply vs annual openings per occupation",
        description="Demand (regional annual openings) against training supply (IPEDS completions "
        "of the region's institutions and member programs, allocated to occupations through the "
        "CIP-SOC crosswalk), the gap and the coverage, largest shortfall first. Assumptions are "
        "written to standard error.",
    )
    p.add_argument("--region", required=True, help="region id (see `gapboard regions`)")
    p.add_argument("--soc", nargs="*", default=[], metavar="SOC", help="SOC codes, e.g. 31-9092")
    p.add_argument(
        "--vacancy-weight",
        type=float,
        default=0.0,
        metavar="W",
        help="blend members' disclosed openings of the last 12 months into demand (0-1)",
    )
    p.add_argument(
        "--member", metavar="NAME", help="the member looking (disclosure holds without it)"
    )
    p.add_argument(
        "--pathway",
        action="append",
        metavar="SOC=N",
        help="scenario: an incumbent-worker pathway of N people a year into SOC (repeatable)",
    )
    p.add_argument(
        "--ipeds-placement-rate",
        type=float,
        metavar="R",
        help="scenario: in-field placement rate (0-1) for every IPEDS program instead of the default",
    )
    p.set_defaults(handler=cmd_gaps)

    # --- pathways and outcomes commands ---
    p = sub.add_parser(
        "pathways",
        parents=[common],
        help="feeder occupations into a target (--to), or where a role leads (--from)",
        description="Rank occupations by O*NET skill, task, related-occupation, job-zone and "
        "industry likeness, with the region's OEWS wage uplift, the destination's entry education, "
        "the skills to gain and the region's training programs. With both --to and --from: the "
        "cost per placement and wage gain of the region's member programs on that pathway.",
    )
    p.add_argument("--to", metavar="SOC", help="target occupation, e.g. 31-9092")
    p.add_argument("--from", dest="from_", metavar="SOC", help="current occupation, e.g. 43-6013")
    p.add_argument("--region", default="us", help="region id for wages and programs (default: us)")
    p.add_argument("--top", type=int, default=15, metavar="N", help="how many to list")
    p.add_argument(
        "--as-of", metavar="DATE", help="with --to and --from: outcomes as of (YYYY-MM-DD)"
    )
    p.set_defaults(handler=cmd_pathways)

    p = sub.add_parser(
        "outcomes",
        parents=[common],
        help="trainee outcomes per program: placement, retention, wage at hire",
        description="Completers, placements, retention at 90 and 365 days (among people hired at "
        "least that long before the as-of date) and median hourly wage at hire, per provider and "
        "program, from the placements in the warehouse. Results resting on fewer than 10 people "
        "read 'fewer than 10'.",
    )
    p.add_argument(
        "--as-of", metavar="DATE", help="count as of this date (YYYY-MM-DD; default today)"
    )
    p.add_argument("--region", help="only member programs located in this region")
    p.add_argument("--by-cohort", action="store_true", help="one row per cohort as well")
    p.set_defaults(handler=cmd_outcomes)

    # --- export commands ---
    p = sub.add_parser(
        "export",
        help="charts as slide-sized PNG/SVG, or a meeting deck as .pptx",
        description="Write one chart (PNG or SVG, 1920x1080) or the meeting deck of a region "
        "(PowerPoint, editable charts, sources on every slide).",
    )
    export = p.add_subparsers(dest="what", required=True, metavar="WHAT")
    e = export.add_parser(
        "chart",
        parents=[common],
        help="one chart of a region as .png or .svg",
        description="Charts: overview-openings, watchlist-openings.",
    )
    e.add_argument("name", help="chart name, e.g. overview-openings")
    e.add_argument("--region", required=True, help="region id (see `gapboard regions`)")
    e.add_argument("--out", required=True, metavar="FILE", help="output file, .png or .svg")
    e.set_defaults(handler=cmd_export_chart)
    e = export.add_parser("deck", parents=[common], help="the meeting deck of a region (.pptx)")
    e.add_argument("--region", required=True, help="region id (see `gapboard regions`)")
    e.add_argument("--out", required=True, metavar="FILE", help="output file, .pptx")
    e.set_defaults(handler=cmd_export_deck)

    return parser


# Commands that, run as the process itself, end without the interpreter's teardown: freeing
# hundreds of thousands of rows' objects one by one at exit costs more than a small ingest.
FAST_EXIT_COMMANDS = frozenset({"ingest"})


def _exit_now(code: int) -> None:
    """End the process with `code` once output is written and the warehouse is closed."""
    import os

    from connectors import warehouse

    warehouse.close_warehouse()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one gapboard command and return its exit code."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    from connectors.errors import UserError

    handler: Any = args.handler
    try:
        code = int(handler(args))
        if argv is None and args.command in FAST_EXIT_COMMANDS:
            _exit_now(code)
        return code
    except UserError as exc:
        note(f"gapboard {args.command}: {exc}")
        return 2
    except KeyboardInterrupt:
        note("gapboard: interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except Exception:
        log.debug("unexpected error", exc_info=True)
        import traceback

        path = Path(".gapboard-error.log")
        path.write_text(traceback.format_exc(), encoding="utf-8")
        note(
            f"gapboard {args.command}: an internal error occurred (a bug). Details were written to {path.resolve()}."
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
