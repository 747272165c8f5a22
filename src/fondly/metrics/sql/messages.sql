-- metric: messages
-- name: Messages
-- practice: rhythm
-- kind: count
-- grain: cell
-- unit: messages sent
-- direction: descriptive
-- min_n: 20
-- citation: Roberts & Dunbar 2015 (Human Nature 26:426); Gilbert & Karahalios 2009 (CHI)
-- description: How many messages each of you sent, per month and in all. A sustained drop
--   against the pair's own history is the decay signal; volume itself is not a goal.
--
-- Counted in the unit volume per person, month and recent flag: messages sent, with the newest as evidence.
SELECT other_id, who, month, recent, n AS n, n AS k, ev_any AS evidence_id
FROM volume
