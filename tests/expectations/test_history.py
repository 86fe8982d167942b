"""Row counts of the previous validation, per table, kept beside the Data Docs."""

from __future__ import annotations

from expectations.history import FILE_NAME, previous_row_count, record_row_count


def test_no_history_means_no_previous_count(tmp_path) -> None:
    assert previous_row_count(tmp_path, "marts.dim_members") is None


def test_recorded_counts_come_back_per_table(tmp_path) -> None:
    record_row_count(tmp_path, "marts.dim_members", 10)
    record_row_count(tmp_path, "marts.member_identities", 25)
    record_row_count(tmp_path, "marts.dim_members", 12)
    assert previous_row_count(tmp_path, "marts.dim_members") == 12
    assert previous_row_count(tmp_path, "marts.member_identities") == 25


def test_a_corrupt_history_file_is_ignored(tmp_path) -> None:
    (tmp_path / FILE_NAME).write_text("{not json")
    assert previous_row_count(tmp_path, "marts.dim_members") is None
    record_row_count(tmp_path, "marts.dim_members", 3)
    assert previous_row_count(tmp_path, "marts.dim_members") == 3
