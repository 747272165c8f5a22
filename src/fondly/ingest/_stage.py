"""Staging: parsed chats streamed into temporary tables in Arrow batches.

Memory stays flat whatever the file size: messages are buffered column-wise and
appended in batches, held as Arrow up to ``_HOLD_BYTES`` (the merge reads them in
place) and spilled to a temp table beyond that. Each conversation's row, members and
handles are written as it is staged (``fondly.ingest._identity``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

import pyarrow as pa

from fondly.ingest._identity import mark_me_handle, upsert_handle
from fondly.model import ParsedConversation, ParsedHandle
from fondly.store import Store

BATCH_ROWS = 65_536
# How much staged Arrow data ingest holds in memory before using the temp table.
_HOLD_BYTES = int(os.environ.get("FONDLY_IMPORT_HOLD_MB", "160")) * 1_000_000

_STAGE_SCHEMA = pa.schema(
    [
        ("conv", pa.int32()),
        ("seq", pa.int64()),
        ("sender", pa.string()),
        ("sender_name", pa.string()),
        ("ts_ms", pa.int64()),
        ("ts_local", pa.timestamp("us")),
        ("kind", pa.string()),
        ("media_type", pa.string()),
        ("text", pa.string()),
        ("edited", pa.bool_()),
        ("reply_to", pa.string()),
        ("source_id", pa.string()),
    ]
)

_STAGE_DDL = """
CREATE TEMP TABLE IF NOT EXISTS stage_messages (
    conv INTEGER, seq BIGINT, sender TEXT, sender_name TEXT, ts_ms BIGINT,
    ts_local TIMESTAMP, kind TEXT, media_type TEXT, text TEXT, edited BOOLEAN,
    reply_to TEXT, source_id TEXT
);
CREATE TEMP TABLE IF NOT EXISTS stage_reactions (
    conv INTEGER, seq BIGINT, sender TEXT, reaction TEXT
);
CREATE TEMP TABLE IF NOT EXISTS stage_convs (
    conv INTEGER, conversation_id INTEGER, platform TEXT, conv_key TEXT
);
"""
Progress = Callable[[int], None]


def _reset_stage(store: Store) -> None:
    store.con.execute(_STAGE_DDL)
    for table in ("stage_messages", "stage_reactions", "stage_convs"):
        store.execute(f"DELETE FROM {table}")


class _StageWriter:
    """Buffers parsed messages column-wise and appends them to the staging table."""

    def __init__(self, store: Store, progress: Progress | None) -> None:
        self.store = store
        self.progress = progress
        self.total = 0
        self._cols: list[list[object]] = [[] for _ in _STAGE_SCHEMA]
        self._reactions: list[tuple[int, int, str, str]] = []
        self._handles: dict[tuple[int, str], ParsedHandle] = {}
        # Staged batches are held as Arrow until they pass _HOLD_BYTES: the merge
        # then reads them in place, twice as fast as from a DuckDB temp table
        # (which spills under the import's memory limit). A bigger export goes
        # to the temp table, so memory stays bounded whatever the file size.
        self._held: list[pa.Table] | None = []
        self._held_bytes = 0

    def _stage(self, table: pa.Table) -> None:
        if self._held is not None:
            self._held.append(table)
            self._held_bytes += table.nbytes
            if self._held_bytes <= _HOLD_BYTES:
                return
            held, self._held = self._held, None
            for t in held:
                self._insert(t)
            return
        self._insert(table)

    def _insert(self, table: pa.Table) -> None:
        self.store.register("_stage_batch", table)
        self.store.execute("INSERT INTO stage_messages SELECT * FROM _stage_batch")
        self.store.unregister("_stage_batch")

    def source(self) -> str:
        """The relation the merge reads: the held Arrow batches, or the temp table."""
        if self._held is None:
            return "stage_messages"
        held = self._held or [_STAGE_SCHEMA.empty_table()]
        self.store.register("stage_held", pa.concat_tables(held))
        return "stage_held"

    def release(self) -> None:
        if self._held is not None:
            self.store.unregister("stage_held")
            self._held = []
            self._held_bytes = 0

    def conversation(self, conv_index: int, conv: ParsedConversation) -> None:
        batches = getattr(conv.messages, "arrow_batches", None)
        if batches is not None:
            self._register_conversation(conv_index, conv, self._columnar(conv_index, batches()))
            return
        senders: dict[str, str | None] = {}
        (
            c_conv,
            c_seq,
            c_sender,
            c_name,
            c_ms,
            c_local,
            c_kind,
            c_media,
            c_text,
            c_edited,
            c_reply,
            c_src,
        ) = self._cols
        seq = 0
        for m in conv.messages:
            c_conv.append(conv_index)
            c_seq.append(seq)
            c_sender.append(m.sender)
            c_name.append(m.sender_name)
            c_ms.append(m.ts_ms)
            c_local.append(m.ts_local)
            c_kind.append(str(m.kind))
            c_media.append(m.media_type)
            c_text.append(m.text)
            c_edited.append(m.edited)
            c_reply.append(m.reply_to)
            c_src.append(m.source_id)
            if m.sender is not None and m.sender not in senders:
                senders[m.sender] = m.sender_name
            if m.reactions:
                self._reactions.extend((conv_index, seq, h, r) for h, r in m.reactions)
            seq += 1  # noqa: SIM113 - a generator of unknown length, counted as it streams
            if len(c_seq) >= BATCH_ROWS:
                self.flush()  # empties the same lists in place, so the bindings stay valid
        self._register_conversation(conv_index, conv, senders)

    def _columnar(
        self, conv_index: int, batches: Iterable[pa.RecordBatch]
    ) -> dict[str, str | None]:
        """Stage an importer's ready-made Arrow batches; return the senders seen.

        A fast path for large exports: an importer's ``messages`` may offer
        ``arrow_batches()`` yielding batches with the staging columns after
        ``conv`` and ``seq``, so no Python object per message is made here.
        """
        import pyarrow.compute as pc

        self.flush()
        senders: dict[str, str | None] = {}
        seq = 0
        for batch in batches:
            n = batch.num_rows
            if not n:
                continue
            table = pa.Table.from_batches([batch])
            table = table.add_column(0, "seq", pa.array(range(seq, seq + n), pa.int64()))
            table = table.add_column(0, "conv", pa.array([conv_index] * n, pa.int32()))
            self._stage(table.cast(_STAGE_SCHEMA))
            for sender in pc.unique(table.column("sender")).to_pylist():
                if sender is not None:
                    senders.setdefault(sender, None)
            seq += n
            self.total += n
            if self.progress is not None:
                self.progress(n)
        return senders

    def _register_conversation(
        self, conv_index: int, conv: ParsedConversation, senders: dict[str, str | None]
    ) -> None:
        store = self.store
        handles = {h.handle: h for h in conv.participants}
        for handle, name in senders.items():
            handles.setdefault(handle, ParsedHandle(handle, name))
        is_group = conv.is_group if conv.is_group is not None else len(handles) > 2
        row = store.query(
            "SELECT conversation_id FROM conversations WHERE platform = ? AND conv_key = ?",
            [conv.platform, conv.key],
        )
        if row:
            conversation_id = row[0][0]
            if is_group:
                store.execute(
                    "UPDATE conversations SET is_group = TRUE WHERE conversation_id = ?",
                    [conversation_id],
                )
        else:
            conversation_id = store.query("SELECT nextval('conversation_ids')")[0][0]
            store.execute(
                "INSERT INTO conversations VALUES (?, ?, ?, ?, ?, NULL)",
                [conversation_id, conv.platform, conv.key, conv.title, is_group],
            )
        store.execute(
            "INSERT INTO stage_convs VALUES (?, ?, ?, ?)",
            [conv_index, conversation_id, conv.platform, conv.key],
        )
        for parsed in handles.values():
            handle_id = upsert_handle(store, conv.platform, parsed)
            if parsed.is_me or (conv.me_handle is not None and parsed.handle == conv.me_handle):
                mark_me_handle(store, handle_id)
            store.execute(
                "INSERT INTO conversation_members VALUES (?, ?) ON CONFLICT DO NOTHING",
                [conversation_id, handle_id],
            )

    def flush(self) -> None:
        n = len(self._cols[0])
        if n:
            batch = pa.Table.from_arrays(
                [
                    pa.array(col, type=f.type)
                    for col, f in zip(self._cols, _STAGE_SCHEMA, strict=True)
                ],
                schema=_STAGE_SCHEMA,
            )
            self._stage(batch)
            self.total += n
            if self.progress is not None:
                self.progress(n)
            for col in self._cols:
                col.clear()  # pa.array copied the values; clearing keeps callers' bindings
        if self._reactions:
            table = pa.table(
                list(zip(*self._reactions, strict=True)),
                names=["conv", "seq", "sender", "reaction"],
            )
            self.store.register("_stage_react", table)
            self.store.execute("INSERT INTO stage_reactions SELECT * FROM _stage_react")
            self.store.unregister("_stage_react")
            self._reactions = []
