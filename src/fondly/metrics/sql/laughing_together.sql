-- metric: laughing_together
-- name: Laughing together
-- practice: shared
-- kind: share
-- unit: share of the other's laughing turns you laugh along with within 3 turns (M4 episodes)
-- direction: higher
-- min_n: 5
-- citation: Kurtz & Algoe 2015 (Pers Relationships 22:573); Bazzini et al. 2007 (Motiv Emot 31:25)
-- description: When one of you laughs, does the other laugh too? Both laughing within a few
--   turns is the text trace of shared laughter, which went with relationship quality more than
--   laughing alone did. Laughter tokens are a noisy proxy ("lol" often just softens).
--
-- A mutual-laughter episode (psychology.md M4): a laughing turn followed, within the next 3
-- turns, by a laughing turn of the other person. Turn numbers are consecutive, so "within 3
-- turns" is three equality joins (as in disclosure_reciprocity). Credited to the one who
-- laughs along, like the other reply shares.
WITH laughs AS (
    SELECT other_id, turn_no, who, month, start_ms, first_id
    FROM turns WHERE laughter = 1
), laugh_steps AS (
    SELECT 1 AS k UNION ALL SELECT 2 AS k UNION ALL SELECT 3 AS k
), along_turns AS (
    -- the wanted turn numbers as a column first (see disclosure_reciprocity)
    SELECT l.other_id, l.turn_no, l.who, l.turn_no + s.k AS along_no
    FROM laughs l
    CROSS JOIN laugh_steps s
), joined AS (
    SELECT w.other_id, w.turn_no, min(r.first_id) AS along_id
    FROM along_turns w
    JOIN laughs r ON r.other_id = w.other_id AND r.turn_no = w.along_no
                 AND r.who <> w.who
    GROUP BY w.other_id, w.turn_no
)
SELECT l.other_id, CASE WHEN l.who = 'me' THEN 'them' ELSE 'me' END AS who, l.month,
       l.start_ms, CAST(CASE WHEN j.along_id IS NULL THEN 0 ELSE 1 END AS DOUBLE) AS num,
       1.0 AS den, j.along_id AS evidence_id
FROM laughs l
LEFT JOIN joined j ON j.other_id = l.other_id AND j.turn_no = l.turn_no
