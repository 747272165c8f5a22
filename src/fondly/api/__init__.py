"""The library: one object with the user's verbs, running the pipeline in its one right order.

A store changes only through :meth:`Fondly.import_`, :meth:`Fondly.forget`,
:meth:`Fondly.set_me` and :meth:`Fondly.merge`; each of them finishes by bringing
the derived layers up to date in the order the data flows (ingest -> message
features -> units kept for reports), so that :meth:`Fondly.report` (metrics ->
insights) always reads a consistent store. The web app (:mod:`fondly.app`) and the
CLI call nothing else.

Results are small typed dataclasses whose ``to_dict()`` is the JSON the CLI prints
(docs/metrics.md, docs/cli.md); tables for research come as Arrow, which pandas
(``table.to_pandas()``) and polars (``polars.from_arrow(table)``) read without copying.

One module per job, joined here into :class:`Fondly`: ``_core`` (the store for one
call, the refresh after a change, the feature reading), ``_imports`` (import, the
imports, forget), ``_report`` (metrics then insights; ``annotate``), ``_people``
(people, "me", merges), ``_chats`` (chats, messages, export, search, a conversation)
and ``_results`` (the typed results).
"""

from __future__ import annotations

from fondly.api._chats import _Chats
from fondly.api._core import Progress as Progress  # the callback type the verbs take
from fondly.api._imports import _Imports
from fondly.api._people import _People
from fondly.api._report import _Reports, annotate
from fondly.api._results import (
    Chat,
    FileImported,
    Import,
    ImportReport,
    Message,
    Person,
    Report,
)
from fondly.forget import Forgotten


class Fondly(_Imports, _Reports, _People, _Chats):
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
