-- unit: sessions
-- One row per conversation, as people mean the word (docs/metrics.md, "Conversations").
-- Messages first fall into stretches: runs with no pause of `gap` (default 2 h) or more
-- (dm.session_no). A stretch in which only one person wrote is an open call, not a
-- finished conversation: whatever comes next within 48 h (the floor of a silence, see
-- silences) continues it, either as the other person's slow reply or as the same
-- person writing again. So "you around?", "??" and a reply six hours later are one
-- conversation started by the one who asked, and an overnight answer to a question
-- sent at midnight is a reply, not a new conversation by the one who slept. A stretch
-- both people wrote in is a finished exchange: the next stretch starts a new
-- conversation. Pauses of 48 h or more always start one, so silences and the missing
-- index see the same episodes under any gap.
-- One row per conversation: who opened it, who spoke last, how much each person wrote,
-- and each person's first turn.
WITH stretches AS (
    SELECT other_id, session_no AS stretch_no,
           min(month) AS month,
           min(ts_ms) AS start_ms,
           max(ts_ms) AS end_ms,
           max(CASE WHEN new_session = 1 THEN who END) AS opener,
           max(CASE WHEN ends_session = 1 THEN who END) AS closer,
           max(CASE WHEN new_session = 1 THEN message_id END) AS first_id,
           min(local_ms) AS start_local_ms,
           count(*) AS n_msgs,
           sum(CASE WHEN who = 'me' THEN 1 ELSE 0 END) AS msgs_me,
           sum(CASE WHEN who = 'them' THEN 1 ELSE 0 END) AS msgs_them,
           sum(CASE WHEN who = 'me' THEN words ELSE 0 END) AS words_me,
           sum(CASE WHEN who = 'them' THEN words ELSE 0 END) AS words_them,
           sum(CASE WHEN who = 'me' AND new_turn = 1 THEN 1 ELSE 0 END) AS turns_me,
           sum(CASE WHEN who = 'them' AND new_turn = 1 THEN 1 ELSE 0 END) AS turns_them,
           max(disclosure_emotional) AS any_emotional,
           max(future_talk) AS any_future,
           max(CASE WHEN who = 'them' THEN coalesce(missing, 0) + coalesce(reminder, 0) END)
               AS them_missing_raw,
           max(CASE WHEN who = 'them' THEN missing END) AS them_missing_scored,
           min(CASE WHEN who = 'them' THEN turn_no END) AS first_them_turn,
           min(CASE WHEN who = 'me' THEN turn_no END) AS first_me_turn
    FROM dm
    GROUP BY other_id, session_no
), linked AS (
    SELECT stretches.*,
           CASE WHEN msgs_me = 0 OR msgs_them = 0 THEN 1 ELSE 0 END AS one_sided,
           start_ms - LAG(end_ms) OVER (PARTITION BY other_id ORDER BY stretch_no) AS gap_ms,
           LAG(CASE WHEN msgs_me = 0 OR msgs_them = 0 THEN 1 ELSE 0 END)
               OVER (PARTITION BY other_id ORDER BY stretch_no) AS prev_one_sided,
           LAG(opener) OVER (PARTITION BY other_id ORDER BY stretch_no) AS prev_opener
    FROM stretches
), anchored AS (
    -- An anchor is a one-sided stretch that is open whatever came before: the first of
    -- a chain of one-sided stretches, or the same person writing again (a chase of their
    -- own open call, or a fresh call after the other's reply closed the last one).
    SELECT linked.*,
           CASE WHEN one_sided = 1
                     AND (gap_ms IS NULL OR gap_ms >= 172800000 OR prev_one_sided = 0
                          OR prev_opener = opener)
                THEN stretch_no END AS anchor_no
    FROM linked
), opened AS (
    -- Between anchors the writers alternate, each stretch answering the one before:
    -- answers close a call and the next stretch opens a new one, so a stretch is open
    -- when an even number of alternations separates it from its anchor.
    SELECT anchored.*,
           CASE WHEN one_sided = 1
                     AND (stretch_no - max(anchor_no) OVER (
                              PARTITION BY other_id ORDER BY stretch_no
                              ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) % 2 = 0
                THEN 1 ELSE 0 END AS is_open
    FROM anchored
), flagged AS (
    SELECT opened.*,
           CASE WHEN gap_ms IS NULL OR gap_ms >= 172800000
                     OR LAG(is_open) OVER (PARTITION BY other_id ORDER BY stretch_no) = 0
                THEN 1 ELSE 0 END AS opens
    FROM opened
), ended AS (
    SELECT flagged.*,
           CASE WHEN LEAD(opens) OVER (PARTITION BY other_id ORDER BY stretch_no) IS NULL
                     OR LEAD(opens) OVER (PARTITION BY other_id ORDER BY stretch_no) = 1
                THEN 1 ELSE 0 END AS closes,
           SUM(opens) OVER (PARTITION BY other_id ORDER BY stretch_no
                            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS conv_no
    FROM flagged
)
SELECT other_id, CAST(conv_no AS BIGINT) AS session_no,
       min(month) AS month,
       min(start_ms) AS start_ms,
       max(end_ms) AS end_ms,
       max(CASE WHEN opens = 1 THEN opener END) AS initiator,
       max(CASE WHEN closes = 1 THEN closer END) AS last_who,
       max(CASE WHEN opens = 1 THEN first_id END) AS first_id,
       min(start_local_ms) AS start_local_ms,
       sum(n_msgs) AS n_msgs,
       sum(msgs_me) AS msgs_me,
       sum(msgs_them) AS msgs_them,
       sum(words_me) AS words_me,
       sum(words_them) AS words_them,
       sum(turns_me) AS turns_me,
       sum(turns_them) AS turns_them,
       max(any_emotional) AS any_emotional,
       max(any_future) AS any_future,
       max(them_missing_raw) AS them_missing_raw,
       max(them_missing_scored) AS them_missing_scored,
       min(first_them_turn) AS first_them_turn,
       min(first_me_turn) AS first_me_turn
FROM ended
GROUP BY other_id, conv_no
