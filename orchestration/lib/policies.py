"""Project-wide policy applied after every tool's definitions are merged."""

from __future__ import annotations

import warnings
from datetime import timedelta

import dagster as dg

# Marts are rebuilt daily; BI should see them flagged stale when a day is missed.
MARTS_FRESHNESS = dg.FreshnessPolicy.time_window(
    fail_window=timedelta(hours=30), warn_window=timedelta(hours=26)
)


def with_mart_freshness(spec: dg.AssetSpec) -> dg.AssetSpec:
    if spec.key.path[0] != "marts":
        return spec
    return spec.replace_attributes(freshness_policy=MARTS_FRESHNESS)


def apply_policies(defs: dg.Definitions) -> dg.Definitions:
    with warnings.catch_warnings():  # map_asset_specs is a Dagster "preview" API
        warnings.simplefilter("ignore", dg.PreviewWarning)
        return defs.map_asset_specs(func=with_mart_freshness)
