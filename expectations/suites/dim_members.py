"""marts.dim_members: one row per member, with engagement (love, Orbit level, lifecycle).

Guards DESIGN.md "Identity resolution" (every member has its accounts; bots and team are out
of Orbit levels) and "Metric definitions" (Orbit level shares, lifecycle statuses, love and
activity counts never negative), plus freshness and volume of the table BI reads most.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.rules import (
    LIFECYCLE_STATUSES,
    ORBIT_LEVELS,
    SuiteParams,
    accepted_values,
    blocking,
    columns_present,
    fresh,
    key_unique,
    non_negative,
    plausible_dates,
    volume,
    warning,
)

TABLE = "marts.dim_members"
DEPENDS_ON = ["marts.member_identities"]
IDENTITY = "DESIGN.md Identity resolution"
METRICS = "DESIGN.md Metric definitions"

DERIVED_COLUMNS = {
    # Reconciliation: the accounts dim_members counts are the rows member_identities holds.
    "identities_in_member_identities": (
        "(select count(*) from marts.member_identities as i where i.member_id = t.member_id)"
    ),
    # Orbit 1 (advocate) among members ranked 1-3; null for explorers and the unranked.
    "is_orbit_advocate": "case when t.orbit_level in (1, 2, 3) then t.orbit_level = 1 end",
    "is_orbit_advocate_or_contributor": (
        "case when t.orbit_level in (1, 2, 3) then t.orbit_level in (1, 2) end"
    ),
    # Rule 4: bots and team are excluded from Orbit levels.
    "bot_or_staff_with_orbit_level": (
        "(coalesce(t.is_bot, false) or coalesce(t.is_staff, false)) and t.orbit_level is not null"
    ),
}


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="dim_members",
        expectations=[
            columns_present(
                [
                    "member_id",
                    "identity_count",
                    "is_bot",
                    "is_staff",
                    "love",
                    "orbit_level",
                    "lifecycle_status",
                    "activity_count",
                    "first_active_at",
                    "last_active_at",
                ],
                "dim_members columns BI reads",
            ),
            *key_unique(["member_id"], f"{IDENTITY} rule 5: one row per stable member_id"),
            blocking(
                gxe.ExpectColumnPairValuesToBeEqual(
                    column_A="identity_count", column_B="identities_in_member_identities"
                ),
                "Reconciliation: each member's identity_count equals its rows in "
                "member_identities (every member has its accounts)",
            ),
            blocking(
                gxe.ExpectColumnValuesToBeBetween(column="identity_count", min_value=1),
                f"{IDENTITY}: every member has at least one account",
            ),
            accepted_values("orbit_level", ORBIT_LEVELS, f"{METRICS} Orbit level"),
            accepted_values("lifecycle_status", LIFECYCLE_STATUSES, f"{METRICS} Lifecycle status"),
            blocking(
                gxe.ExpectColumnValuesToBeInSet(
                    column="bot_or_staff_with_orbit_level", value_set=[False]
                ),
                f"{METRICS} Orbit level / {IDENTITY} rule 4: bots and team get no Orbit level",
            ),
            warning(
                gxe.ExpectColumnMeanToBeBetween(
                    column="is_orbit_advocate", min_value=0.03, max_value=0.2
                ),
                f"{METRICS} Orbit level: advocates are about the top 10% of ranked members",
            ),
            warning(
                gxe.ExpectColumnMeanToBeBetween(
                    column="is_orbit_advocate_or_contributor", min_value=0.2, max_value=0.5
                ),
                f"{METRICS} Orbit level: advocates and contributors are about the top 35%",
            ),
            warning(
                gxe.ExpectColumnMeanToBeBetween(column="is_bot", min_value=0, max_value=0.2),
                f"{IDENTITY} rule 4: bots are flagged; over 20% bots means the flag is wrong",
            ),
            non_negative("love", f"{METRICS} Love"),
            non_negative("activity_count", f"{METRICS} Activity"),
            non_negative("activity_weight", f"{METRICS} Activity"),
            non_negative("activity_count_last_28_days", f"{METRICS} Active members"),
            non_negative("activity_count_last_90_days", f"{METRICS} Lifecycle status"),
            warning(
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A="last_active_at",
                    column_B="first_active_at",
                    or_equal=True,
                    ignore_row_if="either_value_is_missing",
                ),
                f"{METRICS} Activity: last activity is not before the first",
            ),
            plausible_dates("first_active_at", params, f"{METRICS} Activity"),
            plausible_dates("last_active_at", params, f"{METRICS} Activity"),
            fresh("last_active_at", params, "Freshness: members' latest activity", block=True),
            *volume(params, "Volume: dim_members"),
        ],
        meta={"table": TABLE},
    )
