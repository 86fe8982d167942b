"""marts.dim_programs: one row per community program with its reach (DESIGN.md "Metric
definitions": Program impact). Guards the program key, that reach is never negative, and that
each program's participant_count is the number of its rows in fct_program_participation
(reconciliation).
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
from expectations.suites._shared import equal

TABLE = "marts.dim_programs"
DEPENDS_ON = ["marts.fct_program_participation"]
PROGRAMS = "DESIGN.md Metric definitions: Program impact"

DERIVED_COLUMNS = {
    "participations_in_fct_program_participation": (
        "(select count(*) from marts.fct_program_participation as p"
        " where p.program_id = t.program_id)"
    ),
}


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="dim_programs",
        expectations=[
            columns_present(["program_id", "program_name", "participant_count"], PROGRAMS),
            *key_unique(["program_id"], f"{PROGRAMS}: one row per program"),
            equal(
                "participant_count",
                "participations_in_fct_program_participation",
                "Reconciliation: each program's participant_count equals its rows in "
                "fct_program_participation",
                block=True,
            ),
            non_negative("participant_count", PROGRAMS),
            plausible_dates("first_participation_at", params, PROGRAMS),
            *volume(params, "Volume: dim_programs (seeds/programs.csv)"),
        ],
        meta={"table": TABLE},
    )
