-- unit: volume
-- Messages per relationship, person ('me', 'them' and 'pair' for both), month
-- and "in the last 30 days" flag: the cells a metric's enough-data test counts.
WITH cells AS (
    SELECT d.other_id, d.who, d.month,
           CASE WHEN d.ts_ms >= r.last_ms - 2592000000 THEN 1 ELSE 0 END AS recent,
           count(*) AS n
    FROM dm d JOIN relationships r ON r.other_id = d.other_id
    GROUP BY d.other_id, d.who, d.month,
             CASE WHEN d.ts_ms >= r.last_ms - 2592000000 THEN 1 ELSE 0 END
)
SELECT other_id, who, month, recent, n FROM cells
UNION ALL
SELECT other_id, 'pair' AS who, month, recent, sum(n) AS n FROM cells
GROUP BY other_id, month, recent
