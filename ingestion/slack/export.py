"""Slack export zip importer: the same `raw_slack` tables and columns as the API source.

    pipeline.run(slack_export_source("export.zip"))   # a pipeline with dataset raw_slack

An export holds `users.json`, `channels.json` (public channels; `groups.json` for private
ones when the export includes them) and one folder per channel name with `YYYY-MM-DD.json`
files of messages, thread replies included. Rows merge on the same keys as the API source,
so importing an export and then reading the API (or the other way round) does not duplicate.
An export is a snapshot: nothing is marked deleted.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import dlt
from dlt.extract.source import DltResource

from ingestion.common import DICT_FILE_FORMAT, TableBuilder, reject
from ingestion.slack import settings
from ingestion.slack.helpers import identified_or_rejected, shape_message

_DAY_FILE = re.compile(r"^(?P<folder>[^/]+)/(?P<day>\d{4}-\d{2}-\d{2})\.json$")
CHANNEL_FILES = ("channels.json", "groups.json")


def _read_json(archive: zipfile.ZipFile, name: str) -> Any:
    with archive.open(name) as fh:
        return json.load(fh)


def _reaction_hints() -> Any:
    return dlt.mark.make_hints(
        table_name="message_reactions",
        write_disposition="merge",
        primary_key=list(settings.REACTION_KEY),
    )


@dlt.source(name="slack", section="slack_export", max_table_nesting=1)
def slack_export_source(
    zip_path: str = dlt.config.value,
    batch_rows: int = settings.DEFAULT_BATCH_ROWS,
) -> Sequence[DltResource]:
    """The contents of one Slack export zip."""
    path = Path(zip_path)

    def channel_list(archive: zipfile.ZipFile) -> list[dict[str, Any]]:
        channels: list[dict[str, Any]] = []
        names = set(archive.namelist())
        for name in CHANNEL_FILES:
            if name in names:
                channels.extend(_read_json(archive, name))
        return channels

    @dlt.resource(
        name="users",
        primary_key="id",
        write_disposition="merge",
        columns=settings.USER_COLUMNS,
        file_format=DICT_FILE_FORMAT,
    )
    def users() -> Iterator[Any]:
        with zipfile.ZipFile(path) as archive:
            yield from identified_or_rejected(_read_json(archive, "users.json"), "users")

    @dlt.resource(
        name="channels",
        primary_key="id",
        write_disposition="merge",
        columns=settings.CHANNEL_COLUMNS,
        file_format=DICT_FILE_FORMAT,
    )
    def channels() -> Iterator[Any]:
        with zipfile.ZipFile(path) as archive:
            yield from identified_or_rejected(channel_list(archive), "channels")

    @dlt.resource(name="messages", primary_key=("channel_id", "ts"), write_disposition="merge")
    def messages() -> Iterator[Any]:
        builder = TableBuilder(settings.MESSAGE_SCHEMA)
        reactions = TableBuilder(settings.REACTION_SCHEMA, extra_column=None)

        def flush(force: bool) -> Iterator[Any]:
            if force or len(builder) >= batch_rows:
                if (table := builder.flush()) is not None:
                    yield table
            if force or len(reactions) >= batch_rows:
                if (table := reactions.flush()) is not None:
                    yield dlt.mark.with_hints(table, _reaction_hints(), create_table_variant=True)

        with zipfile.ZipFile(path) as archive:
            ids = {c.get("name"): c.get("id") for c in channel_list(archive) if isinstance(c, dict)}
            for name in sorted(archive.namelist()):
                match = _DAY_FILE.match(name)
                if not match:
                    continue
                channel_id = ids.get(match["folder"])
                if channel_id is None:
                    yield reject("slack", "messages", {"file": name}, "folder of unknown channel")
                    continue
                seen: set[str] = set()
                for msg in _read_json(archive, name):
                    ts = msg.get("ts") if isinstance(msg, dict) else None
                    if ts in seen:
                        continue
                    try:
                        shaped = shape_message(msg, channel_id)
                    except (ValueError, TypeError, AttributeError) as exc:
                        yield reject("slack", "messages", msg, str(exc), f"{channel_id}/{ts}")
                        continue
                    seen.add(ts)
                    builder.append(shaped.row)
                    for row in shaped.reactions:
                        reactions.append(row)
                yield from flush(force=False)
        yield from flush(force=True)

    return users, channels, messages
