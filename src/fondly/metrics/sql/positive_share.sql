-- metric: positive_share
-- name: Positive messages
-- practice: positivity
-- kind: share
-- grain: cell
-- unit: share of scored messages with VADER compound >= 0.05
-- direction: higher
-- min_n: 20
-- citation: Hutto & Gilbert 2014 (ICWSM); Ogolsky & Bowers 2013 (JSPR 30:343)
-- description: How much of what each of you writes reads as positive. Messages in languages
--   the sentiment lexicon cannot read are left out.
--
-- Counted in the unit volume (n_scored, k_positive, ev_positive): messages with a sentiment
-- score, and those scored >= 0.05; evidence is a message at >= 0.5.
SELECT other_id, who, month, recent, n_scored AS n, k_positive AS k, ev_positive AS evidence_id
FROM volume
WHERE who <> 'pair' AND n_scored > 0
