"""Plumbing shared by every vendor package: HTTP client, errors, rejects, Arrow batches."""

from ingestion.common.arrow import DICT_FILE_FORMAT, TableBuilder
from ingestion.common.errors import AuthError, SourceAPIError, SourceAuthError
from ingestion.common.http import (
    BearerAuth,
    HeadersAuth,
    TruncatedResponseError,
    VendorClient,
    make_client,
)
from ingestion.common.rejects import REJECTS_TABLE, reject

__all__ = [
    "DICT_FILE_FORMAT",
    "REJECTS_TABLE",
    "AuthError",
    "BearerAuth",
    "HeadersAuth",
    "SourceAPIError",
    "SourceAuthError",
    "TableBuilder",
    "TruncatedResponseError",
    "VendorClient",
    "make_client",
    "reject",
]
