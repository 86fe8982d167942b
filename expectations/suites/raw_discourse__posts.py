"""raw_discourse.posts: posts of every topic, deleted ones flagged (CONTRACTS.md pk id)."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.rules import (
    SuiteParams,
    columns_present,
    fresh,
    key_unique,
    plausible_dates,
    volume,
    warning,
)
from expectations.watermark import DLT_LOAD_ID, INCREMENTAL_ON

TABLE = "raw_discourse.posts"
CONTRACT = "CONTRACTS.md raw_discourse.posts"


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="raw_discourse__posts",
        expectations=[
            columns_present(["id", "topic_id", "post_number", "created_at"], CONTRACT),
            *key_unique(["id"], f"{CONTRACT}: primary key"),
            warning(
                gxe.ExpectColumnValuesToNotBeNull(column="topic_id"),
                f"{CONTRACT}: every post belongs to a topic",
            ),
            warning(
                gxe.ExpectColumnValuesToBeBetween(column="post_number", min_value=1),
                f"{CONTRACT}: post numbers start at 1",
            ),
            plausible_dates("created_at", params, CONTRACT),
            fresh("created_at", params, "Freshness: Discourse posts", block=False),
            *volume(params, "Volume: raw_discourse.posts", block_empty=False),
        ],
        meta={"table": TABLE, INCREMENTAL_ON: DLT_LOAD_ID},
    )
