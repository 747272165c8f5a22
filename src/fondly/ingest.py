"""The small step between importers and the store: write parsed chats atomically.

One ``fondly import`` is one transaction. Parsed messages stream into a staging
table in Arrow batches (memory stays flat whatever the file size); stable ids,
the UTC instant, the wall clock and the zone offset are then computed in SQL
in one pass, and only messages whose id the store lacks are inserted. So the
same file twice adds nothing, and a newer export of a chat adds only what is new.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from fondly._errors import FondlyError, ParseError
from fondly.importers import ImportOptions, Tree, Unit, detect
from fondly.importers._utf8 import scan_entries
from fondly.model import ParsedConversation, ParsedHandle, ParsedMessage
from fondly.people import matching_handles, people_names
from fondly.store import Store

BATCH_ROWS = 65_536
# DuckDB's memory limit while importing into a file store (see import_paths).
_IMPORT_MEMORY = os.environ.get("FONDLY_IMPORT_MEMORY", "100MB")
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


@dataclass
class ImportResult:
    """What one unit of an import did, for the CLI to report.

    ``error`` is the one-line reason a unit was not imported (its transaction
    rolled back); ``skipped`` why a file was not read at all (not an export
    fondly knows). ``notes`` say how the file was read (a date order and why);
    ``unread`` lists ``FILE:LINE`` of lines that looked like messages but could
    not be read as one, so their text stayed in the message before them.
    ``not_utf8`` lists ``FILE:LINE`` of lines holding bytes that are not UTF-8 (read
    with U+FFFD in their place; ``not_utf8_count`` counts them all).
    """

    source: str
    format: str
    conversations: int = 0
    seen: int = 0
    added: int = 0
    already_imported: bool = False
    titles: list[str] = field(default_factory=list)
    error: str | None = None
    skipped: str | None = None
    notes: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    not_utf8: list[str] = field(default_factory=list)
    not_utf8_count: int = 0
    import_id: int | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


@dataclass
class ImportSummary:
    results: list[ImportResult]
    me: str | None
    timezone: str
    tz_assumed: bool
    me_candidates: list[str] = field(default_factory=list)
    # People who are probably the user under another handle: (person id, name, why).
    me_hints: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(r.added for r in self.results)

    @property
    def failed(self) -> list[ImportResult]:
        return [r for r in self.results if r.failed]


def plan(paths: Iterable[Path], *, only: str | None = None) -> list[tuple[Tree, list[Unit]]]:
    """Detect the format of every path before anything is written."""
    planned = []
    for p in paths:
        try:
            tree = Tree(Path(p))
            planned.append((tree, detect(tree, only=only)))
        except FondlyError:
            raise
        except Exception as exc:  # an unreadable file, a loop of links, a broken zip
            raise unreadable(str(p), exc) from exc
    return planned


def import_paths(
    store: Store,
    paths: Iterable[Path],
    options: ImportOptions,
    *,
    progress: Progress | None = None,
    only: str | None = None,
    tz_assumed: bool = False,
    keep_going: bool = False,
    replace: bool = False,
    debug: bool = False,
    reading: Progress | None = None,
) -> ImportSummary:
    """Import every path; by default in one transaction, so any error changes nothing.

    With ``keep_going`` (what ``fondly import`` does) every unit (a file, a
    thread) is its own transaction: a bad file is rolled back and reported in
    its result's ``error``, files no importer knows get ``skipped``, and the
    rest is imported. With ``replace`` a file imported before is first
    forgotten (with everything derived from it) and read again, so new
    options such as ``--tz`` or ``--date-order`` take effect. ``progress`` is
    called with messages read; ``reading`` with bytes of the files parsed (and,
    through an ``expect`` method when it has one, each file's size first).
    """
    limit = _IMPORT_MEMORY if store.path != ":memory:" else None
    if limit:
        # DuckDB would otherwise keep the staged copy of a big export in RAM
        # (~1 GB for 1M messages); with a limit it spills to <store>.tmp (~420 MB peak).
        store.execute(f"SET memory_limit = '{limit}'")
    try:
        if keep_going:
            from fondly.ingest_each import import_each

            results = import_each(
                store, paths, options, progress, only, replace, debug, reading=reading
            )
            with store.transaction():
                me = resolve_me(store, options.me)
        else:
            planned = plan(paths, only=only)
            results = []
            try:
                with store.transaction():
                    for tree, units in planned:
                        for unit in units:
                            results.append(
                                _import_unit(store, tree, unit, options, progress, replace, reading)
                            )
                    me = resolve_me(store, options.me)
            finally:
                for tree, _ in planned:
                    tree.close()
    finally:
        if limit:
            store.execute("RESET memory_limit")
    candidates = [] if me else people_names(store)
    hints = []
    if me and any(r.added for r in results):
        from fondly.people import me_hints

        hints = [(h.person_id, h.name, f"on {h.platform}, {h.reason}") for h in me_hints(store)]
    return ImportSummary(results, me, options.tz, tz_assumed, candidates, hints)


def _unit_label(tree: Tree, unit: Unit) -> str:
    return tree.display(unit.entries[0]) if len(unit.entries) == 1 else f"{tree.path}:{unit.label}"


def _import_unit(
    store: Store,
    tree: Tree,
    unit: Unit,
    options: ImportOptions,
    progress: Progress | None,
    replace: bool = False,
    reading: Progress | None = None,
) -> ImportResult:
    sha = _selection_hash(tree.sha256(unit.entries), options.chats)
    label = _unit_label(tree, unit)
    result = ImportResult(source=label, format=unit.importer.name)
    known = store.query("SELECT import_id FROM imports WHERE file_sha256 = ?", [sha])
    if known and replace:
        from fondly.forget import forget_imports

        forget_imports(store, [row[0] for row in known])
        result.notes.append("the earlier import of this file was replaced")
    elif known:
        result.already_imported = True
        return result
    import_id = store.query("SELECT nextval('import_ids')")[0][0]
    result.import_id = import_id
    _reset_stage(store)
    writer = _StageWriter(store, progress)
    counted = None
    if reading is not None:  # the bar's total: the unit's bytes, counted as parsed
        from fondly.ingest_reading import CountedTree

        counted = CountedTree(tree, unit.entries, reading)
        expect = getattr(reading, "expect", None)
        if expect is not None:
            expect(counted.total)
    parsed = counted or tree
    try:
        for conv_index, conv in enumerate(unit.importer.parse(parsed, unit, options)):
            writer.conversation(conv_index, conv)
            result.conversations += 1
            result.titles.append(conv.title)
            result.notes.extend(n for n in conv.notes if n not in result.notes)
            where = conv.source or label
            result.unread.extend(f"{where}:{n}" if n else where for n in conv.unread_lines)
        # Bad bytes were read as U+FFFD (one byte should not cost a whole export): say where.
        for name, found in scan_entries(tree, unit.entries):
            result.not_utf8.extend(f"{tree.display(name)}:{n}" for n in found.lines)
            result.not_utf8_count += found.count
        writer.flush()
        if counted is not None:
            counted.finish()
        result.seen = writer.total
        try:
            result.added = _merge_stage(store, import_id, options.tz, writer.source())
        finally:
            writer.release()
    except FondlyError:
        raise
    except Exception as exc:  # hostile input must end in one line, never a traceback
        raise unreadable(label, exc) from exc
    store.execute(
        "INSERT INTO imports VALUES (?, ?, ?, ?, now()::TIMESTAMP, ?, ?, ?, ?)",
        [
            import_id,
            label,
            sha,
            unit.importer.name,
            options.tz,
            result.conversations,
            result.seen,
            result.added,
        ],
    )
    return result


def unreadable(label: str, exc: BaseException) -> ParseError:
    """The one-line error for input that broke a parser in a way it did not foresee.

    Only the kind of failure is named: an exception's own message may quote the input.
    """
    name = type(exc).__name__
    if isinstance(exc, RecursionError):
        reason = "nested too deeply to be a chat export"
    elif isinstance(exc, MemoryError) or "OutOfMemory" in name:
        reason = "too large to import within fondly's memory limit"
    elif isinstance(exc, UnicodeError):
        reason = "not valid text"
    elif isinstance(exc, OSError):
        reason = f"cannot be read ({name})"
    else:
        reason = f"cannot be imported: not what its format promises ({name})"
    return ParseError(label, None, reason)


def _selection_hash(sha: str, chats: list[str]) -> str:
    """The file hash, mixed with the chat selection when there is one.

    A full-account export imported with ``--chat A`` and later with
    ``--chat B`` is the same file but not the same import; without the
    selection in the hash the second run would be skipped as already done.
    Names are case-folded because the importers match them so; no selection
    keeps the plain file hash, so stores made before this still recognise files.
    """
    if not chats:
        return sha
    names = "\x1f".join(sorted({c.casefold() for c in chats}))
    return hashlib.sha256(f"{sha}\x1e{names}".encode()).hexdigest()


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


def upsert_handle(store: Store, platform: str, handle: ParsedHandle) -> int:
    """The handle's id, creating it (and a person for it) when first seen."""
    row = store.query(
        "SELECT handle_id FROM handles WHERE platform = ? AND handle = ?", [platform, handle.handle]
    )
    if row:
        handle_id: int = row[0][0]
        store.execute(
            "UPDATE handles SET phone = coalesce(phone, ?), email = coalesce(email, ?) "
            "WHERE handle_id = ?",
            [handle.phone, handle.email, handle_id],
        )
        return handle_id
    person_id = store.query("SELECT nextval('person_ids')")[0][0]
    store.execute(
        "INSERT INTO people VALUES (?, ?, FALSE)", [person_id, handle.display_name or handle.handle]
    )
    handle_id = store.query("SELECT nextval('handle_ids')")[0][0]
    store.execute(
        "INSERT INTO handles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            handle_id,
            platform,
            handle.handle,
            handle.display_name,
            handle.phone,
            handle.email,
            person_id,
            person_id,
        ],
    )
    return handle_id


