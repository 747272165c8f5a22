-- unit: silences
-- Silence episodes (section 1 and 10): a gap between sessions of at least
-- S = max(48 h, 90th percentile of this pair's session gaps over the 180 days
-- before it). Silence is judged against the pair's own rhythm (Kalman &
-- Rafaeli 2011), so a weekly-texting pair does not "go silent" every week.
-- Only gaps of 48 h or more can qualify, which keeps the trailing-window join small.
-- A re-entry session in which the other person wrote nothing counts as no
-- missing language (they said nothing), not as "not scored".
WITH gaps AS (
    SELECT other_id, session_no, month, start_ms, initiator, first_id,
           words_them, turns_them, them_missing_raw, them_missing_scored, first_them_turn,
           LAG(end_ms) OVER (PARTITION BY other_id ORDER BY session_no) AS prev_end_ms,
           LAG(last_who) OVER (PARTITION BY other_id ORDER BY session_no) AS prev_last_who,
           start_ms - LAG(end_ms) OVER (PARTITION BY other_id ORDER BY session_no) AS gap_ms
    FROM sessions
), candidates AS (
    SELECT * FROM gaps WHERE gap_ms >= 172800000
), norms AS (
    SELECT c.other_id, c.session_no, quantile_cont(g.gap_ms, 0.9) AS p90_ms
    FROM candidates c
    JOIN gaps g ON g.other_id = c.other_id
               AND g.start_ms <= c.prev_end_ms
               AND g.start_ms >= c.prev_end_ms - 15552000000
               AND g.gap_ms IS NOT NULL
    GROUP BY c.other_id, c.session_no
), typical AS (
    SELECT other_id, median(words_them) AS median_words_them
    FROM sessions WHERE turns_them > 0
    GROUP BY other_id
)
SELECT c.other_id, c.session_no, c.month, c.start_ms, c.gap_ms,
       CAST(greatest(172800000, coalesce(n.p90_ms, 0)) AS DOUBLE) AS s_ms,
       c.prev_last_who AS last_who, c.initiator AS breaker, c.first_id,
       c.words_them, ty.median_words_them,
       CASE WHEN c.turns_them = 0 THEN 0
            WHEN c.them_missing_scored IS NULL THEN NULL
            WHEN c.them_missing_raw > 0 THEN 1 ELSE 0 END AS them_missing,
       t.sentiment AS them_first_sentiment, t.affection AS them_first_affection,
       t.first_id AS them_first_id
FROM candidates c
LEFT JOIN norms n ON n.other_id = c.other_id AND n.session_no = c.session_no
LEFT JOIN typical ty ON ty.other_id = c.other_id
LEFT JOIN turns t ON t.other_id = c.other_id AND t.turn_no = c.first_them_turn
WHERE c.gap_ms >= greatest(172800000, coalesce(n.p90_ms, 0))
