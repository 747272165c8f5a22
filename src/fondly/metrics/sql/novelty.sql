-- metric: novelty
-- name: Something new
-- practice: growth
-- kind: share
-- grain: cell
-- unit: share of turns with novelty cues (first time, new, trip, concert), or a new topic under --semantic
-- direction: higher
-- min_n: 20
-- citation: Aron et al. 2000 (JPSP 78:273); Aron & Aron 1986 (self-expansion)
-- description: Talk about new things, done alone or together. Doing new things is what the
--   experiments support; the chat only shows its trace. A store read with --semantic counts
--   messages on a topic the pair has not touched lately instead of cue words (docs/features.md).
--
-- Counted once for many metrics in the unit turn_cells (n_novelty, k_novelty, ev_novelty),
-- where the conditions are spelled out. n: turns whose novelty cues were scored; k: turns with one.
SELECT other_id, who, month, recent, n_novelty AS n, k_novelty AS k, ev_novelty AS evidence_id
FROM turn_cells
WHERE n_novelty > 0
