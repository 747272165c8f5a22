"""Which importers exist, and which one reads which file.

Detection is by content: each importer's ``claim`` looks at entry names *and*
their first bytes, so a renamed ``result.json`` or a WhatsApp export called
``chat.txt`` is still recognised. Importers are asked in :data:`IMPORTER_MODULES`
order; the first to claim an entry owns it, so the generic CSV/JSONL importer,
which accepts the most, comes last.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Protocol

from fondly._errors import UnknownFormat
from fondly.importers._tree import Tree
from fondly.model import ParsedConversation

IMPORTER_MODULES = [
    "whatsapp",
    "telegram",
    "meta",
    "signal",
    "imessage",
    "discord",
    "line",
    "google",
    "generic",
]


@dataclass
class ImportOptions:
    """What the user told ``fondly import`` that parsers may need.

    Attributes:
        tz: IANA zone for exports that carry only wall-clock times.
        date_order: ``dmy``, ``mdy`` or ``ymd`` to override inference (WhatsApp).
        chats: for multi-chat exports (Telegram full account), the chat names to keep.
        me: the user's name as it appears in the export, if given.
        date_orders: per-file overrides of ``date_order``, by file name or path
            (``--date-order "chat.txt=dmy"``), for folders of exports from phones
            in several locales.
    """

    tz: str = "UTC"
    date_order: str | None = None
    chats: list[str] = field(default_factory=list)
    me: str | None = None
    date_orders: dict[str, str] = field(default_factory=dict)

    def date_order_for(self, *names: str) -> str | None:
        """The date order the user gave for a file known by any of ``names``, if any.

        A per-file override matches the file's path as shown, its path inside
        the tree, or its base name; otherwise the one ``--date-order`` for all.
        """
        for name in names:
            for candidate in (name, PurePosixPath(name).name, name.rpartition("!")[2]):
                if candidate in self.date_orders:
                    return self.date_orders[candidate]
        return self.date_order


@dataclass
class Unit:
    """A piece of a tree that one importer will read as one import.

    ``entries`` are the files it consists of (Messenger threads span several
    ``message_N.json`` files); their joint hash makes re-imports idempotent.
    """

    importer: Importer
    entries: list[str]
    label: str


class Importer(Protocol):
    """What every importer module exposes as ``IMPORTER``."""

    name: str
    description: str

    def claim(self, tree: Tree, unclaimed: list[str]) -> list[Unit]:
        """Units this importer can read among the still unclaimed entries."""
        ...

    def parse(self, tree: Tree, unit: Unit, options: ImportOptions) -> Iterator[ParsedConversation]:
        """Yield the conversations of a unit; raise ParseError on malformed input."""
        ...


def all_importers() -> list[Importer]:
    """Every importer, in detection order."""
    found = []
    for name in IMPORTER_MODULES:
        try:
            module = importlib.import_module(f"fondly.importers.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"fondly.importers.{name}":
                continue
            raise
        found.append(module.IMPORTER)
    return found


def get_importer(name: str) -> Importer:
    for importer in all_importers():
        if importer.name == name:
            return importer
    raise KeyError(name)


def detect(tree: Tree, *, only: str | None = None) -> list[Unit]:
    """Split a tree into units, each owned by the importer that recognises it.

    Raises:
        UnknownFormat: nothing in the tree is recognised (a single file that no
            importer claims, or a folder with no chat export in it).
    """
    unclaimed = [e.name for e in tree.entries]
    units: list[Unit] = []
    importers = all_importers()
    if only is not None:
        importers = [i for i in importers if i.name == only]
    for importer in importers:
        for unit in importer.claim(tree, unclaimed):
            units.append(unit)
            claimed = set(unit.entries)
            unclaimed = [n for n in unclaimed if n not in claimed]
    if not units:
        known = ", ".join(i.name for i in all_importers())
        raise UnknownFormat(
            f"{Path(tree.path)}: not a chat export fondly knows (it reads: {known}; "
            "see `fondly formats`)"
        )
    return units
