"""marts.fct_program_impact: per participant and program, activity in the 60 days after the
first participation vs the 60 before, against matched non-participants (DESIGN.md "Metric
definitions": Program impact, difference in differences; conversion to a CRM deal).

Guards non-negative windows and control counts, weight_change = post - pre, that a
difference in differences exists exactly when there are controls, that conversion and its
deal date agree and the deal is not before participation, that participants are neither bots
nor team (DESIGN.md "Identity resolution" rule 4), and that every row is a participation
(reconciliation with fct_program_participation).
"""

from __future__ import annotations

import great_expectations as gx

from expectations.rules import (
    SuiteParams,
    columns_present,
    key_unique,
    non_negative,
    plausible_dates,
    volume,
)
from expectations.suites._shared import always_true, at_most, equal

TABLE = "marts.fct_program_impact"
DEPENDS_ON = ["marts.fct_program_participation", "marts.dim_members"]
IMPACT = "DESIGN.md Metric definitions: Program impact"

DERIVED_COLUMNS = {
    "is_participation": (
        "exists (select 1 from marts.fct_program_participation as p"
        " where p.program_participation_id = t.program_participation_id)"
    ),
    "participant_is_member_not_bot_or_staff": (
        "exists (select 1 from marts.dim_members as d where d.member_id = t.member_id"
        " and not coalesce(d.is_bot, false) and not coalesce(d.is_staff, false))"
    ),
    "post_minus_pre_weight": "t.post_weight - t.pre_weight",
    "diff_in_diff_iff_controls": (
        "coalesce((t.diff_in_diff is not null) = (t.control_count > 0), false)"
    ),
    "has_converted_iff_deal": (
        "coalesce(t.has_converted = (t.first_deal_created_at is not null), false)"
    ),
}


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="fct_program_impact",
        expectations=[
            columns_present(
                [
                    "program_participation_id",
                    "member_id",
                    "program_id",
                    "pre_weight",
                    "post_weight",
                    "control_count",
                    "diff_in_diff",
                    "has_converted",
                ],
                IMPACT,
            ),
            *key_unique(["program_participation_id"], f"{IMPACT}: one row per participation"),
            always_true(
                "is_participation",
                "Reconciliation: every row is a participation in fct_program_participation",
                block=True,
            ),
            always_true(
                "participant_is_member_not_bot_or_staff",
                f"{IMPACT} / DESIGN.md Identity resolution rule 4: participants are members, "
                "neither bots nor team",
                block=True,
            ),
            *[
                non_negative(c, f"{IMPACT}: participants and controls")
                for c in (
                    "pre_weight",
                    "post_weight",
                    "control_count",
                    "control_pre_weight",
                    "control_post_weight",
                )
            ],
            equal(
                "weight_change",
                "post_minus_pre_weight",
                f"{IMPACT}: weight_change is post_weight - pre_weight",
                block=False,
            ),
            always_true(
                "diff_in_diff_iff_controls",
                f"{IMPACT}: a difference in differences exactly when there are matched controls",
                block=False,
            ),
            always_true(
                "has_converted_iff_deal",
                f"{IMPACT} conversion: has_converted exactly when a first deal date is set",
                block=False,
            ),
            at_most(
                "participated_at",
                "first_deal_created_at",
                f"{IMPACT} conversion: the converting deal is not created before participation",
            ),
            plausible_dates("participated_at", params, IMPACT),
            *volume(params, "Volume: fct_program_impact", block_empty=False),
        ],
        meta={"table": TABLE},
    )
