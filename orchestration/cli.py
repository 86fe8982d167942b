"""`commops`: the command line (DESIGN.md "Command line").

    commops sample generate --out DIR [--people N] [--seed S] [--today YYYY-MM-DD] [--days D]
    commops sample serve --dir DIR --port P
    commops sample advance --dir DIR
    commops ingest [SOURCE ...]
    commops run
    commops demo

Every command works on the warehouse `$COMMOPS_WAREHOUSE` (default data/warehouse.duckdb).
Exit status 0 on success, 1 when the work failed, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from orchestration.lib.warehouse import PROJECT_ROOT, warehouse_path

DEFAULT_SAMPLE_DIR = PROJECT_ROOT / "data" / "sample"


class CommandError(Exception):
    """A failure worth one clear line to the user (exit status 1)."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except CommandError as exc:
        print(f"commops: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("commops: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a clear line, not a traceback; COMMOPS_DEBUG=1 shows it
        if os.environ.get("COMMOPS_DEBUG"):
            raise
        print(f"commops: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("commops: set COMMOPS_DEBUG=1 for the traceback", file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commops",
        description="Community-operations warehouse: Slack, Discourse, HubSpot and Luma "
        "into DuckDB (dlt, dbt, Great Expectations, Dagster).",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    sample = commands.add_parser("sample", help="the generated sample community")
    sample_commands = sample.add_subparsers(title="sample commands", metavar="COMMAND")
    generate = sample_commands.add_parser("generate", help="generate a sample community")
    generate.add_argument("--out", required=True, type=Path, metavar="DIR")
    generate.add_argument("--people", type=int, default=2000, metavar="N")
    generate.add_argument("--seed", type=int, default=7, metavar="S")
    generate.add_argument("--today", type=_parse_date, default=None, metavar="YYYY-MM-DD")
    generate.add_argument("--days", type=int, default=365, metavar="D")
    generate.set_defaults(handler=cmd_sample_generate)
    serve = sample_commands.add_parser(
        "serve", help="serve every vendor API over a sample; writes DIR/commops.env"
    )
    serve.add_argument("--dir", required=True, type=Path, metavar="DIR")
    serve.add_argument("--port", required=True, type=int, metavar="P")
    serve.add_argument("--host", default="127.0.0.1")
    serve.set_defaults(handler=cmd_sample_serve)
    advance = sample_commands.add_parser("advance", help="write the next day's delta into DIR")
    advance.add_argument("--dir", required=True, type=Path, metavar="DIR")
    advance.set_defaults(handler=cmd_sample_advance)
    sample.set_defaults(handler=lambda _args: _usage(sample))

    ingest = commands.add_parser("ingest", help="load sources into raw_<source> (default: all)")
    ingest.add_argument("sources", nargs="*", metavar="SOURCE")
    ingest.set_defaults(handler=cmd_ingest)

    run = commands.add_parser("run", help="the whole daily job: ingest, dbt build, checks")
    run.set_defaults(handler=cmd_run)

    demo = commands.add_parser(
        "demo", help="generate the sample (if absent), serve it, run the job, summarize"
    )
    demo.add_argument("--sample-dir", type=Path, default=DEFAULT_SAMPLE_DIR, metavar="DIR")
    demo.set_defaults(handler=cmd_demo)
    return parser


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from exc


# --- sample ---------------------------------------------------------------------------------


def cmd_sample_generate(args: argparse.Namespace) -> int:
    from ingestion.sample.generate import generate

    if args.people < 1 or args.days < 1:
        raise CommandError("--people and --days must be positive")
    manifest = generate(
        args.out, people=args.people, seed=args.seed, today=args.today, days=args.days
    )
    print(
        f"Generated {manifest.get('people', args.people)} people, {manifest.get('start')} to "
        f"{manifest.get('today')}, into {args.out}"
    )
    return 0


def cmd_sample_serve(args: argparse.Namespace) -> int:
    from ingestion.sample.serve import serve_forever

    _require_sample(args.dir)
    try:
        serve_forever(args.dir, port=args.port, host=args.host)
    except OSError as exc:
        raise CommandError(
            f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}"
        ) from None
    return 0


def cmd_sample_advance(args: argparse.Namespace) -> int:
    from ingestion.sample.advance import advance

    _require_sample(args.dir)
    delta = advance(args.dir)
    print(f"Advanced {args.dir} to {delta.get('date', 'the next day')}")
    for line in delta_lines(delta.get("collections", {})):
        print(f"  {line}")
    return 0


def delta_lines(collections: dict) -> list[str]:
    """`slack.messages: 42 new, 3 updated, 0 deleted` for every collection that changed."""
    lines = []
    for vendor, tables in sorted(collections.items()):
        for table, counts in sorted((tables or {}).items()):
            if isinstance(counts, dict) and any(counts.values()):
                parts = ", ".join(f"{n} {kind}" for kind, n in counts.items())
                lines.append(f"{vendor}.{table}: {parts}")
    return lines


def _require_sample(folder: Path) -> None:
    if not (Path(folder) / "manifest.json").exists():
        raise CommandError(
            f"{folder} is not a sample directory (no manifest.json); "
            "create one with `commops sample generate --out DIR`"
        )


# --- ingest / run -----------------------------------------------------------------------------


def cmd_ingest(args: argparse.Namespace) -> int:
    from ingestion import pipeline
    from orchestration.lib.warehouse import row_counts, schema_tables

    names = args.sources or list(pipeline.SOURCES)
    unknown = [n for n in names if n not in pipeline.SOURCES]
    if unknown:
        raise CommandError(f"unknown source(s) {unknown}; known: {sorted(pipeline.SOURCES)}")
    target = warehouse_path()
    print(f"Loading {', '.join(names)} into {target}")
    results = pipeline.run(names, warehouse=target)
    failed = {n: r for n, r in results.items() if isinstance(r, Exception)}
    loaded = [n for n in names if n not in failed]
    tables = schema_tables(target, [f"raw_{n}" for n in loaded])
    counts = row_counts(target, tables)
    for name in names:
        if name in failed:
            print(f"  {name}: FAILED: {failed[name]}")
            continue
        print(f"  {name}: loaded")
        for (schema, table), count in counts.items():
            if schema == f"raw_{name}":
                print(f"    {schema}.{table}: {count:,} rows")
    if failed:
        raise CommandError(f"{len(failed)} of {len(names)} sources failed: {sorted(failed)}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    report = _run_job(warehouse_path())
    return 0 if report.success else 1


def _run_job(warehouse: Path):
    from expectations.validate import default_docs_dir
    from orchestration.run.job import run_daily_job, run_log_path

    print(f"Running the daily job on {warehouse}")
    report = run_daily_job(warehouse)
    passed = len(report.checks) - len(report.checks_failed)
    print(f"Checks: {passed} passed, {len(report.checks_failed)} failed")
    for check in report.checks_failed:
        print(f"  FAILED ({check.severity}) {check.asset}: {check.check}")
    docs = default_docs_dir(warehouse) / "index.html"
    if docs.exists():
        print(f"Data Docs: {docs}")
    if not report.success:
        _notify_failure(report, warehouse)
        steps = "; ".join(f"{k}: {v}" for k, v in report.failed_steps.items())
        print(f"commops: error: the run failed ({steps or 'see above'})", file=sys.stderr)
        print(f"commops: dbt and dlt output: {run_log_path(warehouse)}", file=sys.stderr)
    return report


def _notify_failure(report, warehouse: Path) -> None:
    from orchestration.defs.schedules import DAILY_JOB
    from orchestration.defs.sensors import FAILURES_FILE, make_failure_record, notify_failure

    record = make_failure_record(
        report.run_id, DAILY_JOB, list(report.failed_steps), "commops run failed"
    )
    for line in notify_failure(record, warehouse.parent / FAILURES_FILE)[1:]:
        print(f"  {line}")


# --- demo -----------------------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from ingestion.sample.generate import generate
    from ingestion.sample.serve import make_server, write_env_file
    from orchestration.lib.settings import AS_OF_ENV
    from orchestration.run.summary import load_manifest, print_summary

    sample_dir: Path = args.sample_dir
    if not (sample_dir / "manifest.json").exists():
        print(f"Generating the sample community into {sample_dir} ...")
        generate(sample_dir)
    manifest = load_manifest(sample_dir)
    warehouse = warehouse_path()
    server = make_server(sample_dir, port=0).start()
    try:
        env_file = write_env_file(sample_dir, server)
        os.environ.update(server.env())
        # The sample is a snapshot of its own "today": judge freshness against that day.
        if manifest.get("today"):
            os.environ.setdefault(AS_OF_ENV, str(manifest["today"]))
        print(f"Serving the sample at {server.base_url} (environment in {env_file})")
        report = _run_job(warehouse)
    finally:
        server.stop()
    print_summary(report, warehouse)
    return 0 if report.success else 1


if __name__ == "__main__":
    sys.exit(main())