def mark_me_handle(store: Store, handle_id: int) -> None:
    """Make a handle belong to the user: joined to the existing 'me' person if there is one."""
    me = store.query("SELECT person_id FROM people WHERE is_me")
    person_id = store.query("SELECT person_id FROM handles WHERE handle_id = ?", [handle_id])[0][0]
    if me and me[0][0] != person_id:
        store.execute("UPDATE handles SET person_id = ? WHERE handle_id = ?", [me[0][0], handle_id])
        # As `people merge` does: a person left with no handle goes (`people
        # split` makes it again from the handle's origin), so `fondly people`
        # and `forget` never meet an empty one.
        store.execute(
            "DELETE FROM people p WHERE person_id = ? AND NOT EXISTS "
            "(SELECT 1 FROM handles h WHERE h.person_id = p.person_id)",
            [person_id],
        )
    elif not me:
        store.execute("UPDATE people SET is_me = TRUE WHERE person_id = ?", [person_id])


# The staged rows with their instant and wall clock, one SELECT shared by the
# statements below (``$1``, the zone, is bound by each). Cheap to recompute, so it is
# never materialised: a million-row temp table costs more than a second scan.
_TIMED = """
    SELECT st.conv, st.seq, st.sender, st.kind, st.media_type, st.text, st.edited,
           st.reply_to, st.source_id, c.conversation_id, c.platform, c.conv_key,
           coalesce(st.ts_ms, epoch_ms(timezone($1, st.ts_local))) AS utc_ms,
           coalesce(st.ts_local, timezone($1, make_timestamptz(st.ts_ms * 1000))) AS local_ts,
           h.handle_id
    FROM {stage} st JOIN stage_convs c USING (conv)
    LEFT JOIN handles h ON h.platform = c.platform AND h.handle = st.sender
"""
_TWIN_HASH = "hash(conv, sender, local_ts, kind, text)"

