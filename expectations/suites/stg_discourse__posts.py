"""staging.stg_discourse__posts: every raw Discourse post accounted for in staging.

Cross-layer reconciliation: staging is rote (rename, cast, flag; no filters), so it holds
exactly one row per raw_discourse.posts row (CONTRACTS.md pk id). Records that could not be
loaded at all are in raw_discourse._rejects, never in raw_discourse.posts, so they are not
expected here. Key and ranges of the raw rows are the raw_discourse__posts suite's.
"""

from __future__ import annotations

import great_expectations as gx

from expectations.rules import SuiteParams, columns_present, volume
from expectations.suites._shared import always_true, equal

TABLE = "staging.stg_discourse__posts"
DEPENDS_ON = ["raw_discourse.posts"]
RECONCILIATION = "Reconciliation raw_discourse.posts -> staging.stg_discourse__posts"

DERIVED_COLUMNS = {
    "rows_in_staging": "(select count(*) from staging.stg_discourse__posts)",
    "rows_in_raw": "(select count(*) from raw_discourse.posts)",
    "every_raw_post_in_staging": (
        "not exists (select 1 from raw_discourse.posts as r where not exists ("
        "select 1 from staging.stg_discourse__posts as s where s.post_id = cast(r.id as varchar)))"
    ),
}


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="stg_discourse__posts",
        expectations=[
            columns_present(["post_id", "topic_id"], RECONCILIATION),
            equal(
                "rows_in_staging",
                "rows_in_raw",
                f"{RECONCILIATION}: one staging row per raw post (row counts equal)",
                block=True,
            ),
            always_true(
                "every_raw_post_in_staging",
                f"{RECONCILIATION}: every raw post id is in staging",
                block=True,
            ),
            # a forum without posts is possible (the raw suite does not block on it either)
            *volume(params, "Volume: stg_discourse__posts", block_empty=False),
        ],
        meta={"table": TABLE},
    )
