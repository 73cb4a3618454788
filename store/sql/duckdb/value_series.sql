-- The value as of each month from $start to $end ('YYYY-MM') of every measure of the localities in
-- $fresh and $stale (VARCHAR[], as in values_as_of.sql), by the rules of values_as_of.sql: one row
-- per locality, measure and month that has a value (columns locality_id, measure, period, value).
-- Meant for a few localities (a page's charts).
WITH
calendar AS (
    SELECT strftime(d, '%Y-%m') AS period, strftime(d, '%Y') AS year
    FROM range(strptime($start, '%Y-%m'), strptime($end, '%Y-%m') + INTERVAL 1 MONTH, INTERVAL 1 MONTH) t(d)
),
-- as of each month: the latest monthly value (this year's for a rate of the year), or the sum of
-- the year's monthly values so far for a flow
as_of AS (
    SELECT m.locality_id, m.measure, c.period,
           CASE WHEN any_value(m.accumulation) = 'sum_year' THEN sum(m.value) ELSE arg_max(m.value, m.period) END AS value
    FROM calendar c
    JOIN known_months($fresh, $stale, $end) m ON m.period <= c.period AND (m.accumulation = 'latest' OR m.year = c.year)
    GROUP BY m.locality_id, m.measure, c.period
)
SELECT locality_id, measure, period, value FROM as_of ORDER BY locality_id, measure, period
