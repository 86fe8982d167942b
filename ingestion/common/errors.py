"""Errors raised by the sources. Messages name the source and the config key, never a secret."""

from __future__ import annotations


class SourceAuthError(Exception):
    """The vendor rejected the credential.

    Names the source and the dlt config key holding the credential (e.g.
    `SOURCES__SLACK__ACCESS_TOKEN`) so the operator knows what to fix; never the value.
    """

    def __init__(self, source: str, config_key: str, detail: str = "") -> None:
        self.source = source
        self.config_key = config_key
        self.detail = detail
        why = f" ({detail})" if detail else ""
        super().__init__(
            f"{source}: the API rejected the credential{why}; "
            f"check the secret configured as {config_key}"
        )

    def __reduce__(self):  # keep picklable across processes (Dagster, xdist)
        return (type(self), (self.source, self.config_key, self.detail))


AuthError = SourceAuthError
"""Short alias."""


class SourceAPIError(Exception):
    """The vendor answered with an application-level error (e.g. Slack `ok: false`)."""

    def __init__(self, source: str, error: str, endpoint: str = "") -> None:
        self.source = source
        self.error = error
        self.endpoint = endpoint
        where = f" at {endpoint}" if endpoint else ""
        super().__init__(f"{source}: API error {error!r}{where}")

    def __reduce__(self):
        return (type(self), (self.source, self.error, self.endpoint))