# The ``occurrence`` that tells identical bubbles apart is a window over
# (sender, time, kind, text). Only rows whose hash has a twin need it, so it is
# computed for those alone, into a small table; every other row is occurrence 1.
_OCCURRENCES = f"""
    CREATE OR REPLACE TEMP TABLE stage_occurrences AS
    WITH h AS (SELECT *, {_TWIN_HASH} AS twin_hash FROM ({_TIMED}))
    SELECT conv, seq,
           row_number() OVER (
               PARTITION BY conv, sender, local_ts, kind, text ORDER BY seq
           ) AS occurrence
    FROM h
    WHERE twin_hash IN (SELECT twin_hash FROM h GROUP BY twin_hash HAVING count(*) > 1)
"""


def _ready_sql(*, reacted_only: bool = False) -> str:
    """The staged rows with their message ids, as one SELECT over ``_TIMED``.

    The id hashes the wall clock as integer microseconds, which is cheaper
    than formatting it and just as stable.
    """
    keep = (
        "WHERE (t.conv, t.seq) IN (SELECT conv, seq FROM stage_reactions)" if reacted_only else ""
    )
    occurred = f"""
        SELECT t.*, coalesce(o.occurrence, 1) AS occurrence FROM ({_TIMED}) t
        LEFT JOIN stage_occurrences o ON o.conv = t.conv AND o.seq = t.seq
        {keep}
    """
    return f"""
        SELECT
            CASE WHEN source_id IS NOT NULL
                 THEN md5(concat_ws(chr(31), platform, conv_key, 'id', source_id))
                 ELSE md5(concat_ws(chr(31), platform, conv_key, coalesce(sender, ''),
                                    epoch_us(local_ts)::TEXT, kind,
                                    coalesce(text, ''), occurrence::TEXT))
            END AS message_id,
            conversation_id, platform, conv, seq, sender, handle_id, utc_ms AS ts_ms,
            local_ts AS ts_local,
            ((epoch_ms(local_ts) - utc_ms) // 60000)::SMALLINT AS tz_offset_min,
            kind, media_type, text, coalesce(edited, FALSE) AS edited,
            CASE WHEN reply_to IS NOT NULL
                 THEN md5(concat_ws(chr(31), platform, conv_key, 'id', reply_to)) END AS reply_to,
            source_id
        FROM ({occurred}) k
    """


