-- latest_tasks of the localities $ids (whose rows were kept when their newest submission was the
-- matching $kept): per task the newest of its kept line and the lines of the current sheets newer than
-- the kept rows, by task_updates.sql's order; one statement: every kept line is among the lines, so the
-- chosen ones replace each kept line (its key, locality and task) or add one. store/measure_months.py;
-- DuckDB does it in three steps.
WITH
k AS (SELECT * FROM unnest($ids::text[], $kept::bigint[]) AS k(locality_id, kept)),
lines AS (
    SELECT locality_id, unit_code, period, task_code, status, percent, evidence, uploaded_at, submission_id
    FROM latest_tasks WHERE locality_id = ANY($ids::text[])
    UNION ALL
    SELECT s.locality_id, s.unit_code, s.period, u.task_code, u.status, u.percent, u.evidence, s.uploaded_at, s.id
    FROM task_updates u JOIN submissions s ON s.id = u.submission_id
    JOIN k ON k.locality_id = s.locality_id AND s.id > k.kept
    WHERE s.is_current AND u.submission_id > (SELECT min(kept) FROM k)
),
chosen AS (
    SELECT DISTINCT ON (locality_id, task_code) * FROM lines
    ORDER BY locality_id, task_code, period DESC, uploaded_at DESC, submission_id DESC
)
INSERT INTO latest_tasks SELECT * FROM chosen
ON CONFLICT (locality_id, task_code) DO UPDATE SET
    unit_code = excluded.unit_code, period = excluded.period, status = excluded.status, percent = excluded.percent,
    evidence = excluded.evidence, uploaded_at = excluded.uploaded_at, submission_id = excluded.submission_id
