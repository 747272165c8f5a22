"""fondly: an honest, private picture of each relationship, from the messages in it."""

from fondly._errors import (
    AmbiguousDateOrder,
    FondlyError,
    InputError,
    MissingExtra,
    ParseError,
    StoreError,
    UnknownFormat,
    UsageError,
)
from fondly.api import (
    Chat,
    FileImported,
    Fondly,
    Forgotten,
    Import,
    ImportReport,
    Message,
    Person,
    Report,
)
from fondly.model import Kind, ParsedConversation, ParsedHandle, ParsedMessage

__version__ = "0.1.0"

__all__ = [
    "AmbiguousDateOrder",
    "Chat",
    "FileImported",
    "Fondly",
    "FondlyError",
    "Forgotten",
    "Import",
    "ImportReport",
    "InputError",
    "Kind",
    "Message",
    "MissingExtra",
    "ParseError",
    "ParsedConversation",
    "ParsedHandle",
    "ParsedMessage",
    "Person",
    "Report",
    "StoreError",
    "UnknownFormat",
    "UsageError",
    "__version__",
]
