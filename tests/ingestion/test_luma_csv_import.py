"""Attendee CSV importer: the sample's Luma, Eventbrite and Zoom exports against
attendees_truth.csv, plus small hand-written exports for rejects and layout details."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from ingestion.luma.csv_import import AttendeeFile, guest_api_id, import_attendee_csvs

EXPORTS = ("attendees_luma.csv", "attendees_eventbrite.csv", "attendees_zoom.csv")
SOURCE_OF = {
    "attendees_luma.csv": "csv:luma",
    "attendees_eventbrite.csv": "csv:eventbrite",
    "attendees_zoom.csv": "csv:zoom",
}


def query(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def truth(sample_dir: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with (sample_dir / "exports" / "attendees_truth.csv").open(newline="") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r["file"], []).append(r["email"])
    return out


def load(tmp_path: Path, files: list) -> Path:
    warehouse = tmp_path / "w.duckdb"
    import_attendee_csvs(files, warehouse=warehouse, pipelines_dir=tmp_path / "pipelines")
    return warehouse


def test_exports_load_with_the_rows_and_emails_of_the_truth_file(sample_dir, tmp_path):
    files = [sample_dir / "exports" / name for name in EXPORTS]
    warehouse = load(tmp_path, files)
    expected = truth(sample_dir)
    for name in EXPORTS:
        emails = [
            r[0] or ""
            for r in query(
                warehouse,
                f"select user_email from raw_luma.guests where source = '{SOURCE_OF[name]}'",
            )
        ]
        assert Counter(emails) == Counter(expected[name]), name
    assert query(warehouse, "select count(*) from raw_luma.guests") == [
        (sum(len(v) for v in expected.values()),)
    ]
    assert query(
        warehouse, "select count(*) from raw_luma.guests where user_api_id is not null"
    ) == [(0,)]


def test_reimporting_the_same_exports_adds_nothing(sample_dir, tmp_path):
    files = [sample_dir / "exports" / name for name in EXPORTS]
    warehouse = load(tmp_path, files)
    first = sorted(
        query(warehouse, "select * exclude (_dlt_load_id, _dlt_id) from raw_luma.guests")
    )
    load(tmp_path, files)
    again = sorted(
        query(warehouse, "select * exclude (_dlt_load_id, _dlt_id) from raw_luma.guests")
    )
    assert again == first


def test_luma_export_rows_belong_to_the_event_in_the_check_in_url(sample_dir, tmp_path):
    warehouse = load(tmp_path, [sample_dir / "exports" / "attendees_luma.csv"])
    with (sample_dir / "exports" / "attendees_luma.csv").open(newline="") as fh:
        events = {r["qr_code_url"].split("/check-in/")[1].split("?")[0] for r in csv.DictReader(fh)}
    assert {r[0] for r in query(warehouse, "select event_api_id from raw_luma.guests")} == events


def test_a_malformed_row_goes_to_rejects_and_the_others_load(sample_dir, tmp_path):
    path = tmp_path / "attendees_eventbrite.csv"
    shutil.copy(sample_dir / "exports" / "attendees_eventbrite.csv", path)
    good = len(truth(sample_dir)["attendees_eventbrite.csv"])
    with path.open("a", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        bad_email = ["1", "09/08/26 06:15", "No", "Email", "not-an-email", "1", "", "GA", "9"]
        bad_date = ["2", "yesterday-ish", "Bad", "Date", "bad.date@example.org", "1", "", "GA", "8"]
        tail = ["", "Free Order", "USD", "0", "0", "0", "0", "Attending"]
        writer.writerow(bad_email + tail)
        writer.writerow(bad_date + tail)
        writer.writerow(["3", "09/08/26 06:15", "Short"])  # too few fields
    warehouse = load(tmp_path, [path])
    assert query(warehouse, "select count(*) from raw_luma.guests") == [(good,)]
    rejects = query(
        warehouse, "select source, resource, record_key, reason from raw_luma._rejects order by 3"
    )
    n = good + 1  # header is line 1, the good rows follow
    assert [r[:3] for r in rejects] == [
        ("luma", "guests", f"attendees_eventbrite.csv:{n + 1}"),
        ("luma", "guests", f"attendees_eventbrite.csv:{n + 2}"),
        ("luma", "guests", f"attendees_eventbrite.csv:{n + 3}"),
    ]
    assert "not-an-email" in rejects[0][3]
    assert "yesterday-ish" in rejects[1][3]
    assert "expected 17 fields, found 3" in rejects[2][3]
    columns = query(
        warehouse,
        "select column_name from information_schema.columns "
        "where table_schema = 'raw_luma' and table_name = '_rejects' order by ordinal_position",
    )
    assert [c[0] for c in columns if not c[0].startswith("_dlt")] == [
        "source", "resource", "record_key", "reason", "raw_record", "rejected_at",
    ]  # fmt: skip


ZOOM_HEADER = (
    "Attended,User Name (Original Name),First Name,Last Name,Email,Registration Time,"
    "Approval Status,Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name"
)
ZOOM_WEBINAR = "\n".join(
    [
        "Attendee Report",
        'Report Generated:,"03/06/2024 10:00 AM"',
        "Topic,Webinar ID,Actual Start Time",
        'Community Webinar,81234567890,"03/05/2024 05:00:00 PM"',
        "Attendee Details",
        ZOOM_HEADER,
        "Yes,Ana Lima (Ana),Ana,Lima,ana@example.org,03/01/2024 09:00:00 AM,approved,"
        "03/05/2024 05:02:00 PM,03/05/2024 05:30:00 PM,28,Yes,Brazil",
        "Yes,Ana Lima,Ana,Lima,ana@example.org,03/01/2024 09:00:00 AM,approved,"
        "03/05/2024 05:01:00 PM,03/05/2024 05:01:30 PM,1,Yes,Brazil",
        "No,Bo Chen,Bo,Chen,bo@example.org,03/02/2024 10:30:00 AM,approved,--,--,0,Yes,Canada",
        "",
    ]
)


def test_zoom_webinar_report_is_read_past_its_preamble_and_rejoins_collapse(tmp_path):
    path = tmp_path / "webinar.csv"
    path.write_text(ZOOM_WEBINAR)
    warehouse = load(tmp_path, [path])
    got = query(
        warehouse,
        "select event_api_id, user_email, user_name, approval_status, "
        "strftime(registered_at, '%Y-%m-%d %H:%M'), strftime(checked_in_at, '%Y-%m-%d %H:%M') "
        "from raw_luma.guests order by user_email",
    )
    assert got == [
        ("zoom:81234567890", "ana@example.org", "Ana Lima", "approved",
         "2024-03-01 09:00", "2024-03-05 17:01"),
        ("zoom:81234567890", "bo@example.org", "Bo Chen", "approved", "2024-03-02 10:30", None),
    ]  # fmt: skip
    ana = guest_api_id("csv:zoom", "zoom:81234567890", "ana@example.org")
    assert query(warehouse, "select api_id from raw_luma.guests order by user_email")[0] == (ana,)


def test_event_given_by_the_caller_wins_and_unknown_layouts_are_rejected(tmp_path):
    luma = tmp_path / "guests.csv"
    luma.write_text(
        "api_id,name,email,created_at,approval_status,checked_in_at\n"
        "gst-1,Cy Dorn, Cy@Example.org ,2026-09-01T10:00:00Z,approved,2026-09-20T07:05:00Z\n"
    )
    other = tmp_path / "other.csv"
    other.write_text("who,when\nsomeone,today\n")
    warehouse = load(tmp_path, [AttendeeFile(luma, event_api_id="evt-abc"), other])
    assert query(
        warehouse, "select api_id, event_api_id, user_email, source from raw_luma.guests"
    ) == [(guest_api_id("csv:luma", "evt-abc", "cy@example.org"), "evt-abc", " Cy@Example.org ",
           "csv:luma")]  # fmt: skip
    reasons = query(warehouse, "select record_key, reason from raw_luma._rejects")
    assert len(reasons) == 1 and reasons[0][0] == "other.csv"
    assert "unrecognised attendee CSV layout" in reasons[0][1]


@pytest.mark.parametrize(
    ("status", "expected"),
    [("Attending", "approved"), ("Checked In", "approved"), ("Not Attending", "declined")],
)
def test_eventbrite_statuses_map_to_luma_statuses(tmp_path, status, expected):
    path = tmp_path / "eb.csv"
    path.write_text(
        "Order #,Order Date,First Name,Last Name,Email,Attendee #,Attendee Status\n"
        f"7,03/04/24 18:30,Di,Eze,di@example.org,70,{status}\n"
    )
    warehouse = load(tmp_path, [path])
    assert query(
        warehouse,
        "select approval_status, strftime(registered_at, '%Y-%m-%d %H:%M') from raw_luma.guests",
    ) == [(expected, "2024-03-04 18:30")]
