-- unit: dm
-- Every message of every relationship, in time order, numbered into turns and
-- sessions (psychology.md section 1). A turn is a run of one person's bubbles
-- less than 10 minutes apart (texting splits one utterance over several
-- bubbles); a session is a run of messages with no silence of the pair's gap or more:
-- `gap` (default 2 h), or for a pair that answers slowly three times its median
-- answer (a message answering the other's within 12 h), at most 8 h (docs/metrics.md,
-- "Conversations": a pair who answer every three hours hold one conversation a day,
-- not one per answer).
-- Sessions are also numbered at 30 min and 6 h so the sensitivity the brief
-- asks for is one query away. Durations use ts_ms only; `local_ms` is the
-- sender's wall clock (ts_local) as epoch-ms, used only for hour/day buckets.
-- Neighbours (LAG/LEAD) come from one window pass and the running numbers from
-- a second: each pass is a sort of every message, the costliest step here, so
-- both run over the few columns they need and the ~25 feature columns are
-- joined on afterwards (a sort moves every column it carries).
-- `dm_messages` is the messages table, or (fondly.metrics.kept, after an
-- import that only added newer messages) the few it numbers anew.
-- A turn's last bubble also notes who wrote the next turn and its first message
-- (next_turn_who, next_turn_id, next_turn_ms), so that no metric needs a window over
-- turns for it. `session_no` numbers stretches (no pause of `gap`); the sessions unit
-- joins stretches into conversations.
WITH base AS (
    SELECT m.message_id, d.other_id, m.ts_ms, m.ts_local, m.tz_offset_min,
           CASE WHEN h.person_id = {{me_id}} THEN 'me' ELSE 'them' END AS who,
           CASE WHEN m.reply_to IS NOT NULL THEN 1 ELSE 0 END AS has_reply_link,
           CASE WHEN m.text IS NULL OR length(trim(m.text)) = 0 THEN 0
                ELSE length(trim(m.text)) - length(replace(trim(m.text), ' ', '')) + 1
           END AS text_words
    FROM {{dm_messages}} m
    JOIN dyads d ON d.conversation_id = m.conversation_id
    JOIN handles h ON h.handle_id = m.handle_id
    WHERE h.person_id = {{me_id}} OR h.person_id = d.other_id
), lagged AS (
    SELECT base.*,
           LAG(ts_ms) OVER (PARTITION BY other_id ORDER BY ts_ms, message_id) AS prev_ms,
           LAG(who) OVER (PARTITION BY other_id ORDER BY ts_ms, message_id) AS prev_who,
           LEAD(ts_ms) OVER (PARTITION BY other_id ORDER BY ts_ms, message_id) AS next_ms,
           LEAD(who) OVER (PARTITION BY other_id ORDER BY ts_ms, message_id) AS next_who,
           LEAD(message_id) OVER (PARTITION BY other_id ORDER BY ts_ms, message_id) AS next_id
    FROM base
), answers AS (
    -- How long each person takes to answer the other (under 12 h). When the units a
    -- store keeps are updated after an import, the answers saved with them join these,
    -- so the pair's gap is read from the whole history, not from the messages renumbered.
    SELECT other_id, ts_ms - prev_ms AS answer_ms
    FROM lagged
    WHERE prev_who <> who AND ts_ms - prev_ms < 43200000
    {{kept_answers}}
), rhythm AS (
    -- In half-hour steps: a week more of a long chat moves a median by seconds, and a
    -- gap that stays put lets the kept units be updated instead of rebuilt.
    SELECT other_id,
           greatest({{gap_ms}}, least(28800000,
               CAST(round(3 * quantile_cont(answer_ms, 0.5) / 1800000) AS BIGINT) * 1800000))
               AS pair_gap_ms
    FROM answers
    GROUP BY other_id
), paced AS (
    SELECT lagged.*, coalesce(r.pair_gap_ms, {{gap_ms}}) AS pair_gap_ms
    FROM lagged LEFT JOIN rhythm r ON r.other_id = lagged.other_id
), flagged AS (
    SELECT paced.*,
           CASE WHEN prev_ms IS NULL OR ts_ms - prev_ms >= pair_gap_ms THEN 1 ELSE 0 END AS new_session,
           CASE WHEN prev_ms IS NULL OR ts_ms - prev_ms >= 1800000 THEN 1 ELSE 0 END AS new_session_30m,
           CASE WHEN prev_ms IS NULL OR ts_ms - prev_ms >= 21600000 THEN 1 ELSE 0 END AS new_session_6h,
           CASE WHEN prev_ms IS NULL OR prev_who <> who OR ts_ms - prev_ms >= {{turn_gap_ms}}
                THEN 1 ELSE 0 END AS new_turn,
           CASE WHEN next_ms IS NULL OR next_who <> who OR next_ms - ts_ms >= {{turn_gap_ms}}
                THEN 1 ELSE 0 END AS ends_turn,
           CASE WHEN next_ms IS NULL OR next_ms - ts_ms >= pair_gap_ms THEN 1 ELSE 0 END
               AS ends_session
    FROM paced
), counted AS (
    -- Both running counts from one windowed sum: sessions in the high bits, turns
    -- in the low 32 (exact in a double below 2^53, far beyond any chat). A
    -- running SUM costs as much again as the sort, so one is half the price of two.
    SELECT flagged.*,
           SUM(CAST(new_session * 4294967296 + new_turn AS DOUBLE))
               OVER (PARTITION BY other_id ORDER BY ts_ms, message_id
                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS counts
    FROM flagged
), numbered AS (
    SELECT counted.*,
           CAST(FLOOR(counts / 4294967296) AS BIGINT) AS session_no,
           CAST(counts - FLOOR(counts / 4294967296) * 4294967296 AS BIGINT) AS turn_no
    FROM counted
)
SELECT n.message_id, n.other_id, n.ts_ms, n.ts_local,
       n.ts_ms + CAST(n.tz_offset_min AS BIGINT) * 60000 AS local_ms,
       n.who, strftime(n.ts_local, '%Y-%m') AS month, n.has_reply_link,
       coalesce(f.n_words, n.text_words) AS words,
       {{feature_columns}},
       n.new_session, n.new_session_30m, n.new_session_6h, n.new_turn, n.ends_turn,
       n.ends_session, n.session_no, n.turn_no, n.pair_gap_ms,
       CASE WHEN n.prev_who <> n.who AND n.ts_ms - n.prev_ms < 43200000
            THEN n.ts_ms - n.prev_ms END AS answer_gap_ms,
       CASE WHEN n.ends_turn = 1 THEN n.next_who END AS next_turn_who,
       CASE WHEN n.ends_turn = 1 THEN n.next_id END AS next_turn_id,
       CASE WHEN n.ends_turn = 1 THEN n.next_ms END AS next_turn_ms
FROM numbered n
LEFT JOIN features f ON f.message_id = n.message_id
