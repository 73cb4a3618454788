-- duckdb/task_updates.sql for PostgreSQL (the same parameters, columns and rules; read the comments
-- there): each task's latest line up to $upto is the first by month, upload time and submission
-- number, newest first (DISTINCT ON).
WITH
subs AS (
    SELECT id, locality_id, unit_code, period, uploaded_at FROM submissions
    WHERE is_current AND period <= $upto AND locality_id = ANY($ids::text[])
),
chosen AS (
    SELECT DISTINCT ON (u.task_code) s.locality_id, s.unit_code, s.period, u.task_code, u.status, u.percent,
           u.evidence, s.uploaded_at, s.id AS submission_id
    FROM task_updates u JOIN subs s ON s.id = u.submission_id
    ORDER BY u.task_code, s.period DESC, s.uploaded_at DESC, s.id DESC
)
SELECT * FROM chosen
UNION ALL
SELECT locality_id, unit_code, period, task_code, status, percent, evidence, uploaded_at, submission_id
FROM latest_tasks WHERE locality_id = ANY($latest::text[])
ORDER BY locality_id, period, uploaded_at, submission_id
