"""Opening, migrating and querying the DuckDB store."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from fondly._errors import StoreError

SCHEMA_VERSION = 1

# Migrations from version N to N+1, each a list of SQL statements. Version 1 is
# the schema itself; later versions append here and never edit earlier steps.
MIGRATIONS: dict[int, list[str]] = {}


def default_db_path() -> Path:
    """Where the store lives when neither ``--db`` nor ``FONDLY_DB`` is given.

    Follows the platform's convention for per-user application data, so the
    store sits beside the user's other private data, never in the working folder.
    """
    env = os.environ.get("FONDLY_DB")
    if env:
        return Path(env).expanduser()
    if sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    elif sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "fondly" / "fondly.duckdb"


class Store:
    """A connection to one fondly store, migrated to the current schema.

    Args:
        path: the DuckDB file, or ``":memory:"``.
        read_only: open without taking the writer lock (reports, exports).
    """

    def __init__(self, path: str | Path = ":memory:", *, read_only: bool = False) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(self.path, read_only=read_only and self._exists())
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreError(
                    f"{self.path}: the store is in use by another fondly process; "
                    "wait for it to finish and try again"
                ) from None
            raise StoreError(f"{self.path}: cannot open the store ({type(exc).__name__})") from None
        # Durations are computed on integer epoch-ms and buckets on the stored
        # wall clock, but any TIMESTAMPTZ that slips in must not follow the laptop's zone.
        self.con.execute("SET TimeZone='UTC'")
        self._in_transaction = False
        if not (read_only and self._exists()):
            self._migrate()

    def _exists(self) -> bool:
        return self.path != ":memory:" and Path(self.path).exists()

    # -- schema -----------------------------------------------------------------

    def _migrate(self) -> None:
        version = self.schema_version()
        if version is None:
            sql = resources.files("fondly.store").joinpath("schema.sql").read_text("utf-8")
            with self.transaction():
                self.con.execute(sql)
                self.execute("INSERT INTO schema_info VALUES ('version', ?)", [str(SCHEMA_VERSION)])
            return
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: made by a newer fondly (schema {version}); upgrade fondly to read it"
            )
        while version < SCHEMA_VERSION:
            with self.transaction():
                for statement in MIGRATIONS[version]:
                    self.con.execute(statement)
                version += 1
                self.execute(
                    "UPDATE schema_info SET value = ? WHERE key = 'version'", [str(version)]
                )

    def schema_version(self) -> int | None:
        """The schema version of this store, or ``None`` for an empty file."""
        exists = self.query(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_info'"
        )[0][0]
        if not exists:
            return None
        rows = self.query("SELECT value FROM schema_info WHERE key = 'version'")
        return int(rows[0][0]) if rows else None

    # -- queries ----------------------------------------------------------------

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """Run a statement and discard any result (DuckDB 2 refuses unfinished results)."""
        self.con.execute(sql, params or []).fetchall()

    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run a query and return every row as a tuple."""
        return self.con.execute(sql, params or []).fetchall()

    def query_dicts(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        """Run a query and return rows as dicts keyed by column name."""
        cursor = self.con.execute(sql, params or [])
        names = [d[0] for d in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        """Run a query and return an Arrow table."""
        return self.con.sql(sql, params=params or None).to_arrow_table()

    def register(self, name: str, table: pa.Table | pa.RecordBatchReader) -> None:
        """Make an Arrow table visible to SQL as ``name`` (replacing any earlier one)."""
        self.con.register(name, table)

    def unregister(self, name: str) -> None:
        self.con.unregister(name)

    def columns(self, table: str) -> list[str]:
        """Column names of a table, in order."""
        return [
            r[0]
            for r in self.query(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = ? ORDER BY ordinal_position",
                [table],
            )
        ]

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """All-or-nothing block: any exception rolls back everything inside it.

        DuckDB's explicit transactions survived SIGKILL with no partial state in
        every trial (see the architecture research); autocommit did not.
        Nested use joins the outer transaction.
        """
        if self._in_transaction:
            yield self
            return
        self.con.execute("BEGIN TRANSACTION")
        self._in_transaction = True
        try:
            yield self
        except BaseException:
            self._in_transaction = False
            self.con.execute("ROLLBACK")
            raise
        self._in_transaction = False
        self.con.execute("COMMIT")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
