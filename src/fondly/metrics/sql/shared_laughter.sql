-- metric: shared_laughter
-- name: Shared laughter
-- practice: shared
-- kind: share
-- grain: cell
-- unit: share of replies that laugh at the other's turn (M4)
-- direction: higher
-- min_n: 5
-- citation: Kurtz & Algoe 2015 (Pers Relationships); Hall 2017 (Pers Relationships, meta-analysis)
-- description: Laughing with each other; shared humour has the largest humour-satisfaction
--   association. "lol" is often a softener, so this is a noisy proxy.
--
-- Counted once for many metrics in the unit reply_cells (n_laughter, k_laughter, ev_laughter),
-- where the conditions are spelled out. n: replies whose laughter was scored; k: replies that laugh.
SELECT other_id, who, month, recent, n_laughter AS n, k_laughter AS k, ev_laughter AS evidence_id
FROM reply_cells
WHERE n_laughter > 0
