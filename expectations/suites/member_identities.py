"""marts.member_identities: one row per platform account, mapped to exactly one member.

Guards DESIGN.md "Contracts that users depend on" (member_identities) and "Identity
resolution": the key (platform, platform_user_id), the four platforms, and that every
identity's member exists in dim_members (reconciliation).
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
    key_unique,
    plausible_dates,
    volume,
    warning,
)

TABLE = "marts.member_identities"
CONTRACT = "DESIGN.md contract marts.member_identities"

DEPENDS_ON = ["marts.dim_members"]
DERIVED_COLUMNS = {
    "member_in_dim_members": (
        "exists (select 1 from marts.dim_members as d where d.member_id = t.member_id)"
    ),
}


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="member_identities",
        expectations=[
            columns_present(
                ["member_id", "platform", "platform_user_id", "is_bot", "is_deactivated"],
                CONTRACT,
            ),
            *key_unique(["platform", "platform_user_id"], f"{CONTRACT}: one row per account"),
            blocking(
                gxe.ExpectColumnValuesToNotBeNull(column="member_id"),
                f"{CONTRACT}: every account maps to exactly one member",
            ),
            accepted_values("platform", PLATFORMS, CONTRACT),
            blocking(
                gxe.ExpectColumnValuesToBeInSet(column="member_in_dim_members", value_set=[True]),
                "Reconciliation: every member in member_identities exists in dim_members",
            ),
            warning(
                gxe.ExpectColumnMeanToBeBetween(column="is_bot", min_value=0, max_value=0.25),
                "Identity resolution rule 4: bots are flagged; a bot share above 25% of "
                "accounts means the bot flag is wrong",
            ),
            plausible_dates("first_seen_at", params, CONTRACT),
            *volume(params, "Volume: member_identities"),
        ],
        meta={"table": TABLE},
    )
