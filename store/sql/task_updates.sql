-- The task status lines that can decide each task's status at month $upto (scoring/tasks.py takes
-- the latest line within a window: ever for a dated task, from January for a yearly or continuous
-- one, the month itself for a monthly one): per task of the localities in $ids, its latest line
-- up to $upto, its latest from January of that year and its latest of that month, ordered by month
-- then upload time (then submission number, so that two sheets sent at the same instant give the
-- newer one). Parameters: $ids (VARCHAR[]), $upto ('YYYY-MM').
WITH lines AS (
    SELECT u.locality_id, u.task_code,
           {'locality_id': u.locality_id, 'unit_code': u.unit_code, 'period': u.period, 'task_code': u.task_code,
            'status': u.status, 'percent': u.percent, 'evidence': u.evidence, 'uploaded_at': s.uploaded_at, 'submission_id': s.id} AS line,
           {'period': u.period, 'uploaded_at': s.uploaded_at, 'id': s.id} AS rank
    FROM current_task_updates u JOIN submissions s ON s.id = u.submission_id
    WHERE u.period <= $upto AND u.locality_id IN (SELECT unnest($ids))
),
latest AS (
    SELECT task_code,
           arg_max(line, rank) AS ever,
           arg_max(line, rank) FILTER (WHERE rank.period >= left($upto, 4) || '-01') AS this_year,
           arg_max(line, rank) FILTER (WHERE rank.period = $upto) AS this_month
    FROM lines
    GROUP BY task_code
),
chosen AS (
    SELECT ever AS line FROM latest
    UNION SELECT this_year FROM latest WHERE this_year IS NOT NULL
    UNION SELECT this_month FROM latest WHERE this_month IS NOT NULL
)
SELECT line.locality_id, line.unit_code, line.period, line.task_code, line.status, line.percent, line.evidence,
       line.uploaded_at
FROM chosen
ORDER BY line.locality_id, line.period, line.uploaded_at, line.submission_id
