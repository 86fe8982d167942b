"""`make bench`: how fast and how lean the daily pipeline is, next to its floor.

Generates (or reuses) a sample community, serves it on a local port, and runs every stage of
the daily pipeline in its own child process so wall time and peak memory (the child's max RSS
from `wait4`) are measured per stage: extract+load per source, dbt build, GX checks. The
floor for ingestion is DuckDB's own `read_json` of the very API pages the sources fetched
(the server records every response body of the first full run). Then one "advance one day"
incremental run, per stage. Figures go to a JSON file and a short table on stdout; nothing
here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from orchestration.lib.warehouse import PROJECT_ROOT

SOURCES = ("slack", "discourse", "hubspot", "luma")


@dataclass
class Measure:
    stage: str
    seconds: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)
    rows: int | None = None

    @property
    def median_s(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peak_mib)

    def summary(self) -> dict:
        out = {**asdict(self), "median_s": round(self.median_s, 3), "peak_mib": round(self.peak, 1)}
        if self.rows:
            out["rows_per_s"] = round(self.rows / self.median_s, 1)
        return out


def _child(stage: str, warehouse: Path, env: dict[str, str]) -> tuple[float, float]:
    """Run one stage in a fresh interpreter; return (wall seconds, peak RSS MiB)."""
    cmd = [
        sys.executable,
        "-m",
        "orchestration.bench",
        "--stage",
        stage,
        "--warehouse",
        str(warehouse),
    ]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env={**os.environ, **env})
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"bench stage {stage} failed with exit code {proc.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def _run_stage(stage: str, warehouse: Path) -> None:
    """Body of one child process."""
    os.environ["COMMOPS_WAREHOUSE"] = str(warehouse)
    kind, _, arg = stage.partition(":")
    if kind == "ingest":
        from ingestion import pipeline

        result = pipeline.run([arg], warehouse=warehouse)[arg]
        if isinstance(result, Exception):
            raise result
    elif kind == "dbt":
        from orchestration.lib.dbt_runner import dbt_build

        dbt_build(warehouse, full_refresh=(arg == "full"))
    elif kind == "gx":
        from expectations.run import run_all_suites

        outcomes = run_all_suites(warehouse)
        print(f"gx: {sum(o.success for o in outcomes)}/{len(outcomes)} suites passed", flush=True)
    elif kind == "floor":
        _floor(Path(arg), warehouse)
    else:
        raise SystemExit(f"unknown stage {stage}")


def _floor(pages: Path, warehouse: Path) -> None:
    """DuckDB's own read_json of the recorded API pages into a table: the ingestion floor."""
    import duckdb

    con = duckdb.connect(str(warehouse))
    con.execute(
        "create or replace table floor_pages as select * from read_json(?, union_by_name=true, "
        "maximum_object_size=268435456)",
        [str(pages / "*.json")],
    )
    con.close()


def _table_rows(warehouse: Path, schema: str) -> int:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute(
            "select table_name from information_schema.tables where table_schema = ? "
            "and table_name not like '\\_dlt%' escape '\\'",
            [schema],
        ).fetchall()
        return sum(
            con.execute(f'select count(*) from "{schema}"."{t}"').fetchone()[0] for (t,) in tables
        )
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="commops bench", description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--today", default="2026-11-01")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None, help="results JSON (default data/bench/)")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--warehouse", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage:
        _run_stage(args.stage, args.warehouse)
        return 0

    from ingestion.sample.advance import advance
    from ingestion.sample.generate import generate
    from ingestion.sample.serve import make_server

    root = PROJECT_ROOT / "data" / "bench"
    sample = root / f"sample-{args.people}-{args.days}-{args.seed}-{args.today}"
    out = args.out or root / f"results-{args.people}.json"
    figures: dict = {"people": args.people, "days": args.days, "repeats": args.repeats}

    if not (sample / "manifest.json").exists():
        started = time.perf_counter()
        generate(
            sample,
            people=args.people,
            seed=args.seed,
            today=date.fromisoformat(args.today),
            days=args.days,
        )
        figures["generate_s"] = round(time.perf_counter() - started, 1)
    figures["expected_counts"] = json.loads((sample / "expected_counts.json").read_text())

    work = root / "work"
    results: dict[str, Measure] = {}
    pages_root = root / "pages"
    with make_server(sample) as server:
        env = server.env()
        for rep in range(args.repeats):
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            warehouse = work / "warehouse.duckdb"
            env_rep = {**env, "DLT_DATA_DIR": str(work / "dlt")}
            for source in SOURCES:
                recording = rep == 0
                if recording:
                    shutil.rmtree(pages_root / source, ignore_errors=True)
                    server.record_to(pages_root / source)
                try:
                    secs, mib = _child(f"ingest:{source}", warehouse, env_rep)
                finally:
                    server.record_to(None)
                m = results.setdefault(f"ingest:{source}", Measure(f"ingest:{source}"))
                m.seconds.append(secs)
                m.peak_mib.append(mib)
                m.rows = _table_rows(warehouse, f"raw_{source}")
                floor_wh = work / f"floor-{source}.duckdb"
                secs, mib = _child(f"floor:{pages_root / source}", floor_wh, env_rep)
                f = results.setdefault(f"floor:{source}", Measure(f"floor:{source}"))
                f.seconds.append(secs)
                f.peak_mib.append(mib)
            for stage in ("dbt:full", "gx:all"):
                secs, mib = _child(stage, warehouse, env_rep)
                m = results.setdefault(stage, Measure(stage))
                m.seconds.append(secs)
                m.peak_mib.append(mib)
            print(f"repeat {rep + 1}/{args.repeats} done", flush=True)

        # One day later: the incremental daily run on the last full warehouse.
        started = time.perf_counter()
        delta = advance(sample)
        figures["advance_s"] = round(time.perf_counter() - started, 1)
        figures["delta"] = delta
        server.reload()
        incremental: dict[str, Measure] = {}
        for stage in [f"ingest:{s}" for s in SOURCES] + ["dbt:incremental", "gx:all"]:
            secs, mib = _child(stage, warehouse, env_rep)
            incremental[stage] = Measure(stage, [secs], [mib])

    full_total = sum(results[s].median_s for s in results if not s.startswith("floor:"))
    incr_total = sum(m.median_s for m in incremental.values())
    figures["full"] = {k: v.summary() for k, v in results.items()}
    figures["incremental"] = {k: v.summary() for k, v in incremental.items()}
    figures["full_run_s"] = round(full_total, 1)
    figures["incremental_run_s"] = round(incr_total, 1)
    figures["incremental_share"] = round(incr_total / full_total, 3)
    figures["gx_share"] = round(results["gx:all"].median_s / full_total, 3)
    figures["ingest_vs_floor"] = {
        s: round(results[f"ingest:{s}"].median_s / results[f"floor:{s}"].median_s, 1)
        for s in SOURCES
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2, default=str))

    print(f"\n{'stage':<22}{'median s':>10}{'peak MiB':>10}{'rows/s':>12}")
    for name, m in [*results.items(), *[(f"+1d {k}", v) for k, v in incremental.items()]]:
        rate = f"{m.rows / m.median_s:,.0f}" if m.rows else ""
        print(f"{name:<22}{m.median_s:>10.2f}{m.peak:>10.0f}{rate:>12}")
    print(
        f"\nfull run {full_total:.1f} s; incremental {incr_total:.1f} s "
        f"({figures['incremental_share']:.1%})"
    )
    print(f"ingest / read_json floor: {figures['ingest_vs_floor']}")
    print(f"figures written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
