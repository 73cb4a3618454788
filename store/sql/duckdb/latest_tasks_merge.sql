-- The new latest_tasks rows of the localities $ids (whose rows were kept when their newest submission
-- was the matching $kept): per task the newest of its kept line and the lines of the current sheets
-- newer than the kept rows, by task_updates.sql's order. store/measure_months.py keeps them in a
-- temporary table, deletes the localities' rows and inserts these (postgres/: one statement).
WITH lines AS (
    SELECT * FROM latest_tasks WHERE locality_id IN (SELECT unnest($ids::text[]))
    UNION ALL
    SELECT s.locality_id, s.unit_code, s.period, u.task_code, u.status, u.percent, u.evidence, s.uploaded_at, s.id
    FROM task_updates u JOIN submissions s ON s.id = u.submission_id
    JOIN (SELECT unnest($ids::text[]) AS locality_id, unnest($kept::bigint[]) AS kept) k
      ON k.locality_id = s.locality_id AND s.id > k.kept
    WHERE s.is_current AND u.submission_id > list_min($kept::bigint[])
)
SELECT * FROM lines
QUALIFY row_number() OVER (PARTITION BY locality_id, task_code ORDER BY period DESC, uploaded_at DESC,
                                                                          submission_id DESC) = 1
