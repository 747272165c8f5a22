"""The library: one object with the user's verbs, running the pipeline in its one right order.

A store changes only through :meth:`Fondly.import_`, :meth:`Fondly.forget`,
:meth:`Fondly.set_me` and :meth:`Fondly.merge`; each of them finishes by bringing
the derived layers up to date in the order the data flows (ingest -> message
features -> units kept for reports), so that :meth:`Fondly.report` (metrics ->
insights) always reads a consistent store. The web app (:mod:`fondly.app`) calls
nothing else, and the CLI is meant to end up the same way.

Results are small typed dataclasses whose ``to_dict()`` is the JSON the CLI prints
(docs/metrics.md, docs/cli.md); tables for research come as Arrow, which pandas
(``table.to_pandas()``) and polars (``polars.from_arrow(table)``) read without copying.

The store file is opened for each call and closed after it: DuckDB lets one process
write a file at a time, and a long-lived app should not hold it while idle.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fondly._errors import UsageError
from fondly.forget import Forgotten

if TYPE_CHECKING:
    import pyarrow as pa

    from fondly.people import MergeSuggestion
    from fondly.store import Store

Progress = Callable[[int], None]


@dataclass(frozen=True)
class FileImported:
    """What importing one file (or one thread of a multi-chat export) did."""

    source: str
    format: str
    chats: int
    seen: int
    added: int
    already_imported: bool
    titles: list[str]
    error: str | None
    skipped: str | None
    notes: list[str]
    unread: list[str]
    import_id: int | None
    not_utf8: list[str] = field(default_factory=list)
    """``FILE:LINE`` of lines with bytes that are not UTF-8 (imported with U+FFFD)."""
    not_utf8_count: int = 0

    @property
    def status(self) -> str:
        """One word for the summary: failed, skipped, already imported or imported."""
        if self.error is not None:
            return "failed"
        if self.skipped is not None:
            return "skipped"
        return "already imported" if self.already_imported else "imported"

    def to_dict(self) -> dict[str, Any]:
        """The shape of one item of ``fondly import --json``'s ``imports``."""
        out = asdict(self)
        # The order fondly import --json has always printed: conversations third.
        return {k: out["chats"] if k == "conversations" else out[k] for k in _FILE_KEYS}


_FILE_KEYS = (
    "source", "format", "conversations", "seen", "added", "already_imported", "titles",
    "error", "skipped", "notes", "unread", "import_id",
)  # fmt: skip


@dataclass(frozen=True)
class ImportReport:
    """What an import did: one entry per file, who "me" is, and the features computed."""

    files: list[FileImported]
    me: str | None
    me_candidates: list[str]
    probably_me: list[dict[str, Any]]
    timezone: str
    features_computed: int
    tz_assumed: bool = False

    @property
    def added(self) -> int:
        return sum(f.added for f in self.files)

    @property
    def failed(self) -> list[FileImported]:
        return [f for f in self.files if f.error is not None]

    def to_dict(self) -> dict[str, Any]:
        """The JSON ``fondly import --json`` prints."""
        return {
            "imports": [f.to_dict() for f in self.files],
            "me": self.me,
            "me_candidates": list(self.me_candidates),
            "probably_me": [dict(p) for p in self.probably_me],
            "timezone": self.timezone,
            "features_computed": self.features_computed,
        }


