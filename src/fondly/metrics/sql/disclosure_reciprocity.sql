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
    SELECT other_id, turn_no, who, month, start_ms FROM turns WHERE disclosure_any = 1
), answered AS (
    SELECT d.other_id, d.turn_no,
           max(CASE WHEN r.turn_no IS NOT NULL THEN 1 ELSE 0 END) AS reciprocated,
           min(r.first_id) AS reply_id
    FROM disclosures d
    LEFT JOIN turns r ON r.other_id = d.other_id AND r.turn_no > d.turn_no
                     AND r.turn_no <= d.turn_no + 3 AND r.who <> d.who AND r.disclosure_any = 1
    GROUP BY d.other_id, d.turn_no
)
SELECT d.other_id, CASE WHEN d.who = 'me' THEN 'them' ELSE 'me' END AS who, d.month,
       d.start_ms, CAST(a.reciprocated AS DOUBLE) AS num, 1.0 AS den, a.reply_id AS evidence_id
FROM disclosures d
JOIN answered a ON a.other_id = d.other_id AND a.turn_no = d.turn_no
