"""Helpers shared by the Dagster definitions: where the warehouse is, how assets are named."""
