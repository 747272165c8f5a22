"""A step run under a lowered DuckDB memory limit gives the whole limit back afterwards.

The import runs under 100 MB; in DuckDB 1.5.5 ``RESET memory_limit`` left the buffer pool at
that size, so the features step of a 1M-message import failed for memory in the same process.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from fondly.store import Store

# A list of a million 32-character strings lives in memory only (it cannot be spilled).
_UNSPILLABLE = "SELECT len(list(md5(i::VARCHAR))) FROM range(1000000) t(i)"


def test_a_lowered_limit_is_given_back(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        with store.memory_limit("20MB"), pytest.raises(duckdb.OutOfMemoryException):
            store.query(_UNSPILLABLE)
        assert store.query(_UNSPILLABLE) == [(1_000_000,)]


def test_an_in_memory_store_is_never_limited() -> None:
    with Store(":memory:") as store, store.memory_limit("20MB"):
        assert store.query(_UNSPILLABLE) == [(1_000_000,)]


@pytest.mark.parametrize("start", ["18.8 GiB", "1.5 GiB", "117.3 MiB", "3.0 GiB"])
def test_the_limit_comes_back_as_it_was_shown(tmp_path: Path, start: str) -> None:
    """DuckDB shows the limit rounded down: set back as shown, it fell a tenth each step."""
    with Store(tmp_path / "s.duckdb") as store:
        store.execute(f"SET memory_limit = '{start}'")
        shown = store.query("SELECT current_setting('memory_limit')")[0][0]
        for _ in range(3):
            with store.memory_limit("50MB"):
                pass
        assert store.query("SELECT current_setting('memory_limit')")[0][0] == shown
