"""Each Great Expectations suite (expectations/suites/) as a blocking `@asset_check`.

A check fails with severity ERROR when an expectation tagged blocking fails (key integrity,
reconciliation, freshness, accepted values): downstream assets in the run are not built.
When only warning expectations fail, it fails with severity WARN and the run goes on.
"""

from pathlib import Path

import dagster as dg
from dagster import AssetCheckExecutionContext

from expectations.run import run_suite
from expectations.suites import TableSuite, load_suites
from expectations.validate import ValidationOutcome
from orchestration.defs.common.resources import WAREHOUSE_POOL, WarehouseResource
from orchestration.lib.settings import freshness_max_age_days, freshness_reference

MAX_LISTED_FAILURES = 20


def asset_key_for(table: str) -> dg.AssetKey:
    return dg.AssetKey(table.split("."))


def check_result(outcome: ValidationOutcome) -> dg.AssetCheckResult:
    """Pure translation of a validation outcome into Dagster's terms."""
    severity = (
        dg.AssetCheckSeverity.ERROR if outcome.blocking_failures else dg.AssetCheckSeverity.WARN
    )
    metadata: dict[str, dg.MetadataValue] = {
        "row_count": dg.MetadataValue.int(outcome.row_count),
        "expectations_evaluated": dg.MetadataValue.int(outcome.evaluated),
        "expectations_failed": dg.MetadataValue.int(len(outcome.failures)),
        "blocking_failures": dg.MetadataValue.int(len(outcome.blocking_failures)),
    }
    if outcome.failures:
        listed = [f.describe() for f in outcome.failures[:MAX_LISTED_FAILURES]]
        metadata["failures"] = dg.MetadataValue.md("\n".join(f"- {line}" for line in listed))
    if outcome.docs_index is not None:
        metadata["data_docs"] = dg.MetadataValue.path(str(outcome.docs_index))
    return dg.AssetCheckResult(passed=outcome.success, severity=severity, metadata=metadata)


def build_check(suite: TableSuite) -> dg.AssetChecksDefinition:
    # Tables a suite reconciles with (`depends_on`) are built by the same dbt step as the table
    # itself, so they are current when the check runs; declaring them as dependencies would
    # make two blocking checks wait on each other.
    reads = f" Also reads {', '.join(suite.depends_on)}." if suite.depends_on else ""

    @dg.asset_check(
        asset=asset_key_for(suite.table),
        name=f"gx_{suite.name}",
        description=f"Great Expectations suite `{suite.name}`: {suite.description}{reads}",
        blocking=True,
        pool=WAREHOUSE_POOL,
    )
    def _check(context: AssetCheckExecutionContext, warehouse: WarehouseResource):
        outcome = run_suite(
            Path(warehouse.path),
            suite,
            as_of=freshness_reference(),
            freshness_max_age_days=freshness_max_age_days(),
        )
        for failure in outcome.failures:
            log = context.log.error if failure.blocking else context.log.warning
            log(f"{suite.table}: {failure.describe()}")
        return check_result(outcome)

    return _check


def build_defs() -> dg.Definitions:
    return dg.Definitions(asset_checks=[build_check(s) for s in load_suites().values()])
