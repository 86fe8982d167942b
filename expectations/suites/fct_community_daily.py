"""marts.fct_community_daily: community health per day (DESIGN.md "Metric definitions":
active members, retention, time to first response). Guards one row per day, DAU <= WAU <=
MAU (nested trailing windows), shares in [0, 1] and non-negative counts and hours.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.rules import (
    SuiteParams,
    columns_present,
    key_unique,
    non_negative,
    share,
    volume,
    warning,
)

TABLE = "marts.fct_community_daily"
METRICS = "DESIGN.md Metric definitions"
SHARES = (
    "mau_retention_rate",
    "unanswered_rate",
    "accepted_solution_rate",
    "staff_first_response_share",
    "community_first_response_share",
)
COUNTS = ("dau", "wau", "mau", "new_members", "questions_asked")


def _at_most(smaller: str, larger: str, why: str) -> gxe.ExpectColumnPairValuesAToBeGreaterThanB:
    return warning(
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=larger,
            column_B=smaller,
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        ),
        why,
    )


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="fct_community_daily",
        expectations=[
            columns_present(["calendar_date", "dau", "wau", "mau"], f"{METRICS}: Active members"),
            *key_unique(["calendar_date"], "fct_community_daily: one row per day"),
            _at_most("dau", "wau", f"{METRICS} Active members: DAU <= WAU (1-day within 7-day)"),
            _at_most("wau", "mau", f"{METRICS} Active members: WAU <= MAU (7-day within 28-day)"),
            _at_most(
                "retained_mau",
                "previous_mau",
                f"{METRICS} Retention: retained members are among the previous period's",
            ),
            *[share(c, f"{METRICS} Retention / Time to first response") for c in SHARES],
            *[non_negative(c, f"{METRICS} Active members") for c in COUNTS],
            non_negative("ttfr_median_hours", f"{METRICS} Time to first response"),
            _at_most(
                "ttfr_median_hours",
                "ttfr_p90_hours",
                f"{METRICS} Time to first response: median <= p90",
            ),
            *volume(params, "Volume: fct_community_daily"),
        ],
        meta={"table": TABLE},
    )
