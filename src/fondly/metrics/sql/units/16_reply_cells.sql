-- unit: reply_cells
-- The reply-level shares, counted once per relationship, responder, month and recent flag:
-- for each, n_<name> = the reply opportunities it judges, k_<name> = those that qualify,
-- ev_<name> = one qualifying reply (the newest id). The conditions are the metrics'
-- definitions (see each metric's header); seven metrics read these counts (grain: cell).
--
SELECT p.other_id, p.responder AS who, p.month,
       CASE WHEN p.bid_end_ms >= r.last_ms - 2592000000 THEN 1 ELSE 0 END AS recent,
       count(*) AS n_timely, sum(timely) AS k_timely,
       max(CASE WHEN timely = 1 THEN reply_id END) AS ev_timely,
       sum(CASE WHEN replied = 1 AND reply_followup IS NOT NULL THEN 1 ELSE 0 END) AS n_followup,
       sum(CASE WHEN (replied = 1 AND reply_followup IS NOT NULL) AND (reply_followup = 1) THEN 1 ELSE 0 END) AS k_followup,
       max(CASE WHEN (replied = 1 AND reply_followup IS NOT NULL) AND (reply_followup = 1) THEN reply_id END) AS ev_followup,
       sum(CASE WHEN replied = 1 AND reply_laughter IS NOT NULL THEN 1 ELSE 0 END) AS n_laughter,
       sum(CASE WHEN (replied = 1 AND reply_laughter IS NOT NULL) AND (reply_laughter = 1) THEN 1 ELSE 0 END) AS k_laughter,
       max(CASE WHEN (replied = 1 AND reply_laughter IS NOT NULL) AND (reply_laughter = 1) THEN reply_id END) AS ev_laughter,
       sum(CASE WHEN bid_distress = 1 THEN 1 ELSE 0 END) AS n_support,
       sum(CASE WHEN (bid_distress = 1) AND (timely = 1 AND reply_support = 1) THEN 1 ELSE 0 END) AS k_support,
       max(CASE WHEN (bid_distress = 1) AND (timely = 1 AND reply_support = 1) THEN reply_id END) AS ev_support,
       sum(CASE WHEN bid_good_news = 1 THEN 1 ELSE 0 END) AS n_acr,
       sum(CASE WHEN (bid_good_news = 1) AND (timely = 1 AND reply_enthusiasm = 1) THEN 1 ELSE 0 END) AS k_acr,
       max(CASE WHEN (bid_good_news = 1) AND (timely = 1 AND reply_enthusiasm = 1) THEN reply_id END) AS ev_acr,
       sum(CASE WHEN bid_future = 1 OR bid_plan = 1 OR bid_distress = 1 THEN 1 ELSE 0 END) AS n_encouraged,
       sum(CASE WHEN (bid_future = 1 OR bid_plan = 1 OR bid_distress = 1) AND (timely = 1 AND reply_encouragement = 1) THEN 1 ELSE 0 END) AS k_encouraged,
       max(CASE WHEN (bid_future = 1 OR bid_plan = 1 OR bid_distress = 1) AND (timely = 1 AND reply_encouragement = 1) THEN reply_id END) AS ev_encouraged,
       sum(CASE WHEN timely = 1 AND (reply_followup IS NOT NULL OR reply_link = 1 OR bid_question IS NOT NULL) THEN 1 ELSE 0 END) AS n_contingent,
       sum(CASE WHEN (timely = 1 AND (reply_followup IS NOT NULL OR reply_link = 1 OR bid_question IS NOT NULL)) AND (reply_link = 1 OR reply_followup = 1 OR bid_question = 1 OR (bid_distress = 1 AND reply_support = 1) OR (bid_good_news = 1 AND reply_enthusiasm = 1)) THEN 1 ELSE 0 END) AS k_contingent,
       max(CASE WHEN (timely = 1 AND (reply_followup IS NOT NULL OR reply_link = 1 OR bid_question IS NOT NULL)) AND (reply_link = 1 OR reply_followup = 1 OR bid_question = 1) THEN reply_id END) AS ev_contingent
FROM replies p
JOIN relationships r ON r.other_id = p.other_id
GROUP BY p.other_id, p.responder, p.month,
         CASE WHEN p.bid_end_ms >= r.last_ms - 2592000000 THEN 1 ELSE 0 END
