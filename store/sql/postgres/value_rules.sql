-- The value rules of README "Cách chấm điểm" for PostgreSQL: the functions of duckdb/value_rules.sql
-- (DuckDB macros), with the same names, arguments and rows; created with the schema. SQL functions of
-- one SELECT, STABLE: the planner inlines them into the queries that call them.
--
-- reported(ids, upto): every non-blank value of a current submission of the localities in ids, for
-- months up to upto ('YYYY-MM'), with its measure's accumulation and combine rule.
CREATE OR REPLACE FUNCTION reported(ids text[], upto text)
RETURNS TABLE (locality_id text, measure text, whole boolean, reporter text, period text, year text,
               accumulation text, combine text, value double precision, numerator double precision,
               denominator double precision, has_ratio boolean)
LANGUAGE sql STABLE AS $$
SELECT s.locality_id, v.measure, s.unit_code = 'all', s.unit_code || chr(31) || lower(s.village),
       s.period, left(s.period, 4), m.accumulation, m.combine, v.value, v.numerator, v.denominator,
       coalesce(v.numerator IS NOT NULL AND v.denominator > 0, false)
FROM submissions s
JOIN submission_values v ON v.submission_id = s.id
JOIN measures m ON m.code = v.measure
WHERE s.is_current AND v.value IS NOT NULL AND s.period <= reported.upto AND s.locality_id = ANY(reported.ids)
$$;

-- monthly_values_since(ids, since, upto): each locality's combined value of each measure in every
-- month from its own first month (since, in the order of ids) up to upto in which someone reported
-- it: every reporter's latest row that counts then, the whole-locality sheet alone where it is
-- newest, combined by the measure's rule ('sum', 'any', 'ratio', else the mean).
CREATE OR REPLACE FUNCTION monthly_values_since(ids text[], since text[], upto text)
RETURNS TABLE (locality_id text, measure text, period text, year text, accumulation text, value double precision)
LANGUAGE sql STABLE AS $$
WITH
rows AS MATERIALIZED (SELECT * FROM reported(monthly_values_since.ids, monthly_values_since.upto)),
starts AS (SELECT * FROM unnest(monthly_values_since.ids, monthly_values_since.since) AS t(locality_id, since)),
months AS (
    SELECT DISTINCT r.locality_id, r.measure, r.period, r.year
    FROM rows r JOIN starts t ON t.locality_id = r.locality_id AND r.period >= t.since
),
ranked AS (
    SELECT m.locality_id, m.measure, m.period AS month, m.year, r.accumulation, r.combine, r.whole,
           r.period, r.value, r.numerator, r.denominator, r.has_ratio,
           max(r.period) OVER (PARTITION BY m.locality_id, m.measure, m.period, r.reporter) AS reporter_last,
           max(r.period) FILTER (WHERE r.whole) OVER w AS whole_last,
           max(r.period) FILTER (WHERE NOT r.whole) OVER w AS units_last
    FROM months m
    JOIN rows r ON r.locality_id = m.locality_id AND r.measure = m.measure AND r.period <= m.period
    WHERE r.accumulation = 'latest' OR (r.accumulation = 'latest_year' AND r.year = m.year)
       OR r.period = m.period
    WINDOW w AS (PARTITION BY m.locality_id, m.measure, m.period)
)
SELECT locality_id, measure, month, year, accumulation,
       CASE combine
           WHEN 'sum' THEN sum(value)
           WHEN 'any' THEN max(value)
           WHEN 'ratio' THEN CASE WHEN bool_and(has_ratio) THEN sum(numerator) / sum(denominator) * 100.0
                                  ELSE avg(value) END
           ELSE avg(value)
       END
FROM ranked
WHERE period = reporter_last AND whole = coalesce(whole_last >= coalesce(units_last, ''), false)
GROUP BY locality_id, measure, month, year, accumulation, combine
$$;

-- monthly_values(ids, upto): the same for every month.
CREATE OR REPLACE FUNCTION monthly_values(ids text[], upto text)
RETURNS TABLE (locality_id text, measure text, period text, year text, accumulation text, value double precision)
LANGUAGE sql STABLE AS $$
SELECT * FROM monthly_values_since(monthly_values.ids,
                                   array_fill(''::text, ARRAY[coalesce(cardinality(monthly_values.ids), 0)]),
                                   monthly_values.upto)
$$;

-- known_months(fresh, stale, upto): monthly_values of both lists up to upto, read from measure_months
-- for the fresh localities and combined from their values for the stale ones.
CREATE OR REPLACE FUNCTION known_months(fresh text[], stale text[], upto text)
RETURNS TABLE (locality_id text, measure text, period text, year text, accumulation text, value double precision)
LANGUAGE sql STABLE AS $$
SELECT locality_id, measure, period, year, accumulation, value FROM measure_months
WHERE period <= known_months.upto AND locality_id = ANY(known_months.fresh)
UNION ALL
SELECT * FROM monthly_values(known_months.stale, known_months.upto)
$$;
