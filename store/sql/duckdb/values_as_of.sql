-- Each locality's value of each measure as of month $period, with the first reports that scoring
-- takes as baselines. Parameters: the localities asked for, split by store/measure_months.py into
-- $latest, $fresh and $stale (VARCHAR[]), $period ('YYYY-MM') and $measures (VARCHAR[] of the
-- measures asked for, or NULL for every one). One row per locality and measure reported up to $period:
--   value, last_period       the value as of $period and the latest month that contributed
--                            (NULL when nothing counts this year: a flow or a rate of the year);
--   first_period, first_value             the first month ever reported and its combined value;
--   year_first_period, year_first_value   the same from January of $period's year.
--
-- Built on the combined monthly values (value_rules.sql, macro monthly_values: in a month when
-- someone reported a measure, every reporter's latest row that counts then, the whole-locality
-- sheet alone where it is newest), which README "Cách chấm điểm" turns into "as of" by the
-- measure's accumulation:
-- * 'latest' (rates, stocks, yes/no): the value of the latest month with a report;
-- * 'latest_year': the same within $period's year only (it starts again in January);
-- * 'sum_year' (flows): the months of $period's year summed.
-- The first month of the year of a 'latest' measure already combines that month's rows with the
-- other reporters' last rows from before January.
-- A locality in $latest has nothing after $period and its latest month is in $period's year: its
-- rows are the ones this query kept for that month (table latest_values), the same by the rules above.
SELECT locality_id, measure,
       CASE any_value(accumulation)
           WHEN 'sum_year' THEN sum(value) FILTER (WHERE year = left($period, 4))
           WHEN 'latest_year' THEN arg_max(value, period) FILTER (WHERE year = left($period, 4))
           ELSE arg_max(value, period)
       END AS value,
       max(period) FILTER (WHERE accumulation = 'latest' OR year = left($period, 4)) AS last_period,
       min(period) AS first_period, arg_min(value, period) AS first_value,
       min(period) FILTER (WHERE year = left($period, 4)) AS year_first_period,
       arg_min(value, period) FILTER (WHERE year = left($period, 4)) AS year_first_value
FROM known_months($fresh, $stale, $period)
WHERE $measures IS NULL OR list_contains($measures, measure)
GROUP BY locality_id, measure
UNION ALL
SELECT locality_id, measure, value, last_period, first_period, first_value, year_first_period, year_first_value
FROM latest_values
WHERE locality_id IN (SELECT unnest($latest)) AND ($measures IS NULL OR list_contains($measures, measure))
ORDER BY locality_id, measure
