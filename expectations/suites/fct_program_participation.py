"""marts.fct_program_participation: one row per member and program they took part in
(DESIGN.md "Metric definitions": Program impact). Guards the grain (member, program), that
every participation counts at least one check-in or channel activity, that the last
participation is not before the first, and that every member and program exists
(reconciliation with dim_members and dim_programs).
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
from expectations.suites._shared import always_true, at_most

TABLE = "marts.fct_program_participation"
DEPENDS_ON = ["marts.dim_members", "marts.dim_programs"]
PROGRAMS = "DESIGN.md Metric definitions: Program impact"

DERIVED_COLUMNS = {
    "member_in_dim_members": (
        "exists (select 1 from marts.dim_members as d where d.member_id = t.member_id)"
    ),
    "program_in_dim_programs": (
        "exists (select 1 from marts.dim_programs as p where p.program_id = t.program_id)"
    ),
    "participations": "coalesce(t.event_check_in_count, 0) + coalesce(t.slack_activity_count, 0)",
}


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="fct_program_participation",
        expectations=[
            columns_present(
                ["program_participation_id", "member_id", "program_id", "first_participated_at"],
                PROGRAMS,
            ),
            *key_unique(["program_participation_id"], f"{PROGRAMS}: one row per participation"),
            blocking(
                gxe.ExpectCompoundColumnsToBeUnique(column_list=["member_id", "program_id"]),
                f"{PROGRAMS}: one row per member and program (the 60-day windows start at the "
                "first participation)",
            ),
            always_true(
                "member_in_dim_members",
                "Reconciliation: every participant exists in dim_members",
                block=True,
            ),
            always_true(
                "program_in_dim_programs",
                "Reconciliation: every participation's program exists in dim_programs",
                block=True,
            ),
            non_negative("event_check_in_count", PROGRAMS),
            non_negative("slack_activity_count", PROGRAMS),
            warning(
                gxe.ExpectColumnValuesToBeBetween(column="participations", min_value=1),
                f"{PROGRAMS}: every participation has at least one check-in or channel activity",
            ),
            at_most(
                "first_participated_at",
                "last_participated_at",
                f"{PROGRAMS}: the last participation is not before the first",
            ),
            plausible_dates("first_participated_at", params, PROGRAMS),
            *volume(params, "Volume: fct_program_participation", block_empty=False),
        ],
        meta={"table": TABLE},
    )
