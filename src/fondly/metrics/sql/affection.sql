-- metric: affection
-- name: Affection and assurance
-- practice: care
-- kind: share
-- grain: cell
-- unit: share of turns with love, endearment or assurance (C4)
-- direction: higher
-- min_n: 20
-- citation: Schade et al. 2013 (J Couple Relatsh Ther 12:314); Ogolsky & Bowers 2013 (JSPR 30:343)
-- description: "Love you", terms of endearment, "I'm here for you". Affectionate texting went
--   with higher satisfaction; ritual sign-offs count too, though they say less.
--
-- Counted once for many metrics in the unit turn_cells (n_affection, k_affection, ev_affection),
-- where the conditions are spelled out. n: turns whose affection was scored; k: turns with affection.
SELECT other_id, who, month, recent, n_affection AS n, k_affection AS k, ev_affection AS evidence_id
FROM turn_cells
WHERE n_affection > 0
