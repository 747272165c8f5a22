"""The public API is exactly what ``fondly.__all__`` says (httpx's discipline)."""

from __future__ import annotations

import fondly


def test_all_is_the_public_api() -> None:
    public = {name for name in dir(fondly) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(fondly, name)).__name__ == "module"}
    assert set(fondly.__all__) - {"__version__"} == public - modules
