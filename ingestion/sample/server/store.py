"""Loading sample JSONL files into compact, read-only structures.

Small and medium collections keep each line's JSON bytes (with `_` keys removed) next to
the parsed fields the routes need. Slack messages (millions of lines) stay in the file:
byte offsets plus numpy index arrays built by DuckDB, read with pread, so memory stays small.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ingestion.sample.server.wire import strip_private


@dataclass
class Row:
    """One served object: its wire bytes and its parsed form (for indexing)."""

    raw: bytes
    obj: dict[str, Any]


def read_rows(
    path: Path, keep: Callable[[dict[str, Any]], dict[str, Any]] | None = None
) -> list[Row]:
    """Every line of a JSONL file; `keep` trims the parsed object held in memory."""
    rows: list[Row] = []
    if not path.exists():
        return rows
    with path.open("rb") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            obj = json.loads(line)
            rows.append(Row(strip_private(line, obj), keep(obj) if keep else obj))
    return rows


def line_bounds(path: Path, chunk_size: int = 1 << 26) -> tuple[np.ndarray, np.ndarray]:
    """Start and end byte offsets of every non-blank line (end excludes the newline)."""
    parts, base = [], 0
    with path.open("rb", buffering=0) as fh:
        while chunk := fh.read(chunk_size):
            parts.append(np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10) + base)
            base += len(chunk)
    ends = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    if base and (not len(ends) or ends[-1] != base - 1):
        ends = np.append(ends, base)  # last line without a newline
    starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)
    keep = ends > starts
    return starts[keep], ends[keep].astype(np.int64)


def _message_keys(path: Path) -> dict[str, Any]:
    """Per line, in file order: channel index, ts µs, thread_ts µs (-1 if none), visible in
    history; plus the channel ids (`channels`, indexed by the channel index)."""
    import duckdb

    micros = (
        "(CAST(split_part({c}, '.', 1) AS BIGINT) * 1000000 + "
        "CAST(rpad(coalesce(nullif(split_part({c}, '.', 2), ''), '0'), 6, '0') AS BIGINT))"
    )
    con = duckdb.connect()
    try:
        con.execute("SET preserve_insertion_order = true")
        con.execute(
            "CREATE TABLE m AS SELECT * FROM read_json(?, format='newline_delimited', "
            "columns={'_channel': 'VARCHAR', 'ts': 'VARCHAR', 'thread_ts': 'VARCHAR', "
            "'subtype': 'VARCHAR'}, maximum_object_size=67108864)",
            [str(path)],
        )
        con.execute(
            "CREATE TABLE ch AS SELECT _channel AS id, row_number() OVER (ORDER BY _channel) - 1 "
            "AS idx FROM (SELECT DISTINCT _channel FROM m)"
        )
        cols = con.execute(
            f"""
            SELECT ch.idx AS chan, {micros.format(c="m.ts")} AS ts,
                   coalesce({micros.format(c="m.thread_ts")}, -1) AS thread,
                   (m.thread_ts IS NULL OR m.thread_ts = m.ts
                    OR coalesce(m.subtype, '') = 'thread_broadcast') AS visible
            FROM m JOIN ch ON m._channel = ch.id
            ORDER BY m.rowid
            """
        ).fetchnumpy()
        cols["channels"] = [r[0] for r in con.execute("SELECT id FROM ch ORDER BY idx").fetchall()]
        return cols
    finally:
        con.close()


def ts_to_micros(ts: str) -> int:
    """Slack `ts` ("1700000000.000100") as integer microseconds (exact, unlike float)."""
    whole, _, frac = ts.partition(".")
    return int(whole) * 1_000_000 + int((frac + "000000")[:6])


def micros_to_ts(micros: int) -> str:
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


class MessageStore:
    """Slack messages indexed for history (per channel, by ts) and replies (per thread).

    Rows are sorted by (channel, ts). Arrays (one entry per row): `offsets`, `lengths`
    into the file, `chan` (channel index), `ts`, `thread` (thread_ts in µs, -1 if
    none), `visible` (shown by conversations.history).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.channels: list[str] = []
        self.channel_index: dict[str, int] = {}
        empty = np.zeros(0, dtype=np.int64)
        self.offsets = self.lengths = self.chan = self.ts = self.thread = empty
        self.hist_rows = self.hist_chan = self.hist_ts = empty
        self.thread_rows = self.thread_key = empty
        self._fd: int | None = None
        if path.exists() and path.stat().st_size > 0:
            self._load()

    def _load(self) -> None:
        # Lines are read with pread, not mmap: if the file is truncated while served, a
        # read comes back short instead of the process dying of SIGBUS.
        self._fd = os.open(self.path, os.O_RDONLY)
        with ThreadPoolExecutor(max_workers=1) as pool:  # both halves release the GIL
            bounds = pool.submit(line_bounds, self.path)
            table = _message_keys(self.path)
            starts, ends = bounds.result()
        chan = np.asarray(table["chan"], dtype=np.int64)
        if len(chan) != len(starts):
            raise ValueError(f"{self.path}: {len(starts)} lines but {len(chan)} objects")
        channels = table["channels"]
        ts = np.asarray(table["ts"], dtype=np.int64)
        thread = np.asarray(table["thread"], dtype=np.int64)
        visible = np.asarray(table["visible"], dtype=bool)
        del table
        order = np.lexsort((ts, chan))  # defensive: the contract says sorted already
        self.channels = channels
        self.channel_index = {c: i for i, c in enumerate(channels)}
        self.offsets = starts[order]
        self.lengths = (ends - starts)[order]
        self.chan, self.ts, self.thread = chan[order], ts[order], thread[order]
        vis = visible[order]
        self.hist_rows = np.flatnonzero(vis)
        self.hist_chan = self.chan[self.hist_rows]
        self.hist_ts = self.ts[self.hist_rows]
        # Thread members (parent and replies), sorted by (channel, thread_ts, ts).
        in_thread = np.flatnonzero(self.thread >= 0)
        key = self._thread_keys(self.chan[in_thread], self.thread[in_thread])
        torder = np.lexsort((self.ts[in_thread], key))
        self.thread_rows = in_thread[torder]
        self.thread_key = key[torder]

    @staticmethod
    def _thread_keys(chan: np.ndarray, thread_ts: np.ndarray) -> np.ndarray:
        return chan.astype(np.int64) * (1 << 52) + thread_ts

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __del__(self) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self.offsets)

    def line(self, row: int) -> bytes:
        assert self._fd is not None
        raw = os.pread(self._fd, int(self.lengths[row]), int(self.offsets[row]))
        return strip_private(raw.strip())

    def history_range(self, channel: int) -> tuple[int, int]:
        """Positions [lo, hi) in the hist_* arrays for one channel (ascending ts)."""
        lo = int(np.searchsorted(self.hist_chan, channel, side="left"))
        hi = int(np.searchsorted(self.hist_chan, channel, side="right"))
        return lo, hi

    def find(self, channel: int, ts: int) -> int | None:
        """Row of the message with this exact ts in a channel."""
        lo = int(np.searchsorted(self.chan, channel, side="left"))
        hi = int(np.searchsorted(self.chan, channel, side="right"))
        pos = lo + int(np.searchsorted(self.ts[lo:hi], ts, side="left"))
        if pos < hi and self.ts[pos] == ts:
            return pos
        return None

    def thread_members(self, channel: int, thread_ts: int) -> np.ndarray:
        """Rows of a thread (parent first, then replies by ts)."""
        key = int(self._thread_keys(np.array([channel]), np.array([thread_ts]))[0])
        lo = int(np.searchsorted(self.thread_key, key, side="left"))
        hi = int(np.searchsorted(self.thread_key, key, side="right"))
        return self.thread_rows[lo:hi]
