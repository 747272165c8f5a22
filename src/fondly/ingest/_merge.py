"""The merge: staged rows get their ids and instants in SQL, and only new ones are inserted.

Stable ids, the UTC instant, the wall clock and the zone offset are computed in one
pass over the staged rows; only messages whose id the store lacks are inserted, so the
same file twice adds nothing and a newer export of a chat adds only what is new.
"""

from __future__ import annotations

from fondly.store import Store

# The staged rows with their instant and wall clock, one SELECT shared by the
# statements below (``$1``, the zone, is bound by each). Cheap to recompute, so it is
# never materialised: a million-row temp table costs more than a second scan.
_TIMED = """
    SELECT st.conv, st.seq, st.sender, st.kind, st.media_type, st.text, st.edited,
           st.reply_to, st.source_id, c.conversation_id, c.platform, c.conv_key,
           coalesce(st.ts_ms, epoch_ms(timezone($1, st.ts_local))) AS utc_ms,
           coalesce(st.ts_local, timezone($1, make_timestamptz(st.ts_ms * 1000))) AS local_ts,
           h.handle_id
    FROM {stage} st JOIN stage_convs c USING (conv)
    LEFT JOIN handles h ON h.platform = c.platform AND h.handle = st.sender
"""
_TWIN_HASH = "hash(conv, sender, local_ts, kind, text)"

# The ``occurrence`` that tells identical bubbles apart is a window over
# (sender, time, kind, text). Only rows whose hash has a twin need it, so it is
# computed for those alone, into a small table; every other row is occurrence 1.
_OCCURRENCES = f"""
    CREATE OR REPLACE TEMP TABLE stage_occurrences AS
    WITH h AS (SELECT *, {_TWIN_HASH} AS twin_hash FROM ({_TIMED}))
    SELECT conv, seq,
           row_number() OVER (
               PARTITION BY conv, sender, local_ts, kind, text ORDER BY seq
           ) AS occurrence
    FROM h
    WHERE twin_hash IN (SELECT twin_hash FROM h GROUP BY twin_hash HAVING count(*) > 1)
"""


def _ready_sql(*, reacted_only: bool = False) -> str:
    """The staged rows with their message ids, as one SELECT over ``_TIMED``.

    The id hashes the wall clock as integer microseconds, which is cheaper
    than formatting it and just as stable.
    """
    keep = (
        "WHERE (t.conv, t.seq) IN (SELECT conv, seq FROM stage_reactions)" if reacted_only else ""
    )
    occurred = f"""
        SELECT t.*, coalesce(o.occurrence, 1) AS occurrence FROM ({_TIMED}) t
        LEFT JOIN stage_occurrences o ON o.conv = t.conv AND o.seq = t.seq
        {keep}
    """
    return f"""
        SELECT
            CASE WHEN source_id IS NOT NULL
                 THEN md5(concat_ws(chr(31), platform, conv_key, 'id', source_id))
                 ELSE md5(concat_ws(chr(31), platform, conv_key, coalesce(sender, ''),
                                    epoch_us(local_ts)::TEXT, kind,
                                    coalesce(text, ''), occurrence::TEXT))
            END AS message_id,
            conversation_id, platform, conv, seq, sender, handle_id, utc_ms AS ts_ms,
            local_ts AS ts_local,
            ((epoch_ms(local_ts) - utc_ms) // 60000)::SMALLINT AS tz_offset_min,
            kind, media_type, text, coalesce(edited, FALSE) AS edited,
            CASE WHEN reply_to IS NOT NULL
                 THEN md5(concat_ws(chr(31), platform, conv_key, 'id', reply_to)) END AS reply_to,
            source_id
        FROM ({occurred}) k
    """


def _merge_stage(store: Store, import_id: int, tz: str, stage: str = "stage_messages") -> int:
    """Give staged messages ids and instants, insert the new ones, return how many.

    ``stage`` is the relation holding the staged messages (see
    ``_StageWriter.source``). Written for a million staged rows: one
    INSERT ... SELECT straight from the staged rows (no intermediate tables,
    which cost time and memory). The twin window only runs over rows whose
    hash shows a twin, and the final "first row per message id" only when two
    rows can share an id at all (a repeated platform id, or one chat staged
    twice). Both give the same ids
    and rows as computing them everywhere.
    """

    def on_stage(sql: str) -> str:
        return sql.replace("{stage}", stage)

    before = store.query("SELECT count(*) FROM messages")[0][0]
    store.execute(on_stage(_OCCURRENCES), [tz])
    shared_ids = store.query(
        on_stage("""
        SELECT EXISTS (SELECT 1 FROM stage_convs GROUP BY platform, conv_key HAVING count(*) > 1)
            OR EXISTS (SELECT 1 FROM {stage} WHERE source_id IS NOT NULL
                       GROUP BY conv, source_id HAVING count(*) > 1)
        """)
    )[0][0]
    first_per_id = (
        "QUALIFY row_number() OVER (PARTITION BY r.message_id ORDER BY r.seq) = 1"
        if shared_ids
        else ""
    )
    store.execute(
        on_stage(f"""
        INSERT INTO messages
        SELECT r.message_id, r.conversation_id, r.handle_id, r.ts_ms, r.ts_local,
               r.tz_offset_min, r.seq, r.kind, r.media_type, r.text, r.edited, r.reply_to,
               r.source_id, $2
        FROM ({_ready_sql()}) r
        WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.message_id = r.message_id)
        {first_per_id}
        """),
        [tz, import_id],
    )
    if store.query("SELECT count(*) FROM stage_reactions")[0][0]:
        store.execute(
            on_stage(f"""
            INSERT INTO reactions
            SELECT DISTINCT r.message_id, h.handle_id, sr.reaction, $2
            FROM stage_reactions sr
            JOIN ({_ready_sql(reacted_only=True)}) r
              ON r.conv = sr.conv AND r.seq = sr.seq
            JOIN handles h ON h.platform = r.platform AND h.handle = sr.sender
            WHERE NOT EXISTS (
                SELECT 1 FROM reactions x
                WHERE x.message_id = r.message_id AND x.handle_id = h.handle_id
                  AND x.reaction = sr.reaction
            )
            """),
            [tz, import_id],
        )
    store.execute("DROP TABLE stage_occurrences")
    after: int = store.query("SELECT count(*) FROM messages")[0][0]
    return after - before
