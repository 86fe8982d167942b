"""marts.fct_activities: one dated action by a member (DESIGN.md "Metric definitions":
Activity). Everything engagement is computed from here: love, Orbit levels, lifecycle,
active members. Guards the key, the activity vocabulary and weights, that every activity's
member exists (reconciliation) and that activity keeps arriving (freshness).
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.rules import (
    PLATFORMS,
    SuiteParams,
    accepted_values,
    blocking,
    columns_present,
    fresh,
    key_unique,
    non_negative,
    plausible_dates,
    volume,
)
from expectations.watermark import DBT_LOADED_AT, INCREMENTAL_ON

TABLE = "marts.fct_activities"
DEPENDS_ON = ["marts.dim_members"]
METRICS = "DESIGN.md Metric definitions: Activity"
ACTIVITY_TYPES = (
    "message",
    "thread_reply",
    "reaction",
    "channel_join",
    "topic",
    "reply",
    "like",
    "accepted_solution",
    "registration",
    "check_in",
)

DERIVED_COLUMNS = {
    "member_in_dim_members": (
        "exists (select 1 from marts.dim_members as d where d.member_id = t.member_id)"
    ),
}


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="fct_activities",
        expectations=[
            columns_present(
                ["activity_id", "member_id", "platform", "activity_type", "occurred_at", "weight"],
                METRICS,
            ),
            *key_unique(["activity_id"], f"{METRICS}: one row per action"),
            accepted_values("activity_type", ACTIVITY_TYPES, METRICS),
            accepted_values("platform", PLATFORMS, METRICS),
            blocking(
                gxe.ExpectColumnValuesToBeInSet(column="member_in_dim_members", value_set=[True]),
                "Reconciliation: every activity's member exists in dim_members",
            ),
            non_negative("weight", f"{METRICS} weights"),
            plausible_dates("occurred_at", params, METRICS),
            fresh("occurred_at", params, "Freshness: community activity", block=True),
            *volume(params, "Volume: fct_activities"),
        ],
        meta={"table": TABLE, INCREMENTAL_ON: DBT_LOADED_AT},
    )
