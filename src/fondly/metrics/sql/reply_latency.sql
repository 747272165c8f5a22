-- metric: reply_latency
-- name: Reply time
-- practice: presence
-- kind: median
-- unit: median minutes to reply, sleep-adjusted, among replies within 24 h
-- direction: descriptive
-- min_n: 5
-- citation: Templeton et al. 2022 (PNAS 119:e2116915119); Aledavood et al. 2015 (PLoS ONE)
-- description: How long each of you usually takes to answer, not counting your sleep window.
--   Compare it with your own habits, never across people: age, work and notification
--   settings shape it more than care does.
SELECT other_id, responder AS who, month, bid_end_ms AS start_ms,
       CAST(adj_ms AS DOUBLE) / 60000 AS num, 1.0 AS den, reply_id AS evidence_id
FROM replies
WHERE timely = 1
