-- The value rules of README "Cách chấm điểm", as macros stored in the database (created with the
-- schema); values_as_of.sql and value_series.sql use them.
--
-- A reporter is a unit, or a village of the village sheet (unit 'thon', village names compared
-- without regard to case). The whole-locality sheet is unit 'all'.
--
-- reported(ids, upto): every non-blank value of a current submission of the localities in the
-- list ids, for months up to upto ('YYYY-MM'), with its measure's accumulation and combine rule.
CREATE OR REPLACE MACRO reported(ids, upto) AS TABLE
SELECT s.locality_id, v.measure, s.unit_code = 'all' AS whole,
       s.unit_code || chr(31) || lower(s.village) AS reporter,
       s.period, left(s.period, 4) AS year, m.accumulation, m.combine,
       v.value, v.numerator, v.denominator,
       coalesce(v.numerator IS NOT NULL AND v.denominator > 0, false) AS has_ratio
FROM submissions s
JOIN submission_values v ON v.submission_id = s.id
JOIN measures m ON m.code = v.measure
WHERE s.is_current AND v.value IS NOT NULL AND s.period <= upto
  AND s.locality_id IN (SELECT unnest(ids));

-- combined(...): one value from the rows that count for a locality, measure (and month), by the
-- measure's combine rule: 'sum' adds counts; 'ratio' is Σ numerator ÷ Σ denominator × 100 when
-- every row gave both (denominator > 0), otherwise the mean of the percents; 'any' is Có (1) when
-- any row says Có; 'share_yes' (villages' 100/0 answers) and anything else is the mean.
-- An aggregate: use it in a query grouped by the measure's combine rule.
CREATE OR REPLACE MACRO combined(rule, value, numerator, denominator, has_ratio) AS
CASE rule
    WHEN 'sum' THEN sum(value)
    WHEN 'any' THEN max(value)
    WHEN 'ratio' THEN CASE WHEN bool_and(has_ratio) THEN sum(numerator) / sum(denominator) * 100.0 ELSE avg(value) END
    ELSE avg(value)
END;

-- monthly_values_since(ids, since, upto): each locality's combined value of each measure in every
-- month from its own first month (the list since, in the order of ids) up to upto in which someone
-- reported it (columns locality_id, measure, period, year, accumulation, value): in such a month,
-- every reporter's latest row that counts then (a flow: the month's own rows only; a rate of the
-- year: this year's), the whole-locality sheet alone where it is newest, combined by the measure's
-- rule. A sheet of month P changes nothing before P, so a writer recomputes only the months from
-- the earliest it wrote (store/measure_months.py).
CREATE OR REPLACE MACRO monthly_values_since(ids, since, upto) AS TABLE
WITH
rows AS (SELECT * FROM reported(ids, upto)),
starts AS (SELECT unnest(ids) AS locality_id, unnest(since) AS since),
months AS (
    SELECT DISTINCT r.locality_id, r.measure, r.period, r.year
    FROM rows r JOIN starts t ON t.locality_id = r.locality_id AND r.period >= t.since
),
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
)
SELECT locality_id, measure, month AS period, year, accumulation,
       combined(combine, value, numerator, denominator, has_ratio) AS value
FROM counted
GROUP BY locality_id, measure, month, year, accumulation, combine;

-- monthly_values(ids, upto): the same for every month (value_series.sql builds on it; reports fit
-- their pace on it).
CREATE OR REPLACE MACRO monthly_values(ids, upto) AS TABLE
SELECT * FROM monthly_values_since(ids, list_transform(ids, lambda x: ''), upto);

-- known_months(fresh, stale, upto): what monthly_values gives for the localities of both lists, for
-- months up to upto: read from the table measure_months for the localities whose computed months
-- are current (fresh), combined from their values for the others (stale); store/measure_months.py
-- keeps the table and splits the localities.
CREATE OR REPLACE MACRO known_months(fresh, stale, upto) AS TABLE
SELECT locality_id, measure, period, year, accumulation, value FROM measure_months
WHERE period <= upto AND locality_id IN (SELECT unnest(fresh))
UNION ALL
SELECT locality_id, measure, period, year, accumulation, value FROM monthly_values(stale, upto);