def _merge_stage(store: Store, import_id: int, tz: str, stage: str = "stage_messages") -> int:
    """Give staged messages ids and instants, insert the new ones, return how many.

    ``stage`` is the relation holding the staged messages (see
    ``_StageWriter.source``). Written for a million staged rows: one
    INSERT ... SELECT straight from the staged rows (no intermediate tables,
    which cost time and memory). The twin window only runs over rows whose
    hash shows a twin, and the final "first row per message id" only when two
    rows can share an id at all (a repeated platform id, or one chat staged
    twice). Both give the same ids
    and rows as computing them everywhere.
    """

    def on_stage(sql: str) -> str:
        return sql.replace("{stage}", stage)

    before = store.query("SELECT count(*) FROM messages")[0][0]
    store.execute(on_stage(_OCCURRENCES), [tz])
    shared_ids = store.query(
        on_stage("""
        SELECT EXISTS (SELECT 1 FROM stage_convs GROUP BY platform, conv_key HAVING count(*) > 1)
            OR EXISTS (SELECT 1 FROM {stage} WHERE source_id IS NOT NULL
                       GROUP BY conv, source_id HAVING count(*) > 1)
        """)
    )[0][0]
    first_per_id = (
        "QUALIFY row_number() OVER (PARTITION BY r.message_id ORDER BY r.seq) = 1"
        if shared_ids
        else ""
    )
    store.execute(
        on_stage(f"""
        INSERT INTO messages
        SELECT r.message_id, r.conversation_id, r.handle_id, r.ts_ms, r.ts_local,
               r.tz_offset_min, r.seq, r.kind, r.media_type, r.text, r.edited, r.reply_to,
               r.source_id, $2
        FROM ({_ready_sql()}) r
        WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.message_id = r.message_id)
        {first_per_id}
        """),
        [tz, import_id],
    )
    if store.query("SELECT count(*) FROM stage_reactions")[0][0]:
        store.execute(
            on_stage(f"""
            INSERT INTO reactions
            SELECT DISTINCT r.message_id, h.handle_id, sr.reaction, $2
            FROM stage_reactions sr
            JOIN ({_ready_sql(reacted_only=True)}) r
              ON r.conv = sr.conv AND r.seq = sr.seq
            JOIN handles h ON h.platform = r.platform AND h.handle = sr.sender
            WHERE NOT EXISTS (
                SELECT 1 FROM reactions x
                WHERE x.message_id = r.message_id AND x.handle_id = h.handle_id
                  AND x.reaction = sr.reaction
            )
            """),
            [tz, import_id],
        )
    store.execute("DROP TABLE stage_occurrences")
    after: int = store.query("SELECT count(*) FROM messages")[0][0]
    return after - before


