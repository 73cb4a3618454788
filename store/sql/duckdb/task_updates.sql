-- The task status lines that decide each task's status at month $upto: per task of the localities
-- in $ids, its latest line up to $upto, by month, then upload time (then submission number, so that
-- two sheets sent at the same instant give the newer one). Parameters: $ids and $latest (VARCHAR[]),
-- $upto ('YYYY-MM').
--
-- scoring/tasks.py takes the latest line within a window that ends at $upto: ever for a dated
-- task, from January for a yearly or continuous one, the month itself for a monthly one. Lines
-- rank by month first, so the latest line of any such window is the latest line of all when it
-- falls in the window, and there is none otherwise: that one line is enough.
-- The lines are ranked by their row number alone, and only the chosen ones are read in full
-- (joined back to subs, not to every submission: when no locality is read here, nothing is).
-- A locality in $latest has nothing after $upto: its lines are those this query chose over all its
-- months (table latest_tasks, store/measure_months.py).
WITH
subs AS (
    SELECT id, locality_id, unit_code, period, uploaded_at FROM submissions
    WHERE is_current AND period <= $upto AND locality_id IN (SELECT unnest($ids))
),
chosen AS (
    SELECT arg_max(u.rowid, (s.period, s.uploaded_at, s.id)) AS line
    FROM task_updates u JOIN subs s ON s.id = u.submission_id
    GROUP BY u.task_code
)
SELECT s.locality_id, s.unit_code, s.period, u.task_code, u.status, u.percent, u.evidence, s.uploaded_at,
       s.id AS submission_id
FROM chosen c
JOIN task_updates u ON u.rowid = c.line
JOIN subs s ON s.id = u.submission_id
UNION ALL
SELECT locality_id, unit_code, period, task_code, status, percent, evidence, uploaded_at, submission_id
FROM latest_tasks WHERE locality_id IN (SELECT unnest($latest))
ORDER BY locality_id, period, uploaded_at, submission_id
