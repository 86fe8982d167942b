"""Internals of the local vendor API server; the public module is `ingestion.sample.serve`."""
