"""Units kept in the store between reports, so that a report need not rebuild them.

Every report used to rebuild the same units from the same messages: numbering
a million messages into turns and sessions (two sorts of every message and a
join with its ~40 features), then turns, replies and silences from those,
took well over half of ``compute()``. The store changes only when something
writes to it (an import, a features run, ``people merge``), so the units
that read no message text are saved as ordinary tables (``kept_<unit>``)
when an import or a features run ends, and reports read them.

A kept unit is used only while it is provably current. Beside the tables,
``kept_units`` holds two keys: a fingerprint of everything the units read
(a hash of every column they use, of every row: ~0.2 s for a million
messages, a tenth of what it spares) and a hash of the rendered unit SQL
(which carries the user's person id, the session gap and fondly's own
definitions). Any difference, a store written by something else, another
gap, a newer fondly, and ``compute()`` builds the units as before. So a
kept unit can make a report faster but never different: the tests compare
the two paths.

Units that read message text (the idiom units behind inside jokes) are not
kept: text stays in the messages table only.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

from fondly.store import Store

KEPT = (
    "dyads",
    "dm",
    "relationships",
    "turns",
    "sessions",
    "sleep",
    "replies",
    "silences",
    "volume",
    "style",
    "turn_cells",
    "reply_cells",
)
"""The units saved in the store, in the order they are built; none reads message text."""

KEEP_MEMORY = os.environ.get("FONDLY_KEEP_MEMORY", "300MB")
"""DuckDB's memory limit while keeping units in a file store: the window sorts
spill to disk instead of holding a million messages in RAM (1M messages: peak
RSS ~470 MiB instead of ~910 MiB, for ~0.7 s more)."""

STATE_TABLE = "kept_units"
PREFIX = "kept_"

# Every column of the base tables that a kept unit reads (messages.text only
# through the word count of messages the features layer has not scored).
_MESSAGE_COLUMNS = (
    "message_id, conversation_id, handle_id, ts_ms, ts_local, tz_offset_min, reply_to, text"
)


def table(unit: str) -> str:
    """The store table that keeps ``unit``."""
    return PREFIX + unit


def select(unit: str, me_id: int, other_id: int | None = None) -> str:
    """The SQL that reads a kept unit: all of it, or one relationship's rows."""
    sql = f"SELECT * FROM {table(unit)}"
    if other_id is None:
        return sql
    if unit == "sleep":  # one row per person: the user's and the other's windows
        return f"{sql} WHERE person_id IN ({int(me_id)}, {int(other_id)})"
    return f"{sql} WHERE other_id = {int(other_id)}"


def data_key(store: Store, features_sql: str) -> str:
    """A fingerprint of what the kept units read: changes when any row of it changes.

    ``features_sql`` is the features view as compute reads it (every contract
    column, NULL where absent), so a new features column changes the key too.
    Sums of row hashes do not depend on row order, as the units do not.
    """
    feature_columns = ", ".join(f"f.{c}" for c in _columns(store, features_sql))
    sources = [
        ("messages", _MESSAGE_COLUMNS),
        (f"({features_sql}) f", feature_columns),
        ("handles", "handle_id, person_id"),
        ("people", "person_id, is_me"),
        ("conversations", "conversation_id, is_group, platform"),
    ]
    parts = ",\n".join(
        f"(SELECT count(*) || ':' || coalesce(sum(hash({columns})), 0) FROM {source})"
        for source, columns in sources
    )
    row = store.query(f"SELECT {parts}")[0]
    return "|".join(str(v) for v in row) + "|duckdb " + _duckdb_version(store)


def code_key(unit_sqls: dict[str, str]) -> str:
    """A hash of the rendered SQL of the kept units: their definitions and parameters."""
    digest = hashlib.sha256()
    for name in KEPT:
        digest.update(name.encode() + b"\0" + unit_sqls[name].encode() + b"\0")
    return digest.hexdigest()


def current(store: Store, unit_sqls: dict[str, str], features_sql: str) -> bool:
    """Whether the kept units exist and were made from this store's contents by this SQL."""
    if not store.columns(STATE_TABLE):
        return False
    rows = store.query(f"SELECT data_key, code_key FROM {STATE_TABLE}")
    if len(rows) != 1 or rows[0][1] != code_key(unit_sqls):
        return False
    return bool(rows[0][0] == data_key(store, features_sql))


def drop(store: Store) -> None:
    """Remove every kept unit (the state row first, so a half-dropped set is never current)."""
    store.execute(f"DROP TABLE IF EXISTS {STATE_TABLE}")
    for name in KEPT:
        store.execute(f"DROP TABLE IF EXISTS {table(name)}")


def save(
    store: Store,
    unit_sqls: dict[str, str],
    features_sql: str,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Build every kept unit into the store, replacing the old ones (dropped first; the
    new ones and their keys are written in one transaction).

    Each unit is built from the ones before it: a temp view under the unit's
    own name points at its kept table while the rest are built. ``progress`` is
    called with 1 as each unit is built.
    """
    limit = KEEP_MEMORY if store.path != ":memory:" else None
    if limit:
        store.execute(f"SET memory_limit = '{limit}'")
    try:
        _save(store, unit_sqls, features_sql, progress)
    finally:
        if limit:
            store.execute("RESET memory_limit")


def _save(
    store: Store,
    unit_sqls: dict[str, str],
    features_sql: str,
    progress: Callable[[int], None] | None,
) -> None:
    # The old tables go first, in a transaction of their own, and a checkpoint
    # frees their blocks: dropped and rebuilt in one transaction, old and new
    # would both need space and the file would settle near twice their size.
    drop(store)
    if store.path != ":memory:":
        store.execute("CHECKPOINT")
    with store.transaction():
        store.execute(f"CREATE OR REPLACE TEMP VIEW features AS {features_sql}")
        key = data_key(store, features_sql)
        try:
            for name in KEPT:
                store.execute(f"CREATE TABLE {table(name)} AS {unit_sqls[name]}")
                store.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {table(name)}")
                if progress:
                    progress(1)
            store.execute(
                f"CREATE TABLE {STATE_TABLE} AS SELECT ? AS data_key, ? AS code_key",
                [key, code_key(unit_sqls)],
            )
        finally:
            for name in (*reversed(KEPT), "features"):
                store.execute(f"DROP VIEW IF EXISTS temp.{name}")


def _columns(store: Store, sql: str) -> list[str]:
    return [d[0] for d in store.con.execute(f"SELECT * FROM ({sql}) LIMIT 0").description or []]


def _duckdb_version(store: Store) -> str:
    return str(store.query("SELECT version()")[0][0])
