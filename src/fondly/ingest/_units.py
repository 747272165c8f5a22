"""One import: plan the files, then write each unit (a file, a thread) in one transaction.

The order of the steps lives here: detect every format first, stage each unit's
chats (``_stage``), merge them into the store (``_merge``), record the import, then
settle who the user is (``_identity``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from fondly._errors import FondlyError, ParseError
from fondly.importers import ImportOptions, Tree, Unit, detect
from fondly.importers._utf8 import scan_entries
from fondly.ingest._copies import join_copies
from fondly.ingest._identity import resolve_me
from fondly.ingest._merge import _merge_stage
from fondly.ingest._stage import Progress, _reset_stage, _StageWriter
from fondly.people import people_names
from fondly.store import Store

# DuckDB's memory limit while importing into a file store (see import_paths).
_IMPORT_MEMORY = os.environ.get("FONDLY_IMPORT_MEMORY", "100MB")


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
    # DuckDB would otherwise keep the staged copy of a big export in RAM
    # (~1 GB for 1M messages); with a limit it spills to <store>.tmp (~420 MB peak).
    with store.memory_limit(_IMPORT_MEMORY):
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
    joinable: list[int] = []  # chats that may be copies of a stored chat under another key
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
            if conv.joins_by_messages:
                joinable.append(conv_index)
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
            stage = writer.source()
            if join_copies(store, stage, joinable):
                result.notes.append(
                    "a copy of a chat already stored (under another folder): "
                    "only its new messages were added to that chat"
                )
            result.added = _merge_stage(store, import_id, options.tz, stage)
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
