-- metric: disclosure_reciprocity
-- name: Disclosure reciprocity
-- practice: disclosure
-- kind: share
-- unit: share of the other's disclosures you answer with one of your own within 3 turns (D2)
-- direction: higher
-- min_n: 5
-- citation: Sprecher et al. 2013 (JESP 49:860); Laurenceau et al. 1998 (JPSP 74:1238)
-- description: When one of you shares something personal, does the other share back soon?
--   Turn-taking disclosure produced more liking and closeness than one-sided disclosure.
WITH disclosures AS (
    SELECT other_id, turn_no, who, month, start_ms, first_id
    FROM turns WHERE disclosure_any = 1
), reply_steps AS (
    SELECT 1 AS k UNION ALL SELECT 2 AS k UNION ALL SELECT 3 AS k
), reply_turns AS (
    -- turn numbers are consecutive, so "within 3 turns" is three equality joins
    -- (a range join here cost more than the rest of the metric). The wanted turn
    -- numbers are columns before the join: with "d.turn_no + s.k" in the join
    -- condition DuckDB 1.5.5 joined on other_id alone and filtered after, which
    -- is quadratic in one relationship (12 s at 100k messages, 20 min at 1M).
    SELECT d.other_id, d.turn_no, d.who, d.turn_no + s.k AS reply_no
    FROM disclosures d
    CROSS JOIN reply_steps s
), answered AS (
    SELECT w.other_id, w.turn_no, min(r.first_id) AS reply_id
    FROM reply_turns w
    JOIN disclosures r ON r.other_id = w.other_id AND r.turn_no = w.reply_no
                      AND r.who <> w.who
    GROUP BY w.other_id, w.turn_no
)
SELECT d.other_id, CASE WHEN d.who = 'me' THEN 'them' ELSE 'me' END AS who, d.month,
       d.start_ms, CAST(CASE WHEN a.reply_id IS NULL THEN 0 ELSE 1 END AS DOUBLE) AS num, 1.0 AS den,
       a.reply_id AS evidence_id
FROM disclosures d
LEFT JOIN answered a ON a.other_id = d.other_id AND a.turn_no = d.turn_no
