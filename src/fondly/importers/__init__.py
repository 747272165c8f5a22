"""Importers: one module per platform, each a pure parser of its export format.

Every importer module defines a module-level ``IMPORTER`` object following
:class:`fondly.importers._registry.Importer`: a ``name``, a ``claim`` that picks
the entries of a :class:`~fondly.importers._tree.Tree` it can read (by content,
not only by file name), and a ``parse`` that yields
:class:`~fondly.model.ParsedConversation` objects. Importers never touch the store:
:mod:`fondly.ingest` writes what they yield.
"""

from fondly.importers._registry import (
    Importer,
    ImportOptions,
    Unit,
    all_importers,
    detect,
    get_importer,
)
from fondly.importers._tree import Entry, Tree

__all__ = [
    "Entry",
    "ImportOptions",
    "Importer",
    "Tree",
    "Unit",
    "all_importers",
    "detect",
    "get_importer",
]