def resolve_me(store: Store, me_name: str | None) -> str | None:
    """Decide which person is the user, storing it; return their name or ``None``.

    In order: an explicit ``--me`` name; a person already marked; the one person
    present in every conversation when there are at least two.
    """
    if me_name:
        set_me(store, me_name)
    row = store.query("SELECT name FROM people WHERE is_me")
    if row:
        return str(row[0][0])
    n_convs = store.query("SELECT count(*) FROM conversations")[0][0]
    if n_convs >= 2:
        rows = store.query(
            """
            SELECT h.person_id FROM conversation_members cm JOIN handles h USING (handle_id)
            GROUP BY h.person_id HAVING count(DISTINCT cm.conversation_id) = ?
            """,
            [n_convs],
        )
        if len(rows) == 1:
            store.execute("UPDATE people SET is_me = TRUE WHERE person_id = ?", [rows[0][0]])
            return str(store.query("SELECT name FROM people WHERE is_me")[0][0])
    return None


def set_me(store: Store, name: str) -> str:
    """Mark the person (or handle) called ``name`` as the user, joining every match into one."""
    from fondly._errors import UsageError

    rows = matching_handles(store, name)
    if not rows:
        known = ", ".join(
            r[0] for r in store.query("SELECT name FROM people ORDER BY name LIMIT 12")
        )
        raise UsageError(f"no person called {name!r} in the store (known: {known})")
    with store.transaction():
        store.execute("UPDATE people SET is_me = FALSE")
        for handle_id in rows:
            mark_me_handle(store, handle_id)
    return name


def local_zone_name() -> str:
    """The system's IANA zone name, falling back to UTC where it cannot be told."""
    import os

    tz = os.environ.get("TZ")
    if tz and "/" in tz:
        return tz.lstrip(":")
    try:
        link = Path("/etc/localtime").resolve()
        parts = link.parts
        if "zoneinfo" in parts:
            return "/".join(parts[parts.index("zoneinfo") + 1 :])
    except OSError:
        pass
    name = dt.datetime.now().astimezone().tzname()
    return name if name and "/" in name else "UTC"


__all__ = [
    "ImportResult",
    "ImportSummary",
    "ParsedMessage",
    "import_paths",
    "local_zone_name",
    "plan",
    "resolve_me",
    "set_me",
]
