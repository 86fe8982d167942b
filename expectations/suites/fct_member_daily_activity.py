"""marts.fct_member_daily_activity: one row per member and day with activity (DESIGN.md
"Metric definitions": Activity). Guards the grain (member, day), that every row counts at
least one activity and never negative weights, that platform and question counts fit within
the day's activities, that every member exists in dim_members, and that the days add up to
fct_activities' activities that were not deleted (reconciliation).
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.rules import (
    SuiteParams,
    blocking,
    columns_present,
    key_unique,
    non_negative,
    plausible_dates,
    volume,
    warning,
)
from expectations.suites._shared import always_true, at_most, equal
from expectations.watermark import DBT_LOADED_AT, INCREMENTAL_ON

TABLE = "marts.fct_member_daily_activity"
DEPENDS_ON = ["marts.dim_members", "marts.fct_activities"]
ACTIVITY = "DESIGN.md Metric definitions: Activity"
COUNTS = ("slack_activity_count", "discourse_activity_count", "luma_activity_count")

DERIVED_COLUMNS = {
    "member_in_dim_members": (
        "exists (select 1 from marts.dim_members as d where d.member_id = t.member_id)"
    ),
    "platform_activity_count": " + ".join(f"coalesce(t.{c}, 0)" for c in COUNTS),
    "activities_in_table": (
        "(select sum(a.activity_count) from marts.fct_member_daily_activity as a)"
    ),
    "activities_in_fct_activities": (
        "(select count(*) from marts.fct_activities as f where not coalesce(f.is_deleted, false))"
    ),
}


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="fct_member_daily_activity",
        expectations=[
            columns_present(
                ["member_day_id", "member_id", "activity_date", "activity_count"], ACTIVITY
            ),
            *key_unique(["member_day_id"], f"{ACTIVITY}: one row per member and day"),
            blocking(
                gxe.ExpectCompoundColumnsToBeUnique(column_list=["member_id", "activity_date"]),
                f"{ACTIVITY}: one row per member and day (member_id, activity_date)",
            ),
            always_true(
                "member_in_dim_members",
                "Reconciliation: every member-day's member exists in dim_members",
                block=True,
            ),
            equal(
                "activities_in_table",
                "activities_in_fct_activities",
                "Reconciliation: the days' activity counts add up to fct_activities' "
                "activities that were not deleted",
                block=True,
            ),
            warning(
                gxe.ExpectColumnValuesToBeBetween(column="activity_count", min_value=1),
                f"{ACTIVITY}: a member-day row has at least one activity",
            ),
            non_negative("activity_weight", f"{ACTIVITY} weights"),
            *[non_negative(c, ACTIVITY) for c in (*COUNTS, "question_count")],
            at_most(
                "platform_activity_count",
                "activity_count",
                f"{ACTIVITY}: activities by platform add up to at most the day's activities",
            ),
            at_most(
                "question_count",
                "activity_count",
                f"{ACTIVITY}: questions are among the day's activities",
            ),
            plausible_dates("activity_date", params, ACTIVITY),
            *volume(params, "Volume: fct_member_daily_activity"),
        ],
        meta={"table": TABLE, INCREMENTAL_ON: DBT_LOADED_AT},
    )
