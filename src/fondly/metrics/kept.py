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
the two paths. An update after an import that only added messages hashes
only the added rows and adds their sums to the kept key (:func:`_updated_key`):
what it costs follows the week added, not the decade kept.

Units that read message text (the idiom units behind inside jokes) are not
kept: text stays in the messages table only.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

from fondly._defaults import RECENT_MS
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

TAIL_FILTER = "message_id IN (SELECT message_id FROM _fondly_tail_ids)"
"""The messages the dm unit numbers anew when units are updated after an import
(:func:`_append`): each relationship's newest kept message and those added after it."""

KEPT_ANSWERS = (
    "UNION ALL SELECT other_id, answer_gap_ms FROM kept_dm WHERE answer_gap_ms IS NOT NULL "
    "AND other_id IN (SELECT other_id FROM _fondly_tails)"
)
"""The kept answer times of the relationships an update touches: with the tail's own,
the whole history's, from which the dm unit reads the pair's gap."""

_PREV_FLAGS = ("new_session", "new_session_30m", "new_session_6h", "new_turn", "answer_gap_ms")
"""dm columns read from the message before: wrong on the first message of a tail."""

_BY_NUMBER = {"turns": "turn_no", "relationships": None}
"""Units whose rows group dm rows by relationship (and turn number): an update replaces
only the rows from a relationship's last kept turn on (relationships: all of them).
Sessions are redone from the relationship's last kept conversation (_CONV_FROM_SQL says
why that equals a rebuild, though a conversation joins stretches with a running count
and an open call that a reply far later may close: docs/metrics.md, "Conversations")."""


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
    return _format(_sums(store, features_sql, None), _duckdb_version(store))


def _sources(store: Store, features_sql: str) -> list[tuple[str, str]]:
    """(table or subquery, hashed columns) of everything the kept units read, in key order.

    The first two (messages, features) are large and grow with every import; the rest
    are small and hashed whole every time. feature_versions is in the key although no
    unit reads it: an update (:func:`_append`) trusts older rows to be as kept, and a
    new detector version is the one way fondly rewrites older features in place.
    """
    feature_columns = ", ".join(f"f.{c}" for c in _columns(store, features_sql))
    return [
        ("messages", _MESSAGE_COLUMNS),
        (f"({features_sql}) f", feature_columns),
        ("handles", "handle_id, person_id"),
        ("people", "person_id, is_me"),
        ("conversations", "conversation_id, is_group, platform"),
        ("feature_versions", "feature, version"),
    ]


_LARGE = 2
"""The first sources of :func:`_sources` (messages, features): hashed by rows added."""


def _sums(store: Store, features_sql: str, after_import: int | None) -> list[tuple[int, int]]:
    """(row count, sum of row hashes) per source of :func:`_sources`.

    ``after_import``: for messages and their features only the rows of imports after it
    (the rows an update adds; the kept key holds the sums of the others); None: all.
    """
    sources = _sources(store, features_sql)
    if after_import is not None:
        newer = f"(SELECT message_id FROM messages WHERE import_id > {int(after_import)})"
        sources[0] = (
            f"(SELECT * FROM messages WHERE import_id > {int(after_import)})",
            sources[0][1],
        )
        sources[1] = (f"{sources[1][0]} WHERE f.message_id IN {newer}", sources[1][1])
    parts = ",\n".join(
        f"(SELECT count(*) AS n, coalesce(sum(hash({columns})), 0)::HUGEINT AS h "
        f"FROM {source}) s{i}"
        for i, (source, columns) in enumerate(sources)
    )
    row = store.query(f"SELECT * FROM {parts}")[0]
    return [(int(row[2 * i]), int(row[2 * i + 1])) for i in range(len(sources))]


def _format(sums: list[tuple[int, int]], version: str) -> str:
    return "|".join(f"{n}:{h}" for n, h in sums) + "|duckdb " + version


