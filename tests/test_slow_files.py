"""The slow-first ordering of `make test` names files that exist (a renamed one would drop out
of it silently and could leave one xdist worker running it alone at the end)."""

from __future__ import annotations

from tests.conftest import PROJECT_ROOT, SLOW_FILES


def test_every_slow_file_exists() -> None:
    missing = [path for path in SLOW_FILES if not (PROJECT_ROOT / path).is_file()]
    assert missing == []
