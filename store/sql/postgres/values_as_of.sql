-- duckdb/values_as_of.sql for PostgreSQL (the same parameters, columns and rules; read the comments
-- there): DuckDB's arg_max(value, period) is the first of the values ordered by month, newest first.
SELECT locality_id, measure,
       CASE min(accumulation)
           WHEN 'sum_year' THEN sum(value) FILTER (WHERE year = left($period, 4))
           WHEN 'latest_year' THEN (array_agg(value ORDER BY period DESC) FILTER (WHERE year = left($period, 4)))[1]
           ELSE (array_agg(value ORDER BY period DESC))[1]
       END AS value,
       max(period) FILTER (WHERE accumulation = 'latest' OR year = left($period, 4)) AS last_period,
       min(period) AS first_period, (array_agg(value ORDER BY period))[1] AS first_value,
       min(period) FILTER (WHERE year = left($period, 4)) AS year_first_period,
       (array_agg(value ORDER BY period) FILTER (WHERE year = left($period, 4)))[1] AS year_first_value
FROM known_months($fresh::text[], $stale::text[], $period)
WHERE $measures::text[] IS NULL OR measure = ANY($measures::text[])
GROUP BY locality_id, measure
UNION ALL
SELECT locality_id, measure, value, last_period, first_period, first_value, year_first_period, year_first_value
FROM latest_values
WHERE locality_id = ANY($latest::text[]) AND ($measures::text[] IS NULL OR measure = ANY($measures::text[]))
ORDER BY locality_id, measure
