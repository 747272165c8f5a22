-- metric: negative_share
-- name: Negative messages
-- practice: positivity
-- kind: share
-- grain: cell
-- unit: share of scored messages with VADER compound <= -0.05
-- direction: lower
-- min_n: 20
-- citation: Hutto & Gilbert 2014 (ICWSM); Gottman & Levenson 1992 (JPSP 63)
-- description: How much of what each of you writes reads as negative, about anything. Venting
--   about a bad day is negative but not hostile; see negativity and hostility for that.
--
-- Counted in the unit volume (n_scored, k_negative, ev_negative): messages with a sentiment
-- score, and those scored <= -0.05; evidence is a message at <= -0.5.
SELECT other_id, who, month, recent, n_scored AS n, k_negative AS k, ev_negative AS evidence_id
FROM volume
WHERE who <> 'pair' AND n_scored > 0