def _parse(key: str) -> tuple[list[tuple[int, int]], str] | None:
    """The sums and DuckDB version of a key :func:`_format` wrote (None: another format)."""
    *parts, version = key.split("|")
    if not version.startswith("duckdb "):
        return None
    try:
        sums = [(int(n), int(h)) for n, h in (p.split(":") for p in parts)]
    except ValueError:
        return None
    return sums, version.removeprefix("duckdb ")


def _updated_key(store: Store, features_sql: str, kept_key: str, upto: int) -> str | None:
    """The data key after imports past ``upto`` only added messages; None if more changed.

    What an update costs should follow what was added, not the whole history: the
    kept key's sums for messages and features are carried over and the new rows'
    added (sums of row hashes add up), instead of hashing every message again. The
    rows kept before are trusted to be unchanged when their count is (fondly never
    edits a message in place, and drops or replaces imports whole), the features of
    the new messages account for every new features row (none was added to an older
    message), and the small tables and detector versions hash as kept. Anything
    else, or a key of another format, and the caller rebuilds. Should something
    else have edited an older row in place, the key written here will not match the
    store's, and reports, which check the whole key (:func:`current`), build their
    units from scratch; ``fondly features --force`` rebuilds them.
    """
    parsed = _parse(kept_key)
    version = _duckdb_version(store)
    if parsed is None or parsed[1] != version:
        return None
    kept_sums, _ = parsed
    sources = _sources(store, features_sql)
    if len(kept_sums) != len(sources):
        return None
    added = _sums(store, features_sql, upto)
    totals = store.query(
        "SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM message_features)"
    )[0]
    for i, total in enumerate(totals):
        if total - added[i][0] != kept_sums[i][0]:
            return None  # rows of earlier imports were forgotten, or scored since
    if added[_LARGE:] != kept_sums[_LARGE:]:
        return None  # people, handles, chats or detector versions changed
    sums = [(k[0] + a[0], k[1] + a[1]) for k, a in zip(kept_sums[:_LARGE], added, strict=False)]
    return _format(sums + added[_LARGE:], version)


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
    dm_tail_sql: str | None = None,
    *,
    rebuild: bool = False,
) -> None:
    """Build every kept unit into the store, replacing the old ones (dropped first; the
    new ones and their keys are written in one transaction).

    Each unit is built from the ones before it: a temp view under the unit's
    own name points at its kept table while the rest are built. ``progress`` is
    called with 1 as each unit is built.

    ``dm_tail_sql`` (the dm unit over the messages of :data:`TAIL_FILTER`) lets
    an import that only added newer messages to existing chats update the units
    instead (:func:`_append`); anything else rebuilds them all, as ``rebuild`` does.
    """
    with store.memory_limit(KEEP_MEMORY):
        try:
            if (
                not rebuild
                and dm_tail_sql is not None
                and _append(store, unit_sqls, features_sql, dm_tail_sql, progress)
            ):
                return
        except _RhythmChanged:
            pass  # rolled back: the new messages moved the pair's conversation gap
        _save(store, unit_sqls, features_sql, progress)


class _RhythmChanged(Exception):
    """An update found that the new messages change a pair's conversation gap."""


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
            _write_state(store, key, unit_sqls)
        finally:
            for name in (*reversed(KEPT), "features"):
                store.execute(f"DROP VIEW IF EXISTS temp.{name}")


