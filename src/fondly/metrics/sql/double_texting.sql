-- metric: double_texting
-- name: Double texting
-- practice: rhythm
-- kind: share
-- unit: share of a person's turns followed by another turn of theirs with no reply in between (D5)
-- direction: descriptive
-- min_n: 20
-- citation: Ohadi et al. 2018 (Comput Hum Behav); psychology.md D5/S4
-- description: Writing again (10 minutes or more later) before the other has answered. Used to
--   suggest giving room, never as a tactic.
WITH ordered AS (
    SELECT other_id, who, month, start_ms, first_id,
           LEAD(who) OVER (PARTITION BY other_id ORDER BY turn_no) AS next_who,
           LEAD(first_id) OVER (PARTITION BY other_id ORDER BY turn_no) AS next_id
    FROM turns
)
SELECT other_id, who, month, start_ms,
       CASE WHEN next_who = who THEN 1.0 ELSE 0.0 END AS num, 1.0 AS den,
       CASE WHEN next_who = who THEN next_id END AS evidence_id
FROM ordered
WHERE next_who IS NOT NULL
