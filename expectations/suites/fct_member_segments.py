"""marts.fct_member_segments: segment membership history, one row per member, segment and
uninterrupted stretch [valid_from, valid_to).

Guards that a stretch ends after it starts, that is_current means an open stretch, that a
member is in a segment at most once and in one lifecycle segment at a time (DESIGN.md
"Lifecycle status" is one status as of a date), that bots are never in a segment (DESIGN.md
"Identity resolution" rule 4), and that every row's segment and member exist
(reconciliation with dim_segments and dim_members).
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.rules import (
    SuiteParams,
    blocking,
    columns_present,
    key_unique,
    plausible_dates,
    volume,
)
from expectations.suites._shared import always_true, at_most

TABLE = "marts.fct_member_segments"
DEPENDS_ON = ["marts.dim_segments", "marts.dim_members"]
SEGMENTS = "Segment history (fct_member_segments)"
LIFECYCLE = "DESIGN.md Metric definitions: Lifecycle status"

DERIVED_COLUMNS = {
    "segment_in_dim_segments": (
        "exists (select 1 from marts.dim_segments as s where s.segment_id = t.segment_id)"
    ),
    "member_in_dim_members": (
        "exists (select 1 from marts.dim_members as d where d.member_id = t.member_id)"
    ),
    "member_is_not_bot": (
        "not exists (select 1 from marts.dim_members as d"
        " where d.member_id = t.member_id and d.is_bot)"
    ),
    "is_current_matches_open_stretch": "coalesce(t.is_current = (t.valid_to is null), false)",
    # (member, segment) of each current row; null for closed stretches (not compared)
    "current_member_segment": (
        "case when t.is_current then t.member_id || '|' || t.segment_id end"
    ),
    # the member of each current row in a lifecycle segment; null otherwise
    "current_lifecycle_member": (
        "case when t.is_current and exists (select 1 from marts.dim_segments as s"
        " where s.segment_id = t.segment_id and s.attribute = 'lifecycle_status')"
        " then t.member_id end"
    ),
}


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="fct_member_segments",
        expectations=[
            columns_present(
                [
                    "member_segment_id",
                    "member_id",
                    "segment_id",
                    "valid_from",
                    "valid_to",
                    "is_current",
                ],
                SEGMENTS,
            ),
            *key_unique(["member_segment_id"], f"{SEGMENTS}: one row per stretch"),
            always_true(
                "segment_in_dim_segments",
                "Reconciliation: every membership's segment exists in dim_segments",
                block=True,
            ),
            always_true(
                "member_in_dim_members",
                "Reconciliation: every membership's member exists in dim_members",
                block=True,
            ),
            always_true(
                "member_is_not_bot",
                "DESIGN.md Identity resolution rule 4: bots are never in a segment",
                block=True,
            ),
            always_true(
                "is_current_matches_open_stretch",
                f"{SEGMENTS}: is_current exactly when the stretch is open (valid_to null)",
                block=True,
            ),
            blocking(
                gxe.ExpectColumnValuesToBeUnique(column="current_member_segment"),
                f"{SEGMENTS}: a member is in a segment at most once at a time "
                "(one current row per member and segment)",
            ),
            blocking(
                gxe.ExpectColumnValuesToBeUnique(column="current_lifecycle_member"),
                f"{LIFECYCLE}: a member is in one lifecycle segment at a time",
            ),
            at_most(
                "valid_from",
                "valid_to",
                f"{SEGMENTS}: a stretch ends after it starts (valid_from < valid_to)",
                strict=True,
            ),
            plausible_dates("valid_from", params, SEGMENTS),
            *volume(params, "Volume: fct_member_segments"),
        ],
        meta={"table": TABLE},
    )