@dataclass(frozen=True)
class Chat:
    """One imported chat (``fondly chats --json``)."""

    id: int
    platform: str
    title: str
    is_group: bool
    messages: int
    first: str | None
    last: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Person:
    """One person across every app (``fondly people --json``)."""

    person_id: int
    name: str
    is_me: bool
    platforms: str
    handles: str
    messages: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Import:
    """One imported file (``fondly forget`` without arguments lists them)."""

    import_id: int
    file_path: str
    format: str
    imported_at: str
    messages_added: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Message:
    """One message as the search and the conversation view show it."""

    message_id: str
    conversation_id: int
    chat: str
    sender: str | None
    is_me: bool
    ts_local: str | None
    kind: str
    text: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Report:
    """Metrics and insights for the user's relationships (``fondly report --json``).

    ``metrics`` is the ``fondly.metrics/1`` result, ``insights`` what the reports draw:
    the overview and, per relationship, scorecard, missing index and suggestions.
    """

    metrics: dict[str, Any]
    insights: dict[str, Any]

    @property
    def relationships(self) -> list[dict[str, Any]]:
        """The insights of each relationship, in the metrics' order."""
        return list(self.insights.get("relationships") or [])

    def relationship(self, person_id: int) -> dict[str, Any] | None:
        """The insights of the relationship with one person, if the report has it."""
        return next((r for r in self.relationships if r.get("person_id") == person_id), None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON ``fondly report --json`` prints: the metrics plus ``insights``."""
        return self.metrics | {"insights": self.insights}

    def metrics_frame(self) -> pa.Table:
        """Every metric value as one long Arrow table, a row per person, metric and side.

        Columns: person_id, person, metric_id, practice, side ('me', 'them' or
        'pair'), value, n, lo, hi, enough_data. ``.to_pandas()`` or
        ``polars.from_arrow(...)`` give a DataFrame.
        """
        import pyarrow as pa

        rows: list[dict[str, Any]] = []
        for rel in self.metrics.get("relationships") or []:
            person = rel.get("person") or {}
            for metric_id, metric in sorted((rel.get("metrics") or {}).items()):
                for side in ("me", "them", "pair"):
                    cell = metric.get(side)
                    if not cell:
                        continue
                    interval = cell.get("interval") or [None, None]
                    rows.append(
                        {
                            "person_id": person.get("person_id"),
                            "person": person.get("name"),
                            "metric_id": metric.get("id") or metric_id,
                            "practice": metric.get("practice"),
                            "side": side,
                            "value": _number(cell.get("value")),
                            "n": cell.get("n"),
                            "lo": _number(interval[0]),
                            "hi": _number(interval[1]),
                            "enough_data": bool(cell.get("enough_data")),
                        }
                    )
        schema = pa.schema(
            [
                ("person_id", pa.int64()),
                ("person", pa.string()),
                ("metric_id", pa.string()),
                ("practice", pa.string()),
                ("side", pa.string()),
                ("value", pa.float64()),
                ("n", pa.int64()),
                ("lo", pa.float64()),
                ("hi", pa.float64()),
                ("enough_data", pa.bool_()),
            ]
        )
        return pa.Table.from_pylist(rows, schema=schema)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


class Fondly:
    """A fondly store and everything one can do with it.

    Args:
        path: the store file; None means the default one (``FONDLY_DB`` or the user
            data folder), ``":memory:"`` a store that lives as long as this object.
        gap_minutes: the silence that separates two conversations in reports.
        key: the key of an encrypted store (``fondly import --encrypt``).

    Example:
        >>> f = Fondly("chats.duckdb")                          # doctest: +SKIP
        >>> f.import_(["WhatsApp Chat with Sam.txt"], me="Alex")  # doctest: +SKIP
        >>> f.report("Sam").relationships[0]["suggestions"]     # doctest: +SKIP
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        gap_minutes: int | None = None,
        key: str | None = None,
    ) -> None:
        from fondly._defaults import DEFAULT_GAP_MINUTES
        from fondly.store import default_db_path

        self.path = str(path) if path is not None else str(default_db_path())
        self.gap_minutes = gap_minutes or DEFAULT_GAP_MINUTES
        self._key = key
        self._lock = threading.RLock()
        self._memory: Store | None = None

    def __repr__(self) -> str:
        return f"Fondly({self.path!r})"

    # -- the store ------------------------------------------------------------------

    @contextmanager
    def _store(self, *, write: bool = False) -> Iterator[Store]:
        """The store for one call; one call at a time (DuckDB connections are not shared)."""
        from fondly.store import Store

        with self._lock:
            if self.path == ":memory:":
                if self._memory is None:
                    self._memory = Store(":memory:")
                yield self._memory
                return
            if not write and not Path(self.path).exists():
                raise UsageError(f"no fondly store at {self.path} yet: import a chat first")
            if write:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            with Store(self.path, read_only=not write, key=self._key) as store:
                yield store

    def _refresh(
        self,
        store: Store,
        *,
        features: bool = True,
        embedder: Any = None,
        force: bool = False,
        progress: Progress | None = None,
        preparing: Progress | None = None,
    ) -> int:
        """After a change: message features, then the units reports start from.

        ``progress`` is called with the number of messages whose features were computed,
        ``preparing`` with 1 as each unit is saved. A callback with an ``expect(n)``
        method (``fondly.progress.Bar``) is told each step's size first.
        """
        from fondly.features import update_store
        from fondly.metrics import keep_units, kept

        n = 0
        if features:
            expect = getattr(progress, "expect", None)
            n = int(
                update_store(
                    store, progress=progress, expect=expect, force=force, embedder=embedder
                )
            )
        if preparing is not None and hasattr(preparing, "expect"):
            preparing.expect(len(kept.KEPT))
        # --force redoes everything: the kept units too, not only an update of them.
        keep_units(store, gap_minutes=self.gap_minutes, progress=preparing, rebuild=force)
        return n

    # -- verbs ----------------------------------------------------------------------

    def import_(
        self,
        paths: Iterable[str | Path] | str | Path,
        *,
        me: str | None = None,
        tz: str | None = None,
        date_order: str | None = None,
        date_orders: dict[str, str] | None = None,
        chats: Sequence[str] = (),
        only: str | None = None,
        replace: bool = False,
        features: bool = True,
        semantic: bool | None = None,
        embedder: Any = None,
        progress: Progress | None = None,
        features_progress: Progress | None = None,
        preparing: Progress | None = None,
        debug: bool = False,
        reading: Progress | None = None,
    ) -> ImportReport:
        """Import exports (files, folders or zips), each file in its own transaction.

        A file that cannot be read is reported in its entry's ``error`` and leaves the
        store as it was; the others are imported. Then message features are computed
        for the new messages and the units reports start from are saved.

        Args:
            paths: one path or several.
            me: the user's name as it appears in the exports (inferred when possible).
            tz: the zone of exports that carry only wall-clock times (default: this machine's).
            date_order: ``dmy``, ``mdy`` or ``ymd`` for WhatsApp files that cannot tell.
            date_orders: the same per file (file name or path -> order).
            chats: for multi-chat exports, only these chats.
            only: skip detection and read with this importer.
            replace: read files imported before again, replacing what they added.
            features: compute message features and save the units reports start from
                (False: later, with :meth:`refresh`).
            semantic: read follow-ups with sentence embeddings (None: as the store did).
            embedder: a sentence embedder already loaded (:meth:`embedder`); wins over
                ``semantic``.
            progress: called with the number of messages read, as they are read.
            features_progress: the same for messages whose features were computed.
            preparing: called with 1 as each unit reports start from is saved.
            debug: let an importer's unexpected error through instead of recording it.
            reading: called with the number of bytes of the export files parsed, as they
                are read; one with an ``expect(n)`` method (``fondly.progress.Bar``) is
                told each file's size first (the import bar's total).
        """
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        from fondly.importers import ImportOptions
        from fondly.ingest import import_paths, local_zone_name

        if isinstance(paths, str | Path):
            paths = [paths]
        found = [Path(p).expanduser() for p in paths]
        if not found:
            raise UsageError("nothing to import")
        for path in found:
            if not path.exists():
                raise UsageError(f"{path}: no such file or folder")
        zone = tz or local_zone_name()
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise UsageError(f"unknown time zone {zone!r}; use an IANA name") from None
        if date_order is not None and date_order not in ("dmy", "mdy", "ymd"):
            raise UsageError(f"date order {date_order!r}: use dmy, mdy or ymd")
        options = ImportOptions(
            tz=zone, date_order=date_order, chats=list(chats), me=me, date_orders=date_orders or {}
        )
        with self._store(write=True) as store:
            if features and embedder is None:
                embedder = self._embedder(store, semantic)
            summary = import_paths(
                store,
                found,
                options,
                progress=progress,
                only=only,
                tz_assumed=tz is None,
                keep_going=True,
                replace=replace,
                debug=debug,
                reading=reading,
            )
            n_features = 0
            if features:
                # Also when nothing was added: an import killed after its commit left
                # features or report units to finish, and both are no-ops when complete.
                n_features = self._refresh(
                    store, embedder=embedder, progress=features_progress, preparing=preparing
                )
        return ImportReport(
            files=[
                FileImported(
                    source=r.source,
                    format=r.format,
                    chats=r.conversations,
                    seen=r.seen,
                    added=r.added,
                    already_imported=r.already_imported,
                    titles=list(r.titles),
                    error=r.error,
                    skipped=r.skipped,
                    notes=list(r.notes),
                    unread=list(r.unread),
                    import_id=r.import_id,
                    not_utf8=list(r.not_utf8),
                    not_utf8_count=r.not_utf8_count,
                )
                for r in summary.results
            ],
            me=summary.me,
            me_candidates=list(summary.me_candidates),
            probably_me=[
                {"person_id": pid, "name": name, "why": why} for pid, name, why in summary.me_hints
            ],
            timezone=summary.timezone,
            features_computed=n_features,
            tz_assumed=summary.tz_assumed,
        )

    def _embedder(self, store: Store, semantic: bool | None) -> Any:
        from fondly.features import reads_semantically

        if semantic is None:
            semantic = reads_semantically(store)
        if not semantic:
            return None
        from fondly.features.semantic import load_embedder

        return load_embedder()

    def embedder(self, semantic: bool | None = None) -> Any:
        """The sentence embedder the next import or refresh reads with; None: word rules.

        ``semantic`` chooses; None keeps the reading the store was last given (a store
        that does not exist yet reads lexically). Loading it before anything is written
        means a missing extra leaves the store as it was.
        """
        from fondly._errors import MissingExtra
        from fondly.features import reads_semantically
        from fondly.features.semantic import load_embedder

        explicit = semantic is not None
        if not explicit and (self.path == ":memory:" or Path(self.path).exists()):
            with self._store() as store:
                semantic = reads_semantically(store)
        if not semantic:
            return None
        try:
            return load_embedder()
        except MissingExtra as exc:
            if explicit:
                raise
            raise MissingExtra(
                "semantic",
                "this store reads follow-ups and topic novelty with sentence embeddings "
                "(--lexical goes back to word rules), which",
            ) from exc

    @staticmethod
    def feature_versions(*, semantic: bool = False) -> dict[str, Any]:
        """The version of each message-feature detector (``fondly features --json``)."""
        from fondly.features import versions

        return dict(versions(semantic=semantic))

    def refresh(
        self,
        *,
        force: bool = False,
        embedder: Any = None,
        progress: Progress | None = None,
        preparing: Progress | None = None,
    ) -> int:
        """Compute the message features the store lacks, then the units reports use.

        Returns how many messages had features computed. ``embedder`` as from
        :meth:`embedder` (None: word rules); ``progress`` and ``preparing`` as for
        :meth:`import_`.
        """
        with self._store(write=True) as store:
            return self._refresh(
                store, force=force, embedder=embedder, progress=progress, preparing=preparing
            )

    def chats(self) -> list[Chat]:
        """Every imported chat, busiest first."""
        with self._store() as store:
            rows = store.query(
                """
                SELECT c.conversation_id, c.platform, c.title, c.is_group,
                       count(m.message_id) AS messages,
                       CAST(min(m.ts_local)::DATE AS TEXT), CAST(max(m.ts_local)::DATE AS TEXT)
                FROM conversations c LEFT JOIN messages m USING (conversation_id)
                GROUP BY c.conversation_id, c.platform, c.title, c.is_group
                ORDER BY messages DESC, c.conversation_id
                """
            )
        return [
            Chat(int(r[0]), str(r[1]), str(r[2] or ""), bool(r[3]), int(r[4]), r[5], r[6])
            for r in rows
        ]

    def people(self) -> list[Person]:
        """Every person with their apps, handles and message counts; you first."""
        from fondly.people import list_people

        with self._store() as store:
            rows = list_people(store)
        return [
            Person(
                person_id=int(str(r["person_id"])),
                name=str(r["name"]),
                is_me=bool(r["is_me"]),
                platforms=str(r["platforms"] or ""),
                handles=str(r["handles"] or ""),
                messages=int(str(r["messages"] or 0)),
            )
            for r in rows
        ]

    def me(self) -> Person | None:
        """The person marked as the user, if any."""
        return next((p for p in self.people() if p.is_me), None)

    def report(
        self,
        person: int | str | Sequence[int] | None = None,
        *,
        redact: bool = False,
        charts: bool = False,
        progress: Progress | None = None,
    ) -> Report:
        """Metrics and insights for every relationship, or one person's (or a chat's).

        Args:
            person: a person id; a name, handle or chat title as
                :func:`fondly.people.find_people` resolves it; several person ids;
                None for everyone.
            redact: replace names, phone numbers, e-mail addresses, links and places.
            charts: also read the data the charts draw (slower on big chats).
            progress: called with 1 as each step of the report is done (its number
                announced first through ``expect`` when the callback has one).
        """
        from fondly.insights import build_insights, make_redactor, redact_metrics
        from fondly.metrics import compute
        from fondly.metrics._compute import steps
        from fondly.people import find_people

        with self._store() as store:
            if not store.query("SELECT 1 FROM people WHERE is_me"):
                raise UsageError("no person is marked as you yet: set who you are first")
            people: list[int] | None = None
            if isinstance(person, int):
                people = [person]
            elif isinstance(person, str):
                people = find_people(store, person)
            elif person is not None:
                people = [int(p) for p in person]
            if progress is not None and hasattr(progress, "expect"):
                progress.expect(steps() + 1)
            if people is not None and len(people) == 1:
                result = compute(store, people[0], gap_minutes=self.gap_minutes, progress=progress)
            else:
                result = compute(store, gap_minutes=self.gap_minutes, progress=progress)
                if people is not None:
                    keep = set(people)
                    result["relationships"] = [
                        r for r in result["relationships"] if r["person"]["person_id"] in keep
                    ]
            insights = build_insights(result, store, redact=redact, charts=charts)
            if progress is not None:
                progress(1)
            if redact:
                result = redact_metrics(result, make_redactor(store, enabled=True))
        return Report(metrics=result, insights=insights)

    def messages(self) -> pa.Table:
        """Every message with its chat, sender and both clocks, oldest first (Arrow)."""
        from fondly.export import messages_table

        with self._store() as store:
            return messages_table(store)

    def export(self, out: str | Path, *, what: str = "messages", format: str = "csv") -> list[Path]:
        """Write the messages (csv, jsonl, parquet) or the corpus tables (parquet) to ``out``.

        ``what="messages"`` writes one file; ``what="corpus"`` a folder of Parquet files
        that the metrics also run on with Spark. Returns the paths written, readable by
        their owner only (files 0600, new folders 0700), as the CLI writes them.
        """
        from fondly._private import private_umask

        with private_umask():
            return self._export(Path(out), what, format)

    def _export(self, out: Path, what: str, format: str) -> list[Path]:
        from fondly.export import MESSAGE_FORMATS

        if what == "corpus":
            from fondly.export import export_corpus_tables

            with self._store() as store:
                return list(export_corpus_tables(store, out))
        if what != "messages":
            raise UsageError(f"export {what!r}: use 'messages' or 'corpus'")
        if format not in MESSAGE_FORMATS:
            raise UsageError(f"export format {format!r}: use csv, jsonl or parquet")
        from fondly.export import write_messages

        with self._store() as store:
            write_messages(store, out, format)
        return [out]

    def imports(self) -> list[Import]:
        """Every imported file, oldest first, with the id ``forget`` takes."""
        with self._store() as store:
            rows = store.query(
                "SELECT import_id, file_path, format, CAST(imported_at AS TEXT), "
                "n_messages_added FROM imports ORDER BY import_id"
            )
        return [Import(int(r[0]), str(r[1]), str(r[2]), str(r[3]), int(r[4] or 0)) for r in rows]

    def forget(
        self,
        *,
        chats: Sequence[int | str] = (),
        imports: Sequence[int | str] = (),
        dry_run: bool = False,
    ) -> Forgotten:
        """Remove whole chats (ids or titles) and/or imports with everything derived from them.

        A name that matches nothing is an error. With ``dry_run`` nothing is removed and
        the result counts what would go (imports, chats, messages).
        """
        from fondly.forget import find_conversations, find_imports, forget, preview

        with self._store(write=not dry_run) as store:
            chat_ids = _named(chats, lambda w: find_conversations(store, w), "chat")
            import_ids = _named(imports, lambda w: find_imports(store, w), "import")
            if dry_run:
                return preview(store, imports=import_ids, conversations=chat_ids)
            done = forget(store, imports=import_ids, conversations=chat_ids)
            if done.messages or done.conversations:
                self._refresh(store, features=False)
        return done

    def set_me(self, name: str) -> str:
        """Mark the person or handle called ``name`` as the user."""
        from fondly.ingest import set_me

        with self._store(write=True) as store:
            found = set_me(store, name)
            self._refresh(store, features=False)
        return found

    def merge(self, keep: int | str, other: int | str) -> str:
        """Join two people (the same person on two apps); returns the kept name."""
        from fondly.people import merge

        with self._store(write=True) as store:
            name = merge(store, str(keep), str(other))
            self._refresh(store, features=False)
        return name

    def split(self, person: int | str) -> list[str]:
        """Undo merges: each of the person's handles goes back to its own person."""
        from fondly.people import split

        with self._store(write=True) as store:
            names = split(store, str(person))
            self._refresh(store, features=False)
        return names

    def suggest_merges(self) -> list[MergeSuggestion]:
        """People on different apps who are probably one person (for :meth:`merge`)."""
        from fondly.people import suggest_merges

        with self._store() as store:
            return suggest_merges(store)

    def search(self, text: str, *, limit: int = 50) -> list[Message]:
        """Messages containing ``text`` (case-insensitive), newest first."""
        text = text.strip()
        if not text:
            return []
        with self._store() as store:
            rows = store.query(
                _MESSAGE_SQL + " WHERE contains(lower(m.text), lower(?)) "
                "ORDER BY m.ts_ms DESC, m.seq DESC LIMIT ?",
                [text, int(limit)],
            )
        return [_message(r) for r in rows]

    def conversation(
        self, chat_id: int, *, around: str | None = None, context: int = 15
    ) -> list[Message]:
        """The messages of a chat around one message (or its latest ones), oldest first."""
        with self._store() as store:
            centre = None
            if around is not None:
                found = store.query(
                    "SELECT ts_ms, seq FROM messages WHERE message_id = ? AND conversation_id = ?",
                    [around, int(chat_id)],
                )
                centre = found[0] if found else None
            if centre is None:
                rows = store.query(
                    _MESSAGE_SQL + " WHERE m.conversation_id = ? "
                    "ORDER BY m.ts_ms DESC, m.seq DESC LIMIT ?",
                    [int(chat_id), 2 * context + 1],
                )
                return [_message(r) for r in reversed(rows)]
            ts, seq = centre
            before = store.query(
                _MESSAGE_SQL + " WHERE m.conversation_id = ? AND (m.ts_ms < ? OR "
                "(m.ts_ms = ? AND m.seq < ?)) ORDER BY m.ts_ms DESC, m.seq DESC LIMIT ?",
                [int(chat_id), ts, ts, seq, context],
            )
            after = store.query(
                _MESSAGE_SQL + " WHERE m.conversation_id = ? AND (m.ts_ms > ? OR "
                "(m.ts_ms = ? AND m.seq >= ?)) ORDER BY m.ts_ms, m.seq LIMIT ?",
                [int(chat_id), ts, ts, seq, context + 1],
            )
        return [_message(r) for r in [*reversed(before), *after]]

    def chat_of(self, message_id: str) -> int | None:
        """The chat a message belongs to (None: no such message)."""
        with self._store() as store:
            rows = store.query(
                "SELECT conversation_id FROM messages WHERE message_id = ?", [message_id]
            )
        return int(rows[0][0]) if rows else None


