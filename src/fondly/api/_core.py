"""What every verb of the facade stands on: the store for one call, and the refresh after a change.

A store changes only through the import, forget, "me" and merge verbs; each of them
finishes with :meth:`_Core._refresh`, which brings the derived layers up to date in the
order the data flows (message features, then the units kept for reports), so a report
always reads a consistent store.

The store file is opened for each call and closed after it: DuckDB lets one process
write a file at a time, and a long-lived app should not hold it while idle.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fondly._errors import UsageError

if TYPE_CHECKING:
    from fondly.store import Store

Progress = Callable[[int], None]


class _Core:
    """The store a :class:`fondly.Fondly` reads and writes, and the steps after a change.

    The verbs live in one mixin per job (``_imports``, ``_report``, ``_people``,
    ``_chats``), each a subclass of this, and :class:`fondly.Fondly` joins them.
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
        :meth:`fondly.Fondly.import_`.
        """
        with self._store(write=True) as store:
            return self._refresh(
                store, force=force, embedder=embedder, progress=progress, preparing=preparing
            )
