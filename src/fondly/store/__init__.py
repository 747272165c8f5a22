"""The store: one embedded DuckDB file holding every import.

This package is the only code in fondly that imports :mod:`duckdb`; everything
else talks to :class:`Store`. Keeping DuckDB behind one small surface matters:
DuckDB 2.0 removed several Python APIs that 1.x code relied on, and the next
major release may do it again.
"""

from fondly.store._store import (
    SCHEMA_VERSION,
    KeyNeeded,
    Store,
    default_db_path,
    encrypt_store,
    is_encrypted,
)

__all__ = [
    "SCHEMA_VERSION",
    "KeyNeeded",
    "Store",
    "default_db_path",
    "encrypt_store",
    "is_encrypted",
]
