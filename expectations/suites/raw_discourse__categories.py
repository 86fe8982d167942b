"""raw_discourse.categories: forum categories, subcategories included (CONTRACTS.md pk id)."""

from __future__ import annotations

import great_expectations as gx

from expectations.rules import SuiteParams, columns_present, key_unique, non_negative, volume
from expectations.watermark import DLT_LOAD_ID, INCREMENTAL_ON

TABLE = "raw_discourse.categories"
CONTRACT = "CONTRACTS.md raw_discourse.categories"


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="raw_discourse__categories",
        expectations=[
            columns_present(["id", "name", "slug", "parent_category_id"], CONTRACT),
            *key_unique(["id"], f"{CONTRACT}: primary key"),
            non_negative("topic_count", CONTRACT),
            *volume(params, "Volume: raw_discourse.categories", block_empty=False),
        ],
        meta={"table": TABLE, INCREMENTAL_ON: DLT_LOAD_ID},
    )
