"""Opening, migrating and querying the DuckDB store."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from fondly import _private
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


class KeyNeeded(StoreError):
    """The store is encrypted and no key was given (the CLI may then ask for one)."""


class Store:
    """A connection to one fondly store, migrated to the current schema.

    Args:
        path: the DuckDB file, or ``":memory:"``.
        read_only: open without taking the writer lock (reports, exports).
        key: the store's encryption key. A new store opened with a key is created
            encrypted (DuckDB's own AES-GCM, ``ATTACH ... (ENCRYPTION_KEY ...)``); an
            encrypted store cannot be opened without it.
    """

    ALIAS = "fondly"

    def __init__(
        self, path: str | Path = ":memory:", *, read_only: bool = False, key: str | None = None
    ) -> None:
        self.path = str(path)
        self.encrypted = bool(key)
        self._scratch: Path | None = None
        read_only = read_only and self._exists()
        if self.path != ":memory:":
            folder = Path(self.path).parent
            if not folder.exists():
                folder.mkdir(mode=_private.DIR_MODE, parents=True, exist_ok=True)
            try:
                self._scratch = _private.open_scratch(self.path)
            except OSError:  # a read-only folder: nothing can be spilled there either
                self._scratch = None
        try:
            self.con = self._connect(read_only, key)
        except BaseException:
            self._drop_scratch()
            raise
        # Durations are computed on integer epoch-ms and buckets on the stored
        # wall clock, but any TIMESTAMPTZ that slips in must not follow the laptop's zone.
        self.con.execute("SET TimeZone='UTC'")
        self._in_transaction = False
        if not read_only:
            self._migrate()
            for name in (self.path, f"{self.path}.wal"):
                _private.owner_only(name)

    def _connect(self, read_only: bool, key: str | None) -> duckdb.DuckDBPyConnection:
        """Open the file (or attach it encrypted), turning DuckDB's errors into one line."""
        # Spill files hold message text: they go to the scratch folder beside the store.
        config = connection_config()
        if self._scratch is not None:
            config["temp_directory"] = str(self._scratch)
        try:
            if not key:
                return duckdb.connect(self.path, read_only=read_only, config=config)
            con = duckdb.connect(":memory:", config=config)
            try:
                load_crypto(con, self.path, write=not read_only)
                options = "READ_ONLY, " if read_only else ""
                target = self.path.replace("'", "''")
                con.execute(
                    f"ATTACH '{target}' AS {self.ALIAS} ({options}ENCRYPTION_KEY '{_key(key)}')"
                )
                con.execute(f"USE {self.ALIAS}")
            except BaseException:
                con.close()
                raise
            return con
        except duckdb.Error as exc:
            raise _store_error(self.path, exc, key) from None

    def _exists(self) -> bool:
        return self.path != ":memory:" and Path(self.path).exists()

    def _drop_scratch(self) -> None:
        if self._scratch is not None:
            _private.close_scratch(self._scratch)
            self._scratch = None

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
        """Forget a registered Arrow table; harmless after a failed (aborted) transaction."""
        with contextlib.suppress(duckdb.Error):
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

    @contextmanager
    def memory_limit(self, limit: str | None) -> Iterator[Store]:
        """Run a block under DuckDB memory ``limit`` (e.g. ``"100MB"``), then restore the old one.

        A file store spills what does not fit to its scratch folder; an in-memory store
        cannot, so it (and ``limit=None``) runs unlimited. The old value is set back
        explicitly: in DuckDB 1.5.5 ``RESET memory_limit`` reports the default again but
        leaves the buffer pool at the lowered size, so the next step fails for memory.
        """
        if not limit or self.path == ":memory:":
            yield self
            return
        before = self.query("SELECT current_setting('memory_limit')")[0][0]
        self.con.execute(f"SET memory_limit = '{limit}'")
        try:
            yield self
        finally:
            self._restore_memory_limit(before)

    def _restore_memory_limit(self, shown: str) -> None:
        """Set the memory limit DuckDB showed as ``shown`` (e.g. ``"18.8 GiB"``) back.

        DuckDB shows the limit rounded down to one decimal, so setting the shown text loses
        up to a tenth of a unit and every step would lower it again ("18.8 GiB" comes back
        as "18.7 GiB"). Half a step up lands inside the shown tenth, so it stays put.
        """
        self.con.execute(f"SET memory_limit = '{shown}'")
        if self.query("SELECT current_setting('memory_limit')")[0][0] == shown:
            return
        number, _, unit = shown.partition(" ")
        try:
            nudged = float(number) + 0.05
        except ValueError:
            return
        self.con.execute(f"SET memory_limit = '{nudged:.2f} {unit}'")

    def close(self) -> None:
        self.con.close()
        self._drop_scratch()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connection_config() -> dict[str, Any]:
    """Settings for every DuckDB connection fondly opens.

    DuckDB would otherwise fetch a missing extension from its repository, or load one on
    its own when a query names a URL: fondly never goes to the network, so both are off,
    and the one extension it uses is loaded by hand from a file (:func:`httpfs_path`).
    """
    return {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def httpfs_path() -> Path | None:
    """DuckDB's httpfs extension as shipped by the pinned ``duckdb-extension-httpfs`` wheel.

    fondly needs httpfs for one reason: it brings OpenSSL, the only crypto DuckDB lets
    write an encrypted file (its built-in MbedTLS only reads them; its random numbers are
    not fit for AES-GCM nonces). The wheel holds one signed build per DuckDB version;
    the path is the installed file, never a URL, so loading it reads a local file.
    """
    try:
        import duckdb_extension_httpfs
    except ImportError:
        return None
    folder = Path(duckdb_extension_httpfs.__file__).parent / "extensions"
    found = folder / f"v{duckdb.__version__}" / "httpfs.duckdb_extension"
    return found if found.is_file() else None


def load_crypto(con: duckdb.DuckDBPyConnection, path: str, *, write: bool) -> None:
    """Prepare a connection for an encrypted store: OpenSSL, and encrypted spill files.

    Reading works with DuckDB's built-in crypto, so a missing extension only stops
    writes (one line naming the package). Spill files (a big import or sort) would
    otherwise hold plain message text beside an encrypted store: DuckDB encrypts them
    only when asked.
    """
    extension = httpfs_path()
    if extension is not None:
        con.execute(f"LOAD '{_sql_text(extension)}'")
    elif write:
        raise StoreError(
            f"{path}: writing an encrypted store needs DuckDB's httpfs extension (OpenSSL), "
            f"which is missing (reading one works without it); install fondly's pinned "
            f"duckdb-extension-httpfs=={duckdb.__version__} (fondly never downloads anything)"
        )
    con.execute("SET temp_file_encryption = true")


def _store_error(path: str, exc: BaseException, key: str | None) -> StoreError:
    """One line for every way opening a store can fail; never DuckDB's own message."""
    # The path is taken out first: a folder named "locks" says nothing about the error.
    text = str(exc).replace(path, "").lower()
    if "newer version of duckdb" in text:
        # Stores written while fondly used DuckDB 2.0 (before the 1.5.5 pin for encryption).
        return StoreError(
            f"{path}: written by a newer DuckDB than this fondly's ({duckdb.__version__}); "
            "import your exports again into a new store (--db NEW), or open it with the "
            "fondly that made it"
        )
    # "lock" as a word: a damaged file's "checksum ... in block at location 0" is not busy.
    if re.search(r"\block\b", text) or "already attached" in text or "in use" in text:
        return StoreError(
            f"{path}: the store is busy: another fondly process is using it; "
            "wait for it to finish and try again"
        )
    if "without a key" in text or ("encrypted" in text and not key):
        return KeyNeeded(f"{path}: the store is encrypted; give its key in FONDLY_KEY")
    if "wrong encryption key" in text or ("encryption" in text and "key" in text and key):
        if "not encrypted" in text:
            return StoreError(f"{path}: the store is not encrypted; run without FONDLY_KEY")
        return StoreError(f"{path}: wrong key for this encrypted store")
    if "not encrypted" in text:
        return StoreError(f"{path}: the store is not encrypted; run without FONDLY_KEY")
    return StoreError(
        f"{path}: cannot open the store: not a fondly store, or damaged ({type(exc).__name__})"
    )


def is_encrypted(path: str | Path) -> bool:
    """Whether the store file at ``path`` is encrypted (False when it does not exist)."""
    if not Path(path).exists():
        return False
    try:
        duckdb.connect(str(path), read_only=True, config=connection_config()).close()
    except duckdb.Error as exc:
        return isinstance(_store_error(str(path), exc, None), KeyNeeded)
    return False


def encrypt_store(path: str | Path, key: str) -> None:
    """Rewrite a plain store as an encrypted one, in place, all or nothing.

    The plain store is checkpointed first (so no write-ahead log of plain text is left
    beside the encrypted file), copied with ``COPY FROM DATABASE`` into a new encrypted
    file next to it, and only then swapped in; a crash midway leaves the plain store as it
    was and a partial copy that the next run overwrites.
    """
    source = Path(path)
    target = source.with_name(source.name + ".encrypting")
    target.unlink(missing_ok=True)
    # A big store spills while it is copied: into the scratch folder, like every run
    # (never the working folder, DuckDB's default for a connection without a file).
    scratch = _private.open_scratch(source)
    try:
        with duckdb.connect(str(source), config=connection_config()) as con:
            con.execute("CHECKPOINT")
        config = connection_config() | {"temp_directory": str(scratch)}
        con = duckdb.connect(":memory:", config=config)
        try:
            load_crypto(con, str(source), write=True)
            con.execute(f"ATTACH '{_sql_text(source)}' AS plain (READ_ONLY)")
            con.execute(f"ATTACH '{_sql_text(target)}' AS sealed (ENCRYPTION_KEY '{_key(key)}')")
            con.execute("COPY FROM DATABASE plain TO sealed")
            con.execute("DETACH sealed")
        finally:
            con.close()
    except duckdb.Error as exc:
        target.unlink(missing_ok=True)
        raise _store_error(str(source), exc, key) from None
    finally:
        _private.close_scratch(scratch)
    _private.owner_only(target)
    os.replace(target, source)


def _sql_text(path: Path | str) -> str:
    return str(path).replace("'", "''")


def _key(key: str) -> str:
    """The key as a SQL literal of its UTF-8 bytes, every byte escaped.

    DuckDB reads the key as a BLOB literal: non-ASCII characters must be written as
    ``\\xNN`` and a backslash would start an escape, so every byte is escaped and any
    passphrase (quotes, accents, emoji) means exactly its bytes.
    """
    return "".join(f"\\x{b:02X}" for b in key.encode("utf-8"))
