-- What a PostgreSQL store has beside store/schema.sql (created with it, after it).

-- The rule of current_keys, said by an index of submissions itself: at most one current submission
-- per (locality, unit, village without regard to case, month), whoever writes.
CREATE UNIQUE INDEX IF NOT EXISTS one_current_sheet_per_key
    ON submissions (locality_id, unit_code, lower(village), period) WHERE is_current;

-- Row stores read by index what DuckDB scans by column (a table's primary key, store/schema.sql, is one:
-- submission_values, task_updates, latest_values, latest_tasks and measure_month_versions are read by its
-- first columns; the indexes that said the same before schema 8 are dropped).
DROP INDEX IF EXISTS submission_values_by_submission, task_updates_by_submission, latest_values_by_locality,
    latest_tasks_by_locality, measure_month_versions_by_locality;
CREATE INDEX IF NOT EXISTS submissions_by_locality ON submissions (locality_id, period);
CREATE INDEX IF NOT EXISTS submissions_by_file ON submissions (file_sha256);
CREATE INDEX IF NOT EXISTS measure_months_by_locality ON measure_months (locality_id, period);
CREATE INDEX IF NOT EXISTS period_locks_by_month ON period_locks (locality_id, period);
CREATE INDEX IF NOT EXISTS audit_log_by_locality ON audit_log (locality_id);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (username);
CREATE INDEX IF NOT EXISTS report_templates_by_locality ON report_templates (locality_id);

-- The audit trail is append-only for everyone who writes through SQL, not only for this software:
-- an UPDATE, DELETE or TRUNCATE of audit_log is refused by the database (the hash chain of
-- store/audit.py still shows a change made by someone who can drop the trigger: the table's owner).
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE OR REPLACE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
