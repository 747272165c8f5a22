"""The exceptions fondly raises, in one hierarchy.

Every error a user can cause derives from :class:`FondlyError`. The CLI prints
``str(error)`` as a single line and exits with ``error.exit_code``; it never shows
a traceback unless ``--debug`` is given. Messages must never contain the text of a
chat message: they name the file, the line or record, and what is wrong.

    FondlyError
    ├── InputError            (exit 2) bad or unrecognised input
    │   ├── ParseError        a file that is not what its format promises, with FILE:LINE
    │   ├── AmbiguousDateOrder  day/month order cannot be told from the file
    │   └── UnknownFormat     no importer recognises the file
    ├── StoreError            (exit 1) the DuckDB store cannot be opened or used
    ├── MissingExtra          (exit 1) an optional dependency is not installed
    └── UsageError            (exit 2) a command was asked for something impossible
"""

from __future__ import annotations

from pathlib import Path


class FondlyError(Exception):
    """Base class of every error fondly reports to a user."""

    exit_code = 1


class InputError(FondlyError):
    """Input the user handed to fondly is wrong or unreadable."""

    exit_code = 2


class ParseError(InputError):
    """A file does not follow its format at a given line or record.

    Args:
        path: the file (or ``zip!member``) being read.
        line: the 1-based line number, or a record locator such as ``messages[17]``.
        reason: what is wrong, in words a user understands; never message text.
    """

    def __init__(self, path: str | Path, line: int | str | None, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")


class AmbiguousDateOrder(ParseError):
    """Every date in a file reads as both day-first and month-first."""


class UnknownFormat(InputError):
    """No importer recognised a file."""


class StoreError(FondlyError):
    """The store cannot be opened (locked by another process, corrupt, too new)."""


class MissingExtra(FondlyError):
    """An optional dependency group is needed but not installed."""

    def __init__(self, extra: str, purpose: str) -> None:
        super().__init__(f"{purpose} needs the optional extra: pip install 'fondly[{extra}]'")


class UsageError(FondlyError):
    """The command line asks for something that cannot be done."""

    exit_code = 2
