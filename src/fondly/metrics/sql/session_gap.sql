-- metric: session_gap
-- name: Time between conversations
-- practice: rhythm
-- kind: median
-- unit: median hours from the end of one conversation to the start of the next
-- direction: descriptive
-- min_n: 5
-- citation: Goh & Barabasi 2008 (EPL); Gilbert & Karahalios 2009 (CHI)
-- description: The pair's usual pause between conversations; the yardstick silences are
--   measured against.
WITH g AS (
    SELECT other_id, month, start_ms, first_id,
           start_ms - LAG(end_ms) OVER (PARTITION BY other_id ORDER BY session_no) AS gap_ms
    FROM sessions
)
SELECT other_id, 'pair' AS who, month, start_ms, CAST(gap_ms AS DOUBLE) / 3600000 AS num, 1.0 AS den,
       first_id AS evidence_id
FROM g
WHERE gap_ms IS NOT NULL
