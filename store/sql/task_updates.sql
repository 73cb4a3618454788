-- The task status lines that can decide each task's status at month $upto (scoring/tasks.py takes
-- the latest line within a window: ever for a dated task, from January for a yearly or continuous
-- one, the month itself for a monthly one): per task of the localities in $ids, its latest line
-- up to $upto, its latest from January of that year and its latest of that month, ordered by month
-- then upload time (then submission number, so that two sheets sent at the same instant give the
-- newer one). Parameters: $ids (VARCHAR[]), $upto ('YYYY-MM').
-- The lines are ranked by their row number alone, and only the few chosen are read in full.
WITH
subs AS (
    SELECT id, period, uploaded_at FROM submissions
    WHERE is_current AND period <= $upto AND locality_id IN (SELECT unnest($ids))
),
ranked AS (
    SELECT u.task_code, s.period, (s.period, s.uploaded_at, s.id) AS rank, u.rowid AS line
    FROM task_updates u JOIN subs s ON s.id = u.submission_id
),
latest AS (
    SELECT arg_max(line, rank) AS ever,
           arg_max(line, rank) FILTER (WHERE period >= left($upto, 4) || '-01') AS this_year,
           arg_max(line, rank) FILTER (WHERE period = $upto) AS this_month
    FROM ranked
    GROUP BY task_code
),
chosen AS (
    SELECT ever AS line FROM latest
    UNION SELECT this_year FROM latest WHERE this_year IS NOT NULL
    UNION SELECT this_month FROM latest WHERE this_month IS NOT NULL
)
SELECT s.locality_id, s.unit_code, s.period, u.task_code, u.status, u.percent, u.evidence, s.uploaded_at
FROM chosen c
JOIN task_updates u ON u.rowid = c.line
JOIN submissions s ON s.id = u.submission_id
ORDER BY s.locality_id, s.period, s.uploaded_at, s.id
