-- The value as of each month from $start to $end ('YYYY-MM') of every measure of the localities in
-- $ids (VARCHAR[]), by the rules of values_as_of.sql: one row per locality, measure and month that
-- has a value (columns locality_id, measure, period, value). Meant for a few localities (a page's
-- charts): it combines every month in which a measure was reported.
WITH
rows AS (SELECT * FROM reported($ids, $end)),
months AS (SELECT DISTINCT locality_id, measure, period, year FROM rows),
-- in each month with a report: every reporter's latest row that counts then (a flow: the month's own)
counted AS (
    SELECT m.locality_id, m.measure, m.period AS month, m.year, r.accumulation, r.combine, r.whole,
           r.period, r.value, r.numerator, r.denominator, r.has_ratio
    FROM months m
    JOIN rows r ON r.locality_id = m.locality_id AND r.measure = m.measure AND r.period <= m.period
    WHERE r.accumulation = 'latest' OR (r.accumulation = 'latest_year' AND r.year = m.year)
       OR r.period = m.period
    WINDOW w AS (PARTITION BY m.locality_id, m.measure, m.period)
    QUALIFY r.period = max(r.period) OVER (PARTITION BY m.locality_id, m.measure, m.period, r.reporter)
        AND r.whole = coalesce(max(r.period) FILTER (WHERE r.whole) OVER w
                               >= coalesce(max(r.period) FILTER (WHERE NOT r.whole) OVER w, ''), false)
),
monthly AS (
    SELECT locality_id, measure, month, year, accumulation,
           combined(combine, value, numerator, denominator, has_ratio) AS value
    FROM counted
    GROUP BY locality_id, measure, month, year, accumulation, combine
),
calendar AS (
    SELECT strftime(d, '%Y-%m') AS period, strftime(d, '%Y') AS year
    FROM range(strptime($start, '%Y-%m'), strptime($end, '%Y-%m') + INTERVAL 1 MONTH, INTERVAL 1 MONTH) t(d)
),
-- as of each month: the latest monthly value (this year's for a rate of the year), or the sum of
-- the year's monthly values so far for a flow
as_of AS (
    SELECT m.locality_id, m.measure, c.period,
           CASE WHEN any_value(m.accumulation) = 'sum_year' THEN sum(m.value) ELSE arg_max(m.value, m.month) END AS value
    FROM calendar c
    JOIN monthly m ON m.month <= c.period AND (m.accumulation = 'latest' OR m.year = c.year)
    GROUP BY m.locality_id, m.measure, c.period
)
SELECT locality_id, measure, period, value FROM as_of ORDER BY locality_id, measure, period
