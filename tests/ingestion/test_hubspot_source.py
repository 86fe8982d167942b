"""HubSpot source against the generated sample: counts, reruns, daily deltas, faults, merges.

Expected values come from the generator's ground truth: expected_counts.json,
identities.csv, deltas/<date>.json and the served contacts.jsonl.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import dlt
import pytest

from ingestion.hubspot import hubspot_source
from ingestion.sample.advance import advance
from ingestion.sample.generate import build
from ingestion.sample.serve import Faults, SampleServer, make_server

COUNTED = ("contacts", "companies", "deals", "deal_stages", "contact_companies", "deal_contacts")


def rows(pipeline: dlt.Pipeline, sql: str) -> list[tuple]:
    with pipeline.sql_client() as client:
        return [tuple(r) for r in client.execute_sql(sql)]


def table_counts(pipeline: dlt.Pipeline) -> dict[str, int]:
    return {t: rows(pipeline, f"select count(*) from {t}")[0][0] for t in COUNTED}


def expected(root: Path) -> dict[str, int]:
    return json.loads((root / "expected_counts.json").read_text())["hubspot"]


def served_contacts(root: Path) -> list[dict]:
    with (root / "hubspot" / "contacts.jsonl").open() as fh:
        return [json.loads(line) for line in fh]


def hubspot_identities(root: Path) -> set[str]:
    with (root / "identities.csv").open() as fh:
        return {r["platform_user_id"] for r in csv.DictReader(fh) if r["platform"] == "hubspot"}


@pytest.fixture
def own_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., SampleServer]]:
    """A private sample server (over a copy, or with faults), env pointed at it."""
    servers: list[SampleServer] = []

    def _start(root: Path, faults: Faults | None = None) -> SampleServer:
        server = make_server(root, faults=faults).start()
        servers.append(server)
        for key, value in server.env().items():
            monkeypatch.setenv(key, value)
        return server

    yield _start
    for server in servers:
        server.stop()


def test_counts_equal_expected_counts(sample_dir, source_env, temp_pipeline):
    pipeline = temp_pipeline("hubspot")
    pipeline.run(hubspot_source())
    assert table_counts(pipeline) == {k: expected(sample_dir)[k] for k in COUNTED}


def test_second_run_adds_nothing(sample_dir, source_env, temp_pipeline):
    pipeline = temp_pipeline("hubspot")
    pipeline.run(hubspot_source())
    before = table_counts(pipeline)
    pipeline.run(hubspot_source())
    extracted = pipeline.last_trace.last_normalize_info.row_counts
    # (deal stages and associations are small snapshots, replaced whole on every run)
    for table in ("contacts", "companies", "deals"):
        assert extracted.get(table, 0) == 0, f"{table} re-read on an unchanged CRM"
    assert table_counts(pipeline) == before


def test_live_and_archived_contacts_match_ground_truth(sample_dir, source_env, temp_pipeline):
    pipeline = temp_pipeline("hubspot")
    pipeline.run(hubspot_source())
    live = {r[0] for r in rows(pipeline, "select id from contacts where not archived")}
    archived = {r[0] for r in rows(pipeline, "select id from contacts where archived")}
    assert live == hubspot_identities(sample_dir)
    assert archived == {c["id"] for c in served_contacts(sample_dir) if c["archived"]}
    assert archived, "the sample should hold archived contacts"


def test_deal_amounts_and_closed_won_are_typed(sample_dir, source_env, temp_pipeline):
    pipeline = temp_pipeline("hubspot")
    pipeline.run(hubspot_source().with_resources("deals"))
    with (sample_dir / "hubspot" / "deals.jsonl").open() as fh:
        served = [json.loads(line) for line in fh]
    want = {
        d["id"]: (
            None if d["properties"]["amount"] in (None, "") else float(d["properties"]["amount"]),
            {"true": True, "false": False}.get(d["properties"]["hs_is_closed_won"]),
        )
        for d in served
    }
    got = {
        r[0]: (r[1], r[2]) for r in rows(pipeline, "select id, amount, hs_is_closed_won from deals")
    }
    assert got == want


def test_contact_merged_after_first_load_is_not_counted_twice(tmp_path, own_server, temp_pipeline):
    # Day 160 of the sample: a duplicate contact exists; by day 180 it is merged away.
    start, days = date(2026, 11, 1) - timedelta(days=180), 180
    root = tmp_path / "crm"
    build(root, people=400, seed=7, start=start, origin_days=days, today_d=160)
    server = own_server(root)
    pipeline = temp_pipeline("hubspot")
    pipeline.run(hubspot_source())
    first = {r[0] for r in rows(pipeline, "select id from contacts where not archived")}

    build(root, people=400, seed=7, start=start, origin_days=days, today_d=180)
    server.reload()
    pipeline.run(hubspot_source())
    absorbed = {
        i
        for c in served_contacts(root)
        for i in (c["properties"].get("hs_merged_object_ids") or "").split(";")
        if i
    }
    assert absorbed & first, "precondition: a contact loaded on day 160 is merged by day 180"
    live = {r[0] for r in rows(pipeline, "select id from contacts where not archived")}
    assert live == hubspot_identities(root)
    assert not live & absorbed
    # the absorbed contact's associations went with it
    assert table_counts(pipeline) == {k: expected(root)[k] for k in COUNTED}


def test_advance_loads_exactly_the_delta(copy_sample, own_server, temp_pipeline):
    root = copy_sample()
    server = own_server(root)
    pipeline = temp_pipeline("hubspot")
    pipeline.run(hubspot_source())
    changed_contacts = 0
    for _ in range(3):
        delta = advance(root)["collections"]["hubspot"]
        server.reload()
        pipeline.run(hubspot_source())
        load_id = pipeline.last_trace.last_normalize_info.loads_ids[-1]
        contacts = delta["contacts"]
        # every new or updated contact is (re)loaded in this run, nothing else
        assert rows(
            pipeline, f"select count(*) from contacts where _dlt_load_id = '{load_id}'"
        ) == [(contacts["new"] + contacts["updated"],)]
        changed_contacts += contacts["new"] + contacts["updated"]
        assert table_counts(pipeline) == {k: expected(root)[k] for k in COUNTED}
        # updated contacts are replaced: the table equals what the CRM now shows
        served = {
            c["id"]: (c["properties"]["lastmodifieddate"], c["archived"], c["properties"]["email"])
            for c in served_contacts(root)
        }
        loaded = {
            r[0]: (r[1], r[2], r[3])
            for r in rows(
                pipeline,
                "select id, strftime(lastmodifieddate at time zone 'UTC', "
                "'%Y-%m-%dT%H:%M:%S.%g') || 'Z', archived, email from contacts",
            )
        }
        assert loaded == served
    assert changed_contacts > 0, "precondition: the CRM changed over three days"


def test_rate_limits_and_server_errors_still_give_exact_counts(
    sample_dir, own_server, temp_pipeline, fast_retries
):
    faults = Faults(rate_limit_every=4, retry_after=1, server_error_every=5, truncate_every=7)
    server = own_server(sample_dir, faults)
    pipeline = temp_pipeline("hubspot")
    pipeline.run(hubspot_source())
    assert table_counts(pipeline) == {k: expected(sample_dir)[k] for k in COUNTED}
    injected = server.injector.stats()["injected"]
    assert injected["rate_limit"] > 0 and injected["server_error"] > 0
    assert injected["truncate"] > 0


def test_pipeline_state_carries_the_cursor(sample_dir, source_env, temp_pipeline, tmp_path):
    pipeline = temp_pipeline("hubspot")
    pipeline.run(hubspot_source().with_resources("contacts"))
    newest = max(
        c["properties"]["lastmodifieddate"]
        for c in served_contacts(sample_dir)
        if not c["archived"]
    )
    state = pipeline.state["sources"]["hubspot"]["resources"]["contacts"]
    assert state["last_modified"].replace("+00:00", "Z")[:19] == newest[:19]
    # the state lives in the warehouse too: a fresh working folder restores it
    shutil.rmtree(pipeline.working_dir)
    again = dlt.pipeline(
        pipeline_name=pipeline.pipeline_name,
        destination=pipeline.destination,
        dataset_name=pipeline.dataset_name,
        pipelines_dir=pipeline.pipelines_dir,
    )
    again.run(hubspot_source().with_resources("contacts"))
    assert again.last_trace.last_normalize_info.row_counts.get("contacts", 0) == 0