def _append(
    store: Store,
    unit_sqls: dict[str, str],
    features_sql: str,
    dm_tail_sql: str,
    progress: Callable[[int], None] | None,
) -> bool:
    """Update the kept units after an import that only added newer messages; or say False.

    A newer export of a long chat adds a week to years: renumbering every
    message (the dm unit: two sorts of the whole history) to place a few
    hundred was most of an update's cost. Provably the same as a rebuild when:
    the code key matches; every message of the imports the units were made
    from, its features and every other table read are unchanged (the data key
    of those rows equals the kept one); the relationships (dyads) are the same;
    and every added message of a relationship comes after its newest kept one in
    dm's order (ts_ms, message_id). Then the dm rows before that newest one are
    unchanged; dm is numbered for it and the added messages only, its numbers
    continued from the kept ones and the flags that look back taken from the
    kept row; turns and relationships are redone from the last kept turn on,
    sessions from the last kept conversation's first stretch on; the units that
    aggregate over time (sleep windows, replies, silences, the monthly cells and
    their last-30-days flags) are rebuilt from the kept dm, which is cheap beside
    it. The tests compare the result with a rebuild.
    """
    if not store.columns(STATE_TABLE) or "max_import" not in store.columns(STATE_TABLE):
        return False
    rows = store.query(f"SELECT data_key, code_key, max_import FROM {STATE_TABLE}")
    if len(rows) != 1 or rows[0][1] != code_key(unit_sqls) or rows[0][2] is None:
        return False
    upto = int(rows[0][2])
    new_key = _updated_key(store, features_sql, str(rows[0][0]), upto)
    if new_key is None:
        return False
    changed = (
        store.query(
            f"SELECT count(*) FROM (({unit_sqls['dyads']}) EXCEPT ALL "
            f"(SELECT * FROM {table('dyads')}))"
        )[0][0]
        + store.query(
            f"SELECT count(*) FROM ((SELECT * FROM {table('dyads')}) EXCEPT ALL "
            f"({unit_sqls['dyads']}))"
        )[0][0]
    )
    if changed:
        return False
    flags = ", ".join(f"d.{c}" for c in _PREV_FLAGS)
    store.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _fondly_added AS
        SELECT m.message_id, d.other_id, m.ts_ms
        FROM messages m JOIN {table("dyads")} d ON d.conversation_id = m.conversation_id
        WHERE m.import_id > {upto}
        """
    )
    store.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _fondly_tails AS
        WITH touched AS (SELECT DISTINCT other_id FROM _fondly_added),
        newest AS (
            SELECT d.other_id, max(d.ts_ms) AS ts_ms
            FROM {table("dm")} d JOIN touched t ON t.other_id = d.other_id
            GROUP BY d.other_id
        ), last_row AS (
            SELECT d.other_id, max(d.message_id) AS message_id
            FROM {table("dm")} d JOIN newest n ON n.other_id = d.other_id AND n.ts_ms = d.ts_ms
            GROUP BY d.other_id
        )
        SELECT d.other_id, d.message_id, d.ts_ms, d.session_no, d.turn_no, {flags},
               coalesce(p.session_no, d.session_no) AS reply_session
        FROM {table("dm")} d
        JOIN last_row l ON l.other_id = d.other_id AND l.message_id = d.message_id
        -- a reply row is its bid's: the bid before the last kept turn may get a new reply
        LEFT JOIN {table("turns")} p ON p.other_id = d.other_id AND p.turn_no = d.turn_no - 1
        """
    )
    try:
        out_of_order = store.query(
            """
            SELECT count(*) FROM _fondly_added a LEFT JOIN _fondly_tails t USING (other_id)
            WHERE t.other_id IS NULL OR a.ts_ms < t.ts_ms
               OR (a.ts_ms = t.ts_ms AND a.message_id <= t.message_id)
            """
        )[0][0]
        if out_of_order:
            return False
        _update(store, unit_sqls, features_sql, dm_tail_sql, new_key, progress)
        return True
    finally:
        temps = ("_fondly_added", "_fondly_tails", "_fondly_tail_ids", "_fondly_dm_tail")
        temps_too = ("_fondly_conv_from", "_fondly_old_sleep", "_fondly_cells_from")
        for name in (*temps, *temps_too):
            store.execute(f"DROP TABLE IF EXISTS temp.{name}")


