-- duckdb/value_series.sql for PostgreSQL (the same parameters, columns and rules; read the comments there).
WITH
calendar AS (
    SELECT to_char(d, 'YYYY-MM') AS period, to_char(d, 'YYYY') AS year
    FROM generate_series(to_date($start, 'YYYY-MM'), to_date($end, 'YYYY-MM'), interval '1 month') AS t(d)
),
as_of AS (
    SELECT m.locality_id, m.measure, c.period,
           CASE min(m.accumulation) WHEN 'sum_year' THEN sum(m.value)
                ELSE (array_agg(m.value ORDER BY m.period DESC))[1] END AS value
    FROM calendar c
    JOIN known_months($fresh::text[], $stale::text[], $end) m
      ON m.period <= c.period AND (m.accumulation = 'latest' OR m.year = c.year)
    GROUP BY m.locality_id, m.measure, c.period
)
SELECT locality_id, measure, period, value FROM as_of ORDER BY locality_id, measure, period
