"""The rows that need scoring: messages with no features yet, and stale columns.

Both read what they score from the store, score it (:mod:`._scoring`) and write it
back in one statement; :func:`fondly.features._update.update_store` runs them inside
its transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

from fondly.features import registry
from fondly.features._scoring import Progress, features_for

if TYPE_CHECKING:
    from fondly.store import Store


_UNSCORED_SQL = (
    "SELECT m.message_id, m.kind, m.text FROM messages m "
    "WHERE NOT EXISTS (SELECT 1 FROM message_features f WHERE f.message_id = m.message_id)"
)

_UNSCORED_SINCE_SQL = """
WITH newer AS (SELECT message_id, kind, text FROM messages WHERE import_id >= {since}),
scored AS (
    SELECT message_id FROM message_features
    WHERE message_id IN (SELECT message_id FROM newer)
)
SELECT n.message_id, n.kind, n.text FROM newer n
WHERE NOT EXISTS (SELECT 1 FROM scored s WHERE s.message_id = n.message_id)
"""


def unscored(store: Store) -> pa.Table:
    """Messages with no features row yet (id, kind, text), looked for where they are.

    Matching every message against every features row (a million string ids on
    each side) cost more than scoring the week a newer export adds. fondly writes
    one features row per message it scores and forgets both together, so the
    messages lacking one number as many as messages exceed features rows, and they
    are those of the latest imports: the newest imports holding that many messages
    are searched first (their ids against the features rows, a cheap probe), and
    every message only when fewer turn up there.
    """
    n_messages, n_features = store.query(
        "SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM message_features)"
    )[0]
    missing = int(n_messages) - int(n_features)
    if missing == 0:
        return pa.table(
            {
                "message_id": pa.array([], pa.string()),
                "kind": pa.array([], pa.string()),
                "text": pa.array([], pa.string()),
            }
        )
    if missing > 0:
        counts = store.query(
            "SELECT import_id, count(*) FROM messages GROUP BY import_id ORDER BY import_id DESC"
        )
        covered = 0
        for at, (import_id, n) in enumerate(counts):
            covered += int(n)
            if covered >= missing:
                if at < len(counts) - 1:  # not every import: worth the shortcut
                    rows = store.arrow(_UNSCORED_SINCE_SQL.format(since=int(import_id)))
                    if rows.num_rows == missing:
                        return rows
                break
    return store.arrow(_UNSCORED_SQL)


def insert_missing(
    store: Store, names: list[str], progress: Progress | None, expect: Progress | None = None
) -> int:
    """Score the messages that have no features row and insert their rows; how many."""
    rows = unscored(store)
    if rows.num_rows == 0:
        return 0
    if expect:
        expect(rows.num_rows)
    cols = features_for(
        rows["kind"].combine_chunks(), rows["text"].combine_chunks(), names, progress
    )
    table = pa.table({"message_id": rows["message_id"], **cols})
    columns = ", ".join(cols)
    store.register("_fondly_new_features", table)
    try:
        store.execute(
            f"INSERT INTO message_features (message_id, {columns}) "
            f"SELECT message_id, {columns} FROM _fondly_new_features"
        )
    finally:
        store.unregister("_fondly_new_features")
    return rows.num_rows


def recompute(
    store: Store,
    stale: set[str],
    contextual: set[str],
    progress: Progress | None,
    expect: Progress | None = None,
) -> int:
    """Recompute stale per-text features; reset stale contextual ones to NULL for their pass."""
    rows = store.arrow(
        "SELECT f.message_id, m.kind, m.text FROM message_features f "
        "JOIN messages m ON m.message_id = f.message_id"
    )
    per_text = [n for n in stale if n not in contextual]
    if per_text and rows.num_rows:
        if expect:
            expect(rows.num_rows)
        cols = features_for(
            rows["kind"].combine_chunks(), rows["text"].combine_chunks(), per_text, progress
        )
        table = pa.table({"message_id": rows["message_id"], **cols})
        sets = ", ".join(f"{c} = s.{c}" for c in cols)
        store.register("_fondly_stale_features", table)
        try:
            store.execute(
                f"UPDATE message_features SET {sets} FROM _fondly_stale_features s "
                "WHERE message_features.message_id = s.message_id"
            )
        finally:
            store.unregister("_fondly_stale_features")
    for name in sorted(stale & contextual):
        resets = ", ".join(f"{c} = NULL" for c in registry.BY_NAME[name].columns)
        store.execute(f"UPDATE message_features SET {resets}")
    return int(rows.num_rows)
