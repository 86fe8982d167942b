"""Small deterministic helpers shared by the sample generators: RNG streams, ids, time, JSONL."""

from __future__ import annotations

import json
import math
import random
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

DAY = 86400
_B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def rng(seed: int, *parts: object) -> random.Random:
    """An independent RNG stream named by its parts (string seed: no hash() randomization)."""
    return random.Random(":".join([str(seed), *map(str, parts)]))


def code36(n: int, width: int = 8, mult: int = 2654435761, add: int = 1234567) -> str:
    """A bijective, random-looking base-36 code for a non-negative integer (upper case)."""
    space = 36**width
    x = (n * mult + add) % space
    out = []
    for _ in range(width):
        x, r = divmod(x, 36)
        out.append(_B36[r])
    return "".join(reversed(out))


def code62(n: int, width: int = 14) -> str:
    """A bijective lower/upper alphanumeric code (Luma style ids)."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    space = 62**width
    x = (n * (2**89 - 1) + 1442695040888963407) % space  # a prime multiplier: bijective
    out = []
    for _ in range(width):
        x, r = divmod(x, 62)
        out.append(alphabet[r])
    return "".join(reversed(out))


def uuid4(r: random.Random) -> str:
    return str(uuid.UUID(int=r.getrandbits(128), version=4))


def epoch_of(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())


def iso_ms(epoch: float) -> str:
    """2026-01-05T10:11:12.345Z (HubSpot, Discourse, Luma style)."""
    dt = datetime.fromtimestamp(epoch, tz=UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def slack_ts(epoch_s: int, micro: int) -> str:
    return f"{epoch_s}.{micro:06d}"


def poisson(r: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam < 30:
        limit = math.exp(-lam)
        k, p = 0, r.random()
        while p > limit:
            k += 1
            p *= r.random()
        return k
    return max(0, int(round(r.gauss(lam, math.sqrt(lam)))))


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class JsonlWriter:
    """Writes one JSON object per line and counts lines."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._f = open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        self.count = 0

    def write(self, obj: Any) -> None:
        self._f.write(dumps(obj))
        self._f.write("\n")
        self.count += 1

    def close(self) -> None:
        self._f.close()

    def __enter__(self) -> JsonlWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def day_date(start: date, d: int) -> date:
    return start + timedelta(days=d)
