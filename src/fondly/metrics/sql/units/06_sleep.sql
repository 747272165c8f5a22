-- unit: sleep
-- Each person's sleep window: the 6 consecutive local hours in which they sent
-- the fewest messages across all their chats (psychology.md section 1; stable
-- personal daily rhythms, Aledavood et al. 2015). Ties go to the window
-- closest to 01:00-07:00, the most common one.
WITH persons AS (
    SELECT DISTINCT other_id AS person_id FROM dyads
    UNION SELECT {{me_id}} AS person_id
), hours AS (
    SELECT h FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12),
                          (13), (14), (15), (16), (17), (18), (19), (20), (21), (22), (23)) AS v(h)
), counts AS (
    SELECT hd.person_id, hour(m.ts_local) AS h, count(*) AS n
    FROM messages m
    JOIN handles hd ON hd.handle_id = m.handle_id
    JOIN persons p ON p.person_id = hd.person_id
    GROUP BY hd.person_id, hour(m.ts_local)
), grid AS (
    SELECT p.person_id, hs.h AS start_h, hh.h AS h
    FROM persons p CROSS JOIN hours hs CROSS JOIN hours hh
    WHERE (hh.h - hs.h + 24) % 24 < 6
), windows AS (
    SELECT g.person_id, g.start_h, sum(coalesce(c.n, 0)) AS n
    FROM grid g LEFT JOIN counts c ON c.person_id = g.person_id AND c.h = g.h
    GROUP BY g.person_id, g.start_h
), ranked AS (
    SELECT person_id, start_h,
           ROW_NUMBER() OVER (PARTITION BY person_id
                              ORDER BY n, (start_h - 1 + 24) % 24) AS rk
    FROM windows
)
SELECT person_id, start_h FROM ranked WHERE rk = 1