def _update(
    store: Store,
    unit_sqls: dict[str, str],
    features_sql: str,
    dm_tail_sql: str,
    key: str,
    progress: Callable[[int], None] | None,
) -> None:
    """The writes of :func:`_append`, in one transaction; ``key``: the new data key."""
    store.execute(
        "CREATE OR REPLACE TEMP TABLE _fondly_tail_ids AS "
        "SELECT message_id FROM _fondly_added UNION ALL SELECT message_id FROM _fondly_tails"
    )
    views = ["features", *KEPT]
    with store.transaction():
        store.execute(f"CREATE OR REPLACE TEMP VIEW features AS {features_sql}")
        try:
            store.execute(f"CREATE OR REPLACE TEMP VIEW dyads AS SELECT * FROM {table('dyads')}")
            _step(progress)
            store.execute(f"CREATE OR REPLACE TEMP TABLE _fondly_dm_tail AS {dm_tail_sql}")
            moved = store.query(
                f"SELECT count(*) FROM _fondly_dm_tail n JOIN {table('dm')} k "
                "ON k.message_id = n.message_id WHERE k.pair_gap_ms <> n.pair_gap_ms"
            )[0][0]
            if moved:  # every stretch of that relationship may split anew: rebuild
                raise _RhythmChanged
            columns = []
            for c in store.columns(table("dm")):
                if c in _PREV_FLAGS:
                    columns.append(
                        f"CASE WHEN n.message_id = t.message_id THEN t.{c} ELSE n.{c} END"
                    )
                elif c in ("session_no", "turn_no"):
                    columns.append(f"n.{c} + t.{c} - 1")
                else:
                    columns.append(f"n.{c}")
            store.execute(
                f"DELETE FROM {table('dm')} WHERE message_id IN "
                "(SELECT message_id FROM _fondly_tails)"
            )
            store.execute(
                f"INSERT INTO {table('dm')} SELECT {', '.join(columns)} "
                "FROM _fondly_dm_tail n JOIN _fondly_tails t ON t.other_id = n.other_id"
            )
            _step(progress)
            store.execute(_CONV_FROM_SQL.format(dm=table("dm"), sessions=table("sessions")))
            for name in ("relationships", "turns", "sessions"):
                if name == "sessions":
                    _update_sessions(store, unit_sqls[name])
                    _step(progress)
                    continue
                number = _BY_NUMBER[name]
                since = f"AND d.{number} >= t.{number}" if number else ""
                store.execute(
                    f"CREATE OR REPLACE TEMP VIEW dm AS SELECT d.* FROM {table('dm')} d "
                    f"JOIN _fondly_tails t ON t.other_id = d.other_id {since}"
                )
                since = f"AND k.{number} >= t.{number}" if number else ""
                store.execute(
                    f"DELETE FROM {table(name)} k USING _fondly_tails t "
                    f"WHERE k.other_id = t.other_id {since}"
                )
                store.execute(f"INSERT INTO {table(name)} {unit_sqls[name]}")
                _step(progress)
            for name in ("dm", "relationships", "turns", "sessions"):
                store.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {table(name)}")
            store.execute(f"CREATE OR REPLACE TEMP TABLE _fondly_old_sleep AS {select('sleep', 0)}")
            replies_updated = False
            for name in KEPT[KEPT.index("sessions") + 1 :]:
                if name in _CELLS and (name != "reply_cells" or replies_updated):
                    _update_cells(store, name, unit_sqls[name])
                elif name == "replies" and _same_rows(store, "_fondly_old_sleep", table("sleep")):
                    replies_updated = True
                    # Sleep windows unchanged: a reply row depends on its bid turn and the
                    # next, so only the rows from the bid before the last kept turn change.
                    store.execute(
                        "CREATE OR REPLACE TEMP VIEW turns AS SELECT k.* FROM "
                        f"{table('turns')} k JOIN _fondly_tails t ON t.other_id = k.other_id "
                        "AND k.session_no >= t.reply_session"
                    )
                    store.execute(
                        f"DELETE FROM {table(name)} k USING _fondly_tails t "
                        "WHERE k.other_id = t.other_id AND k.session_no >= t.reply_session"
                    )
                    store.execute(f"INSERT INTO {table(name)} {unit_sqls[name]}")
                    store.execute(f"CREATE OR REPLACE TEMP VIEW turns AS {select('turns', 0)}")
                else:
                    store.execute(f"DROP TABLE IF EXISTS {table(name)}")
                    store.execute(f"CREATE TABLE {table(name)} AS {unit_sqls[name]}")
                store.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {table(name)}")
                _step(progress)
            _write_state(store, key, unit_sqls)
        finally:
            for name in reversed(views):
                store.execute(f"DROP VIEW IF EXISTS temp.{name}")


