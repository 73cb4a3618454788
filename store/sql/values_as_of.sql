-- Each locality's value of each measure as of month $period, with the first reports that scoring
-- takes as baselines. Parameters: $ids (VARCHAR[]: only these localities), $period ('YYYY-MM').
-- One row per locality and measure reported up to $period:
--   value, last_period       the value as of $period and the latest month that contributed
--                            (NULL when nothing counts this year: a flow or a rate of the year);
--   first_period, first_value             the first month ever reported and its combined value;
--   year_first_period, year_first_value   the same from January of $period's year.
--
-- Which rows count (README "Cách chấm điểm"):
-- * accumulation 'latest' (rates, stocks, yes/no): each reporter's latest row up to the month; in
--   a month when only some reporters send a sheet the others count with their last value;
--   'latest_year' the same within the year only (it starts again in January);
-- * 'sum_year' (flows): each month's own rows combined, then the months from January summed;
-- * the whole-locality sheet ('all') is used alone where its newest row is at least as recent as
--   every unit's; a newer unit row wins over an older whole-locality figure.
-- A combined monthly value exists only for months in which someone reported the measure, so the
-- first value of the year of a 'latest' measure combines the rows of that first month with the
-- other reporters' last rows from before January.
WITH
bounds AS (
    SELECT locality_id, measure, min(period) AS first_period,
           min(period) FILTER (WHERE year = left($period, 4)) AS year_first
    FROM reported($ids, $period)
    GROUP BY ALL
),
carried AS (
    SELECT locality_id, measure, accumulation, combine, reporter, whole,
           max(period) FILTER (WHERE accumulation = 'latest' OR year = left($period, 4)) AS now_period,
           arg_max({'v': value, 'n': numerator, 'd': denominator, 'r': has_ratio}, period)
               FILTER (WHERE accumulation = 'latest' OR year = left($period, 4)) AS now_row,
           max(period) FILTER (WHERE accumulation = 'latest' AND year < left($period, 4)) AS before_period,
           arg_max({'v': value, 'n': numerator, 'd': denominator, 'r': has_ratio}, period)
               FILTER (WHERE accumulation = 'latest' AND year < left($period, 4)) AS before_row
    FROM reported($ids, $period)
    WHERE accumulation IN ('latest', 'latest_year')
    GROUP BY ALL
),
month_rows AS (
    SELECT r.locality_id, r.measure, r.combine, r.reporter, r.whole, r.period, r.accumulation,
           r.period = b.first_period AS is_first, r.period = b.year_first AS is_year_first,
           r.value, r.numerator, r.denominator, r.has_ratio
    FROM reported($ids, $period) r
    JOIN bounds b ON b.locality_id = r.locality_id AND b.measure = r.measure
    WHERE r.period = b.first_period OR r.period = b.year_first
       OR (r.accumulation = 'sum_year' AND r.year = left($period, 4))
),
candidates AS (
    SELECT 'now' AS kind, locality_id, measure, combine, reporter, whole, now_period AS period, NULL AS month,
           now_row.v AS value, now_row.n AS numerator, now_row.d AS denominator, now_row.r AS has_ratio
    FROM carried WHERE now_period IS NOT NULL
    UNION ALL
    SELECT 'now', locality_id, measure, combine, reporter, whole, period, period,
           value, numerator, denominator, has_ratio
    FROM month_rows WHERE accumulation = 'sum_year' AND left(period, 4) = left($period, 4)
    UNION ALL
    SELECT 'first', locality_id, measure, combine, reporter, whole, period, NULL,
           value, numerator, denominator, has_ratio
    FROM month_rows WHERE is_first
    UNION ALL
    SELECT 'year_first', locality_id, measure, combine, reporter, whole, period, NULL,
           value, numerator, denominator, has_ratio
    FROM month_rows WHERE is_year_first
    UNION ALL
    SELECT 'year_first', c.locality_id, c.measure, c.combine, c.reporter, c.whole, c.before_period, NULL,
           c.before_row.v, c.before_row.n, c.before_row.d, c.before_row.r
    FROM carried c JOIN bounds b ON b.locality_id = c.locality_id AND b.measure = c.measure
    WHERE c.before_period IS NOT NULL AND b.year_first IS NOT NULL
),
counted AS (
    -- each reporter counts once (its newest candidate); a flow's month (month) is combined on its own
    SELECT * FROM candidates
    WINDOW w AS (PARTITION BY kind, locality_id, measure, month)
    QUALIFY period = max(period) OVER (PARTITION BY kind, locality_id, measure, month, reporter)
        AND whole = coalesce(max(period) FILTER (WHERE whole) OVER w
                             >= coalesce(max(period) FILTER (WHERE NOT whole) OVER w, ''), false)
),
by_month AS (
    SELECT kind, locality_id, measure, month,
           combined(combine, value, numerator, denominator, has_ratio) AS value, max(period) AS last_period
    FROM counted
    GROUP BY kind, locality_id, measure, combine, month
),
by_kind AS (
    SELECT kind, locality_id, measure, sum(value) AS value, max(last_period) AS last_period
    FROM by_month
    GROUP BY ALL
)
SELECT b.locality_id, b.measure, n.value, n.last_period,
       b.first_period, f.value AS first_value, b.year_first AS year_first_period, y.value AS year_first_value
FROM bounds b
LEFT JOIN by_kind n ON n.kind = 'now' AND n.locality_id = b.locality_id AND n.measure = b.measure
LEFT JOIN by_kind f ON f.kind = 'first' AND f.locality_id = b.locality_id AND f.measure = b.measure
LEFT JOIN by_kind y ON y.kind = 'year_first' AND y.locality_id = b.locality_id AND y.measure = b.measure
ORDER BY b.locality_id, b.measure