def annotate(texts: Iterable[str | None]) -> list[dict[str, object]]:
    """The message features of each lone text, in input order (``fondly annotate``).

    Contextual features (``is_followup``) need a conversation, so they are None here.
    """
    from fondly.features import annotate as features_of

    return features_of(texts)


_MESSAGE_SQL = """
SELECT m.message_id, m.conversation_id, c.title, p.name, coalesce(p.is_me, FALSE),
       strftime(m.ts_local, '%Y-%m-%d %H:%M'), m.kind, m.text
FROM messages m
JOIN conversations c ON c.conversation_id = m.conversation_id
LEFT JOIN handles h ON h.handle_id = m.handle_id
LEFT JOIN people p ON p.person_id = h.person_id
"""


def _message(row: Sequence[Any]) -> Message:
    return Message(
        message_id=str(row[0]),
        conversation_id=int(row[1]),
        chat=str(row[2] or ""),
        sender=None if row[3] is None else str(row[3]),
        is_me=bool(row[4]),
        ts_local=row[5],
        kind=str(row[6]),
        text=row[7],
    )


def _named(names: Sequence[int | str], find: Callable[[str], list[int]], what: str) -> list[int]:
    """Resolve ids or names; a name that matches nothing is an error, not a no-op."""
    ids: list[int] = []
    for name in names:
        found = find(str(name))
        if not found:
            where = "`fondly chats`" if what == "chat" else "the file path as imported or its id"
            raise UsageError(f"no {what} matches {str(name)!r}; use {where}")
        ids.extend(found)
    return sorted(set(ids))


__all__ = [
    "Chat",
    "FileImported",
    "Fondly",
    "Forgotten",
    "Import",
    "ImportReport",
    "Message",
    "Person",
    "Report",
    "annotate",
]