_CELLS = {"volume": "dm", "style": "dm", "turn_cells": "turns", "reply_cells": "replies"}
"""The monthly cells and the unit each counts: an update redoes a touched relationship's
cells from the first month whose counts can change (:func:`_update_cells`)."""

_CELLS_FROM_SQL = f"""
SELECT t.other_id, min(u.month) AS month
FROM _fondly_tails t JOIN {{unit}} u ON u.other_id = t.other_id
WHERE {{changed}} OR u.{{when}} >= t.ts_ms - {RECENT_MS}
GROUP BY t.other_id
"""
"""Per touched relationship, the first month of a cell that can change: one holding a
row the update rewrote, or a row whose "last 30 days" flag can flip (the flag is
measured from the newest message, which was ``t.ts_ms`` and is now later)."""

_CELL_ROWS = {
    # unit: (rows rewritten by the update, the time the recent flag reads)
    "dm": ("u.ts_ms >= t.ts_ms", "ts_ms"),
    "turns": ("u.session_no >= t.session_no", "start_ms"),
    "replies": ("u.session_no >= t.reply_session", "bid_end_ms"),
}


def _update_cells(store: Store, name: str, sql: str) -> None:
    """Redo one cell unit's rows of the touched relationships from their first month that
    can change on (:data:`_CELLS_FROM_SQL`): a cell groups the rows of one month, so the
    rows of those months, read again, give the cells a rebuild gives; earlier cells keep
    their rows and flags. Double texting reads a whole stretch (is it one-sided?), so
    turns are read from the first stretch with a turn in those months."""
    unit = _CELLS[name]
    changed, when = _CELL_ROWS[unit]
    store.execute(
        "CREATE OR REPLACE TEMP TABLE _fondly_cells_from AS "
        + _CELLS_FROM_SQL.format(unit=table(unit), changed=changed, when=when)
    )
    if unit == "turns":
        rows = (
            f"SELECT k.* FROM {table(unit)} k JOIN (SELECT c.other_id, min(k.session_no) AS s "
            f"FROM _fondly_cells_from c JOIN {table(unit)} k ON k.other_id = c.other_id "
            "AND k.month >= c.month GROUP BY c.other_id) x "
            "ON x.other_id = k.other_id AND k.session_no >= x.s"
        )
    else:
        rows = (
            f"SELECT k.* FROM {table(unit)} k JOIN _fondly_cells_from c "
            "ON c.other_id = k.other_id AND k.month >= c.month"
        )
    store.execute(f"CREATE OR REPLACE TEMP VIEW {unit} AS {rows}")
    try:
        store.execute(
            f"DELETE FROM {table(name)} k USING _fondly_cells_from c "
            "WHERE k.other_id = c.other_id AND k.month >= c.month"
        )
        store.execute(
            f"INSERT INTO {table(name)} SELECT u.* FROM ({sql}) u "
            "JOIN _fondly_cells_from c ON c.other_id = u.other_id WHERE u.month >= c.month"
        )
    finally:
        store.execute(f"CREATE OR REPLACE TEMP VIEW {unit} AS SELECT * FROM {table(unit)}")


