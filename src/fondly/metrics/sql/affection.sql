-- metric: affection
-- name: Affection and assurance
-- practice: care
-- kind: share
-- unit: share of turns with love, endearment or assurance (C4)
-- direction: higher
-- min_n: 20
-- citation: Schade et al. 2013 (J Couple Relatsh Ther 12:314); Ogolsky & Bowers 2013 (JSPR 30:343)
-- description: "Love you", terms of endearment, "I'm here for you". Affectionate texting went
--   with higher satisfaction; ritual sign-offs count too, though they say less.
SELECT other_id, who, month, start_ms,
       CAST(affection AS DOUBLE) AS num, 1.0 AS den,
       CASE WHEN affection = 1 THEN first_id END AS evidence_id
FROM turns
WHERE affection IS NOT NULL
