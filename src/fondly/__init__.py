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
from fondly.model import Kind, ParsedConversation, ParsedHandle, ParsedMessage

__version__ = "0.1.0"

__all__ = [
    "AmbiguousDateOrder",
    "FondlyError",
    "InputError",
    "Kind",
    "MissingExtra",
    "ParseError",
    "ParsedConversation",
    "ParsedHandle",
    "ParsedMessage",
    "StoreError",
    "UnknownFormat",
    "UsageError",
    "__version__",
]
