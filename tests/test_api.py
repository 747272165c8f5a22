"""The public API is exactly what ``fondly.__all__`` says (httpx's discipline)."""

from __future__ import annotations

import fondly


def test_all_is_the_public_api() -> None:
    public = {name for name in dir(fondly) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(fondly, name)).__name__ == "module"}
    assert set(fondly.__all__) - {"__version__"} == public - modules


PUBLIC_API = {
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
}


def test_all_is_exactly_the_documented_api() -> None:
    assert set(fondly.__all__) == PUBLIC_API
    assert len(fondly.__all__) == len(PUBLIC_API)
