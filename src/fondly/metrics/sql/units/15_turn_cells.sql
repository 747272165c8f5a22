-- unit: turn_cells
-- The turn-level shares, counted once per relationship, person, month and recent flag
-- (the last 30 days): for each flag n_<flag> = turns where it was scored, k_<flag> = turns
-- where it is true, ev_<flag> = one such turn's first message (the newest id). Eight
-- metrics read these counts (grain: cell) instead of each scanning every turn.
-- Double texting: n_followed = turns with a next turn, k_double = those whose next turn
-- is the same person's within the same conversation (sessions: the same stretch, or an
-- unanswered one-sided stretch continued within 48 h), ev_double = such a next turn's
-- first message (the newest id). Writing first again after a finished exchange starts a
-- new conversation and is not double texting.
--
WITH stretch_sides AS (
    SELECT other_id, session_no,
           CASE WHEN min(who) = max(who) THEN 1 ELSE 0 END AS one_sided
    FROM turns
    GROUP BY other_id, session_no
), t AS (
    SELECT turns.*,
           CASE WHEN turns.next_turn_who = turns.who
                     AND (turns.ends_stretch = 0
                          OR (ss.one_sided = 1
                              AND turns.next_turn_ms - turns.end_ms < 172800000))
                THEN 1 ELSE 0 END AS doubled
    FROM turns
    JOIN stretch_sides ss ON ss.other_id = turns.other_id AND ss.session_no = turns.session_no
)
SELECT t.other_id, t.who, t.month,
       CASE WHEN t.start_ms >= r.last_ms - 2592000000 THEN 1 ELSE 0 END AS recent,
       count(t.affection) AS n_affection, sum(t.affection) AS k_affection,
       max(CASE WHEN t.affection = 1 THEN t.first_id END) AS ev_affection,
       count(t.gratitude) AS n_gratitude, sum(t.gratitude) AS k_gratitude,
       max(CASE WHEN t.gratitude = 1 THEN t.first_id END) AS ev_gratitude,
       count(t.novelty) AS n_novelty, sum(t.novelty) AS k_novelty,
       max(CASE WHEN t.novelty = 1 THEN t.first_id END) AS ev_novelty,
       count(t.good_news) AS n_good_news, sum(t.good_news) AS k_good_news,
       max(CASE WHEN t.good_news = 1 THEN t.first_id END) AS ev_good_news,
       count(t.plan) AS n_plan, sum(t.plan) AS k_plan,
       max(CASE WHEN t.plan = 1 THEN t.first_id END) AS ev_plan,
       count(t.reminiscence) AS n_reminiscence, sum(t.reminiscence) AS k_reminiscence,
       max(CASE WHEN t.reminiscence = 1 THEN t.first_id END) AS ev_reminiscence,
       count(t.question) AS n_question, sum(t.question) AS k_question,
       max(CASE WHEN t.question = 1 THEN t.first_id END) AS ev_question,
       count(CASE WHEN t.negativity IS NOT NULL OR t.hostility IS NOT NULL THEN 1 END)
           AS n_hostile,
       sum(CASE WHEN t.negativity = 1 OR t.hostility = 1 THEN 1 ELSE 0 END) AS k_hostile,
       max(CASE WHEN t.negativity = 1 OR t.hostility = 1 THEN t.first_id END) AS ev_hostile,
       count(t.next_turn_who) AS n_followed,
       sum(t.doubled) AS k_double,
       max(CASE WHEN t.doubled = 1 THEN t.next_turn_id END) AS ev_double
FROM t
JOIN relationships r ON r.other_id = t.other_id
GROUP BY t.other_id, t.who, t.month,
         CASE WHEN t.start_ms >= r.last_ms - 2592000000 THEN 1 ELSE 0 END
