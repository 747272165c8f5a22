-- metric: active_constructive
-- name: Celebrating their good news
-- practice: cheering
-- kind: share
-- grain: cell
-- unit: share of the other's good-news turns answered within 24 h with enthusiasm (C2)
-- direction: higher
-- min_n: 5
-- citation: Gable et al. 2004 (JPSP 87:228); Gable, Gonzaga & Strachman 2006 (JPSP 91:904)
-- description: Active-constructive responding: when they share good news, answering with
--   enthusiasm ("congrats!! tell me everything") rather than "nice" or silence. Responses to
--   good news predicted break-up two months later.
--
-- Counted once for many metrics in the unit reply_cells (n_acr, k_acr, ev_acr),
-- where the conditions are spelled out. n: the other's good-news turns; k: answered within 24 h with enthusiasm.
SELECT other_id, who, month, recent, n_acr AS n, k_acr AS k, ev_acr AS evidence_id
FROM reply_cells
WHERE n_acr > 0
