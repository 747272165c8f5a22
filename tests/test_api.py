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


FACADE_NAMES = {
    "Chat", "FileImported", "Fondly", "Forgotten", "Import", "ImportReport", "Message",
    "Person", "Report", "annotate",
}  # fmt: skip
VERBS = {
    "import_", "imports", "forget", "refresh", "embedder", "feature_versions", "report",
    "people", "me", "set_me", "merge", "split", "suggest_merges", "chats", "messages",
    "export", "search", "conversation", "chat_of",
}  # fmt: skip


def test_the_facade_package_keeps_every_name_and_verb() -> None:
    """``fondly.api`` is a package of one module per job; what it offers did not move."""
    from fondly import api
    from fondly.api import Progress  # noqa: F401 - the callback type, importable as before

    assert set(api.__all__) == FACADE_NAMES
    assert all(getattr(fondly, n, None) is getattr(api, n) for n in FACADE_NAMES - {"annotate"})
    public = {n for n in dir(api.Fondly) if not n.startswith("_")}
    assert public == VERBS
    assert repr(api.Fondly(":memory:")) == "Fondly(':memory:')"
