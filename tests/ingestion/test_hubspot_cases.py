"""HubSpot source behaviours on small hand-made samples served by the real sample server.

Each test writes the few CRM records it needs (expected values worked out by hand below),
serves them with `ingestion.sample.serve`, and loads them with a dlt pipeline into a temp
DuckDB file.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import dlt
import pytest

from ingestion.common.errors import SourceAuthError
from ingestion.hubspot import hubspot_source
from ingestion.sample.serve import SampleServer, make_server

TOKEN = "pat-na1-test-token-5f1e"
DAY0 = "2026-03-01T09:00:00.000Z"


def contact(
    cid: int,
    modified: str = DAY0,
    *,
    archived: bool = False,
    merged: str | None = None,
    email: str | None = None,
) -> dict[str, Any]:
    props = {
        "email": email or f"person{cid}@example.org",
        "firstname": f"First{cid}",
        "lastname": f"Last{cid}",
        "createdate": "2026-01-01T00:00:00.000Z",
        "lastmodifieddate": modified,
        "hs_merged_object_ids": merged,
    }
    record: dict[str, Any] = {
        "id": str(cid),
        "properties": props,
        "createdAt": "2026-01-01T00:00:00.000Z",
        "updatedAt": modified,
        "archived": archived,
    }
    if archived:
        record["archivedAt"] = modified
    return record


def deal(did: int, amount: str | None, won: str | None) -> dict[str, Any]:
    props = {
        "dealname": f"Deal {did}",
        "pipeline": "default",
        "dealstage": "closedwon" if won == "true" else "appointmentscheduled",
        "amount": amount,
        "createdate": "2026-02-01T00:00:00.000Z",
        "closedate": "2026-02-15T00:00:00.000Z",
        "hs_is_closed_won": won,
        "hs_lastmodifieddate": DAY0,
    }
    return {
        "id": str(did),
        "properties": props,
        "createdAt": "2026-02-01T00:00:00.000Z",
        "updatedAt": DAY0,
        "archived": False,
    }


def write_sample(
    root: Path,
    contacts: list[dict[str, Any]],
    deals: list[dict[str, Any]] | None = None,
    associations: list[dict[str, Any]] | None = None,
) -> Path:
    hub = root / "hubspot"
    hub.mkdir(parents=True, exist_ok=True)
    creds = {
        "slack_token": "xoxb-unused",
        "discourse_api_key": "unused",
        "discourse_api_username": "system",
        "hubspot_token": TOKEN,
        "luma_api_key": "unused",
    }
    (root / "manifest.json").write_text(json.dumps({"credentials": creds}))

    def jsonl(name: str, items: list[dict[str, Any]]) -> None:
        (hub / name).write_text("".join(json.dumps(i) + "\n" for i in items))

    jsonl("contacts.jsonl", contacts)
    jsonl("companies.jsonl", [])
    jsonl("deals.jsonl", deals or [])
    jsonl("associations.jsonl", associations or [])
    pipelines = {
        "results": [
            {
                "id": "default",
                "label": "Sales Pipeline",
                "displayOrder": 0,
                "stages": [
                    {
                        "id": "appointmentscheduled",
                        "label": "Appointment scheduled",
                        "displayOrder": 0,
                        "metadata": {"isClosed": "false", "probability": "0.2"},
                    },
                    {
                        "id": "closedwon",
                        "label": "Closed won",
                        "displayOrder": 1,
                        "metadata": {"isClosed": "true", "probability": "1.0"},
                    },
                ],
            }
        ]
    }
    (hub / "pipelines.json").write_text(json.dumps(pipelines))
    return root


@pytest.fixture
def serve(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], SampleServer]]:
    servers: list[SampleServer] = []

    def _serve(root: Path) -> SampleServer:
        server = make_server(root).start()
        servers.append(server)
        monkeypatch.setenv("SOURCES__HUBSPOT__BASE_URL", f"{server.base_url}/hubspot")
        monkeypatch.setenv("SOURCES__HUBSPOT__API_KEY", TOKEN)
        return server

    yield _serve
    for server in servers:
        server.stop()


def rows(pipeline: dlt.Pipeline, sql: str) -> list[tuple]:
    with pipeline.sql_client() as client:
        return [tuple(r) for r in client.execute_sql(sql)]


def test_search_pages_past_the_10000_result_cap(tmp_path, serve, temp_pipeline):
    # 10,050 contacts; 30 of them (ids 9,981..10,010) share one modified time, so the
    # restart at the cap lands inside a run of equal timestamps.
    records = []
    for i in range(1, 10_051):
        second = 9_981 if 9_981 <= i <= 10_010 else i
        minute, sec = divmod(second, 60)
        hour, minute = divmod(minute, 60)
        records.append(contact(i, f"2026-03-01T{hour:02d}:{minute:02d}:{sec:02d}.000Z"))
    serve(write_sample(tmp_path / "s", records))
    pipeline = temp_pipeline("hubspot")
    pipeline.run(hubspot_source().with_resources("contacts"))
    assert rows(pipeline, "select count(*), count(distinct id) from contacts") == [(10_050, 10_050)]


def test_second_run_reads_only_changes(tmp_path, serve, temp_pipeline):
    root = write_sample(tmp_path / "s", [contact(i) for i in range(1, 6)])
    server = serve(root)
    pipeline = temp_pipeline("hubspot")
    pipeline.run(hubspot_source().with_resources("contacts"))
    first = pipeline.last_trace.last_normalize_info.row_counts.get("contacts")
    assert first == 5

    pipeline.run(hubspot_source().with_resources("contacts"))
    assert pipeline.last_trace.last_normalize_info.row_counts.get("contacts", 0) == 0

    # contact 2 changes a day later: only it is read again, and replaced in place
    later = "2026-03-02T09:00:00.000Z"
    write_sample(
        root,
        [contact(1), contact(2, later, email="new2@example.org"), *map(contact, (3, 4, 5))],
    )
    server.reload()
    pipeline.run(hubspot_source().with_resources("contacts"))
    assert pipeline.last_trace.last_normalize_info.row_counts.get("contacts") == 1
    assert rows(pipeline, "select count(*) from contacts") == [(5,)]
    assert rows(pipeline, "select email from contacts where id = '2'") == [("new2@example.org",)]


def test_archived_contacts_are_marked(tmp_path, serve, temp_pipeline):
    contacts = [contact(1), contact(2, archived=True), contact(3), contact(4, archived=True)]
    serve(write_sample(tmp_path / "s", contacts))
    pipeline = temp_pipeline("hubspot")
    pipeline.run(hubspot_source().with_resources("contacts"))
    assert rows(pipeline, "select id, archived from contacts order by id") == [
        ("1", False),
        ("2", True),
        ("3", False),
        ("4", True),
    ]


def test_contact_archived_after_load_is_marked_on_next_run(tmp_path, serve, temp_pipeline):
    root = write_sample(tmp_path / "s", [contact(1), contact(2)])
    server = serve(root)
    pipeline = temp_pipeline("hubspot")
    pipeline.run(hubspot_source().with_resources("contacts"))
    # archived with its old modified date: search no longer returns it, the cursor is past it
    write_sample(root, [contact(1), contact(2, archived=True)])
    server.reload()
    pipeline.run(hubspot_source().with_resources("contacts"))
    assert rows(pipeline, "select id, archived from contacts order by id") == [
        ("1", False),
        ("2", True),
    ]


def test_contact_merged_after_load_is_removed(tmp_path, serve, temp_pipeline):
    root = write_sample(tmp_path / "s", [contact(1), contact(2), contact(3)])
    server = serve(root)
    pipeline = temp_pipeline("hubspot")
    pipeline.run(hubspot_source().with_resources("contacts"))
    assert rows(pipeline, "select count(*) from contacts") == [(3,)]
    # HubSpot merges 2 into 3: 2 disappears, 3 is modified and lists 2 as absorbed
    write_sample(root, [contact(1), contact(3, "2026-03-05T10:00:00.000Z", merged="2")])
    server.reload()
    pipeline.run(hubspot_source().with_resources("contacts"))
    assert rows(pipeline, "select id, hs_merged_object_ids from contacts order by id") == [
        ("1", None),
        ("3", "2"),
    ]


def test_absorbed_contact_served_with_its_survivor_is_not_loaded(tmp_path, serve, temp_pipeline):
    # both the absorbed (5, 6) and the survivor (7) come back from one search
    contacts = [contact(4), contact(5), contact(6), contact(7, merged="5;6")]
    serve(write_sample(tmp_path / "s", contacts))
    pipeline = temp_pipeline("hubspot")
    pipeline.run(hubspot_source().with_resources("contacts"))
    assert rows(pipeline, "select id from contacts order by id") == [("4",), ("7",)]


def test_deal_properties_are_typed_and_a_bad_amount_is_rejected(tmp_path, serve, temp_pipeline):
    deals = [deal(1, "12500.50", "true"), deal(2, None, "false"), deal(3, "n/a", "false")]
    serve(write_sample(tmp_path / "s", [contact(1)], deals=deals))
    pipeline = temp_pipeline("hubspot")
    pipeline.run(hubspot_source().with_resources("deals", "deal_stages"))
    assert rows(pipeline, "select id, amount, hs_is_closed_won from deals order by id") == [
        ("1", 12500.5, True),
        ("2", None, False),
    ]
    types = dict(
        rows(
            pipeline,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw_hubspot' and table_name = 'deals'",
        )
    )
    assert types["amount"] == "DOUBLE"
    assert types["hs_is_closed_won"] == "BOOLEAN"
    assert types["closedate"] == "TIMESTAMP WITH TIME ZONE"
    rejected = rows(pipeline, "select resource, record_key, reason from _rejects")
    assert len(rejected) == 1
    assert rejected[0][:2] == ("deals", "3")
    assert "n/a" in rejected[0][2]
    reject_columns = {
        r[0]
        for r in rows(
            pipeline,
            "select column_name from information_schema.columns "
            "where table_schema = 'raw_hubspot' and table_name = '_rejects'",
        )
    }
    assert reject_columns - {"_dlt_load_id", "_dlt_id"} == {
        "source", "resource", "record_key", "reason", "raw_record", "rejected_at",
    }  # fmt: skip
    assert rows(
        pipeline, "select stage_id, is_closed, probability from deal_stages order by stage_id"
    ) == [("appointmentscheduled", False, 0.2), ("closedwon", True, 1.0)]


def test_associations_of_all_live_records_with_207_for_ids_without_any(
    tmp_path, serve, temp_pipeline, monkeypatch
):
    from ingestion.hubspot import settings

    # 250 contacts listed 100 a page, read 120 ids a batch: batches of 120, 120 and 10 that
    # straddle the listing's pages
    monkeypatch.setattr(settings, "ASSOCIATION_BATCH_SIZE", 120)
    contacts = [contact(i) for i in range(1, 251)]
    assoc = [
        {
            "from_type": "contacts",
            "from_id": str(i),
            "to_type": "companies",
            "to_id": str(1000 + i % 3),
            "type_id": 1,
        }
        for i in range(1, 251)
        if i % 2 == 0  # odd contacts have no company: the server answers 207 for them
    ]
    assoc += [
        {"from_type": "deals", "from_id": "1", "to_type": "contacts", "to_id": str(c), "type_id": 3}
        for c in (10, 20)
    ]
    serve(
        write_sample(tmp_path / "s", contacts, deals=[deal(1, "10", "false")], associations=assoc)
    )
    pipeline = temp_pipeline("hubspot")
    pipeline.run(hubspot_source())
    assert rows(pipeline, "select count(*) from contact_companies") == [(125,)]
    assert set(rows(pipeline, "select contact_id, company_id from contact_companies")) == {
        (str(i), str(1000 + i % 3)) for i in range(2, 251, 2)
    }
    assert rows(pipeline, "select company_id from contact_companies where contact_id = '4'") == [
        ("1001",)
    ]
    assert rows(pipeline, "select deal_id, contact_id from deal_contacts order by 2") == [
        ("1", "10"),
        ("1", "20"),
    ]


def test_rejected_token_names_the_config_key_and_never_the_token(
    tmp_path, serve, temp_pipeline, monkeypatch, caplog
):
    serve(write_sample(tmp_path / "s", [contact(1)]))
    wrong = "pat-na1-WRONG-secret-9d3c"
    monkeypatch.setenv("SOURCES__HUBSPOT__API_KEY", wrong)
    pipeline = temp_pipeline("hubspot")
    caplog.set_level(logging.DEBUG)
    dlt_log, dlt_lines = logging.getLogger("dlt"), io.StringIO()  # dlt's logger: no propagation
    handler, level = logging.StreamHandler(dlt_lines), dlt_log.level
    dlt_log.addHandler(handler)
    dlt_log.setLevel(logging.DEBUG)
    try:
        with pytest.raises(Exception) as info:
            pipeline.run(hubspot_source())
    finally:
        dlt_log.removeHandler(handler)
        dlt_log.setLevel(level)
    assert dlt_lines.getvalue(), "dlt logged nothing: the log check below would be vacuous"
    assert wrong not in dlt_lines.getvalue()
    chain, exc = [], info.value
    while exc is not None and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    auth = [e for e in chain if isinstance(e, SourceAuthError)]
    assert auth, f"no SourceAuthError in {chain!r}"
    assert "hubspot" in str(auth[0])
    assert "SOURCES__HUBSPOT__API_KEY" in str(auth[0])
    for e in chain:
        assert wrong not in str(e) and wrong not in repr(e)
    assert wrong not in caplog.text


def test_associations_are_a_snapshot_of_live_records(tmp_path, serve, temp_pipeline):
    def link(contact_id: int, company_id: int) -> dict[str, Any]:
        return {
            "from_type": "contacts",
            "from_id": str(contact_id),
            "to_type": "companies",
            "to_id": str(company_id),
            "type_id": 1,
        }

    root = write_sample(
        tmp_path / "s", [contact(1), contact(2), contact(3)],
        associations=[link(1, 900), link(2, 900), link(3, 901)],
    )  # fmt: skip
    server = serve(root)
    pipeline = temp_pipeline("hubspot")
    pipeline.run(hubspot_source().with_resources("contact_companies"))
    assert rows(pipeline, "select count(*) from contact_companies") == [(3,)]
    # contact 2 archived, contact 1 moved to company 902, contact 3 unchanged
    write_sample(
        root, [contact(1), contact(2, archived=True), contact(3)],
        associations=[link(1, 902), link(2, 900), link(3, 901)],
    )  # fmt: skip
    server.reload()
    pipeline.run(hubspot_source().with_resources("contact_companies"))
    assert rows(pipeline, "select contact_id, company_id from contact_companies order by 1") == [
        ("1", "902"),
        ("3", "901"),
    ]