_CONV_FROM_SQL = """
CREATE OR REPLACE TEMP TABLE _fondly_conv_from AS
WITH last_conv AS (
    SELECT s.other_id, max(s.session_no) AS conv_no, arg_max(s.first_id, s.session_no) AS first_id
    FROM {sessions} s JOIN _fondly_tails t ON t.other_id = s.other_id
    GROUP BY s.other_id
)
-- a relationship whose last conversation cannot be placed is redone whole (1, every stretch)
SELECT t.other_id,
       CASE WHEN d.session_no IS NULL THEN 1 ELSE l.conv_no END AS conv_no,
       coalesce(d.session_no, -1) AS stretch_no
FROM _fondly_tails t
LEFT JOIN last_conv l ON l.other_id = t.other_id
LEFT JOIN {dm} d ON d.other_id = l.other_id AND d.message_id = l.first_id
"""
"""Per touched relationship, its last kept conversation: number and first stretch.

A rebuild gives that conversation's rows and every later one's from its first stretch
on alone, numbered from 1 instead of its number (docs/metrics.md, "Conversations"):
* whether a stretch opens a conversation depends on the stretch before it and the pause
  between them, never on what comes after, so the first stretch S of the last kept
  conversation still opens one, and every row before S stays as kept (the last of
  them ends where S opens);
* on its own, S opens (no stretch before it) and, if one person wrote it, is an anchor,
  so it is open; in the whole history it is open too: an open call S that opens a
  conversation follows a 48 h pause (an anchor), a finished exchange (an anchor) or a
  stretch that was not open, an odd number of alternations after its anchor, so S is
  an even number after it. Later stretches count alternations from the newest anchor,
  at S or after it, or from an older one at an even distance from S: the same parity.
A finished exchange S is never open either way and the next open call is an anchor."""


def _update_sessions(store: Store, sql: str) -> None:
    """Redo a touched relationship's conversations from its last kept one (_CONV_FROM_SQL)."""
    store.execute(
        f"CREATE OR REPLACE TEMP VIEW dm AS SELECT d.* FROM {table('dm')} d "
        "JOIN _fondly_conv_from c ON c.other_id = d.other_id AND d.session_no >= c.stretch_no"
    )
    store.execute(
        f"DELETE FROM {table('sessions')} k USING _fondly_conv_from c "
        "WHERE k.other_id = c.other_id AND k.session_no >= c.conv_no"
    )
    store.execute(
        f"INSERT INTO {table('sessions')} "
        "SELECT s.* REPLACE (s.session_no + c.conv_no - 1 AS session_no) "
        f"FROM ({sql}) s JOIN _fondly_conv_from c ON c.other_id = s.other_id"
    )


def _same_rows(store: Store, a: str, b: str) -> bool:
    """Whether two tables hold the same rows (as multisets)."""
    return not any(
        store.query(f"SELECT count(*) FROM (SELECT * FROM {x} EXCEPT ALL SELECT * FROM {y})")[0][0]
        for x, y in ((a, b), (b, a))
    )


def _step(progress: Callable[[int], None] | None) -> None:
    if progress:
        progress(1)


def _write_state(store: Store, key: str, unit_sqls: dict[str, str]) -> None:
    store.execute(f"DROP TABLE IF EXISTS {STATE_TABLE}")
    store.execute(
        f"CREATE TABLE {STATE_TABLE} AS SELECT ? AS data_key, ? AS code_key, "
        "(SELECT coalesce(max(import_id), 0) FROM messages) AS max_import",
        [key, code_key(unit_sqls)],
    )


def _columns(store: Store, sql: str) -> list[str]:
    return [d[0] for d in store.con.execute(f"SELECT * FROM ({sql}) LIMIT 0").description or []]


def _duckdb_version(store: Store) -> str:
    return str(store.query("SELECT version()")[0][0])
