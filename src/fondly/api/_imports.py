"""The verbs that put chats in and take them out: import, the list of imports, forget.

Both end with the refresh every change ends with (``_core``): message features for the
new messages, then the units reports start from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fondly._errors import UsageError
from fondly.api._core import Progress, _Core
from fondly.api._results import FileImported, Import, ImportReport
from fondly.forget import Forgotten

if TYPE_CHECKING:
    from fondly.ingest import ImportResult


class _Imports(_Core):
    """``import_``, ``imports`` and ``forget``: what goes into the store and back out."""

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
            files=[_file_imported(r) for r in summary.results],
            me=summary.me,
            me_candidates=list(summary.me_candidates),
            probably_me=[
                {"person_id": pid, "name": name, "why": why} for pid, name, why in summary.me_hints
            ],
            timezone=summary.timezone,
            features_computed=n_features,
            tz_assumed=summary.tz_assumed,
        )

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


def _file_imported(r: ImportResult) -> FileImported:
    """One unit's ingest result as the facade's typed entry."""
    return FileImported(
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
