-- Schema of the store, in the SQL that DuckDB and PostgreSQL share (store/sql/<dialect>/ has the rest).
-- Catalog tables are rebuilt from data/*.yaml when a plan file changes; upload tables are only ever
-- appended to (history is kept). The rules each row keeps are said beside its table (CONSTRAINT …):
-- the database itself refuses a row that breaks one, whoever writes it (tests/test_store_rules.py).
-- A month (period) is written YYYY-MM, month 01–12 (plans/periods.py).
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);

-- ---------- catalog (from data/*.yaml) ----------
CREATE TABLE IF NOT EXISTS localities (
    id VARCHAR PRIMARY KEY, ward_code INTEGER NOT NULL, name VARCHAR NOT NULL, kind VARCHAR NOT NULL,
    aliases VARCHAR[], plan_title VARCHAR, plan_number VARCHAR, plan_date_text VARCHAR,
    signer VARCHAR, signer_title VARCHAR, start_year INTEGER, end_year INTEGER, seed VARCHAR, ord INTEGER);
CREATE TABLE IF NOT EXISTS phases (
    locality_id VARCHAR, name VARCHAR, start_year INTEGER, end_year INTEGER, description VARCHAR,
    source VARCHAR, ord INTEGER);
CREATE TABLE IF NOT EXISTS report_deadlines (
    locality_id VARCHAR, name VARCHAR, day INTEGER, month INTEGER, source VARCHAR);
CREATE TABLE IF NOT EXISTS reviews (locality_id VARCHAR, name VARCHAR, year INTEGER, source VARCHAR);
CREATE TABLE IF NOT EXISTS plan_groups (locality_id VARCHAR, code VARCHAR, name VARCHAR, source VARCHAR, ord INTEGER);
CREATE TABLE IF NOT EXISTS units (locality_id VARCHAR, code VARCHAR, name VARCHAR, source VARCHAR, ord INTEGER);
CREATE TABLE IF NOT EXISTS common_groups (code VARCHAR PRIMARY KEY, name VARCHAR, ord INTEGER);
CREATE TABLE IF NOT EXISTS measures (
    code VARCHAR PRIMARY KEY, name VARCHAR, unit VARCHAR, kind VARCHAR, accumulation VARCHAR,
    combine VARCHAR, common_group VARCHAR, direction VARCHAR, default_unit VARCHAR, ord INTEGER);
CREATE TABLE IF NOT EXISTS indicators (
    code VARCHAR PRIMARY KEY, locality_id VARCHAR, name VARCHAR, text VARCHAR, group_code VARCHAR,
    measure VARCHAR, comparator VARCHAR, target DOUBLE PRECISION, target_year INTEGER, every_year BOOLEAN,
    responsible_unit VARCHAR, source VARCHAR, note VARCHAR, ord INTEGER);
CREATE TABLE IF NOT EXISTS tasks (
    code VARCHAR PRIMARY KEY, locality_id VARCHAR, name VARCHAR, section VARCHAR, lead_units VARCHAR[],
    coordinating_units VARCHAR[], output VARCHAR, deadline_text VARCHAR, deadline DATE,
    recurrence VARCHAR, note VARCHAR, source VARCHAR, ord INTEGER);
CREATE TABLE IF NOT EXISTS frameworks (
    id VARCHAR PRIMARY KEY, name VARCHAR, locality_id VARCHAR, valid_from INTEGER, valid_to INTEGER, source VARCHAR);
CREATE TABLE IF NOT EXISTS framework_groups (
    framework_id VARCHAR, code VARCHAR, name VARCHAR, max_points DOUBLE PRECISION, ord INTEGER);
CREATE TABLE IF NOT EXISTS framework_items (
    framework_id VARCHAR, code VARCHAR, group_code VARCHAR, name VARCHAR, method VARCHAR, measure VARCHAR,
    comparator VARCHAR, threshold DOUBLE PRECISION, max_points DOUBLE PRECISION, rule VARCHAR, steps VARCHAR,
    source VARCHAR, ord INTEGER);
CREATE TABLE IF NOT EXISTS framework_ratings (framework_id VARCHAR, name VARCHAR, min_points DOUBLE PRECISION);

-- ---------- uploads (never deleted) ----------
CREATE SEQUENCE IF NOT EXISTS submission_id_seq START 1;
-- Each original file once (by SHA-256): its name and size here, its bytes in upload_contents, a
-- table no report reads (databases made before it had the bytes in upload_files.content: moved on start).
CREATE TABLE IF NOT EXISTS upload_files (
    sha256 VARCHAR PRIMARY KEY, file_name VARCHAR, size_bytes BIGINT, first_uploaded_at TIMESTAMP,
    CONSTRAINT upload_files_size CHECK (size_bytes >= 0));
CREATE TABLE IF NOT EXISTS upload_contents (sha256 VARCHAR PRIMARY KEY, content BYTEA NOT NULL);
CREATE TABLE IF NOT EXISTS submissions (
    id BIGINT PRIMARY KEY DEFAULT nextval('submission_id_seq'),
    locality_id VARCHAR NOT NULL, unit_code VARCHAR NOT NULL, village VARCHAR NOT NULL DEFAULT '',
    period VARCHAR NOT NULL,               -- YYYY-MM
    file_name VARCHAR, file_sha256 VARCHAR NOT NULL, uploaded_by VARCHAR, uploaded_at TIMESTAMP NOT NULL,
    replaces BIGINT,                       -- the submission this one superseded (same locality, unit, village, period)
    is_current BOOLEAN NOT NULL, is_sample BOOLEAN NOT NULL DEFAULT FALSE, template_version VARCHAR,
    n_values INTEGER, n_blank INTEGER, n_tasks INTEGER,
    CONSTRAINT submissions_period CHECK (period SIMILAR TO '[0-9]{4}-(0[1-9]|1[0-2])'),
    CONSTRAINT submissions_replaces_earlier CHECK (replaces < id),
    CONSTRAINT submissions_counts CHECK (n_values >= 0 AND n_blank >= 0 AND n_tasks >= 0));
CREATE TABLE IF NOT EXISTS submission_values (
    submission_id BIGINT NOT NULL, measure VARCHAR NOT NULL, value DOUBLE PRECISION, numerator DOUBLE PRECISION,
    denominator DOUBLE PRECISION, evidence VARCHAR, note VARCHAR, sheet_row INTEGER,
    CONSTRAINT submission_values_key PRIMARY KEY (submission_id, measure),   -- a measure once per sheet
    -- loaders/check_measures.py: a rate 0–100, a count or yes/no never negative; Tử số and Mẫu số
    -- together, Mẫu số above 0, Tử số not above it
    CONSTRAINT submission_values_not_negative CHECK (value >= 0),
    CONSTRAINT submission_values_ratio CHECK ((numerator IS NULL) = (denominator IS NULL)
                                              AND numerator >= 0 AND denominator > 0 AND numerator <= denominator));
CREATE TABLE IF NOT EXISTS task_updates (
    submission_id BIGINT NOT NULL, task_code VARCHAR NOT NULL, status VARCHAR, percent DOUBLE PRECISION,
    evidence VARCHAR, sheet_row INTEGER,
    CONSTRAINT task_updates_key PRIMARY KEY (submission_id, task_code),      -- a task once per sheet
    -- the three statuses a sheet offers (plans/vocabulary.py TASK_SHEET_STATUSES), the percent 0–100:
    -- 'done' is 100%, 'not_started' 0% (loaders/check_tasks.py)
    CONSTRAINT task_updates_status CHECK (status IS NOT NULL AND status IN ('not_started', 'in_progress', 'done')),
    CONSTRAINT task_updates_percent CHECK (percent BETWEEN 0 AND 100
                                           AND (status <> 'done' OR percent = 100)
                                           AND (status <> 'not_started' OR percent = 0)));

-- Values and task updates of the current (latest) submission for each locality, unit, village, period.
CREATE OR REPLACE VIEW current_values AS
SELECT s.locality_id, s.unit_code, s.village, s.period, s.id AS submission_id, s.is_sample,
       v.measure, v.value, v.numerator, v.denominator
FROM submission_values v JOIN submissions s ON s.id = v.submission_id
WHERE s.is_current;
CREATE OR REPLACE VIEW current_task_updates AS
SELECT s.locality_id, s.unit_code, s.period, s.id AS submission_id, u.task_code, u.status, u.percent, u.evidence
FROM task_updates u JOIN submissions s ON s.id = u.submission_id
WHERE s.is_current;

-- At most one current submission per (locality, unit, village, period): the primary key refuses a
-- second one (village compared without regard to case, as lower(village)).
CREATE TABLE IF NOT EXISTS current_keys (
    locality_id VARCHAR NOT NULL, unit_code VARCHAR NOT NULL, village_key VARCHAR NOT NULL, period VARCHAR NOT NULL,
    submission_id BIGINT NOT NULL,
    PRIMARY KEY (locality_id, unit_code, village_key, period));

-- ---------- derived from the uploads (store/measure_months.py; rebuilt from them at any time) ----------
-- Each locality's combined value of each measure in each month in which it was reported (the macro
-- monthly_values of sql/value_rules.sql), written in the same transaction as the sheets that change
-- it, so that "as of" a month is a small aggregate over it. version: the locality's newest
-- submission id when its months were computed; a locality whose newest submission is newer (rows
-- written by other means) is combined from its values instead until the next writer refreshes it.
CREATE TABLE IF NOT EXISTS measure_months (
    locality_id VARCHAR NOT NULL, measure VARCHAR NOT NULL, period VARCHAR NOT NULL, year VARCHAR NOT NULL,
    accumulation VARCHAR NOT NULL, value DOUBLE PRECISION,
    CONSTRAINT measure_months_key PRIMARY KEY (locality_id, measure, period),
    CONSTRAINT measure_months_period CHECK (period SIMILAR TO '[0-9]{4}-(0[1-9]|1[0-2])' AND year = left(period, 4)));
-- Beside them, as of each locality's latest month with a current submission (through): its values
-- (what values_as_of.sql gives then) and each task's latest status line (task_updates.sql): "as of"
-- a later month is the same (for the values: a month of the same year), read without the history.
CREATE TABLE IF NOT EXISTS latest_values (
    locality_id VARCHAR NOT NULL, measure VARCHAR NOT NULL, value DOUBLE PRECISION, last_period VARCHAR,
    first_period VARCHAR, first_value DOUBLE PRECISION, year_first_period VARCHAR, year_first_value DOUBLE PRECISION,
    CONSTRAINT latest_values_key PRIMARY KEY (locality_id, measure));
CREATE TABLE IF NOT EXISTS latest_tasks (
    locality_id VARCHAR NOT NULL, unit_code VARCHAR, period VARCHAR, task_code VARCHAR, status VARCHAR,
    percent DOUBLE PRECISION, evidence VARCHAR, uploaded_at TIMESTAMP, submission_id BIGINT,
    CONSTRAINT latest_tasks_key PRIMARY KEY (locality_id, task_code));
CREATE TABLE IF NOT EXISTS measure_month_versions (
    locality_id VARCHAR NOT NULL, version BIGINT NOT NULL, through VARCHAR,
    CONSTRAINT measure_month_versions_key PRIMARY KEY (locality_id),
    CONSTRAINT measure_month_versions_through CHECK (through SIMILAR TO '[0-9]{4}-(0[1-9]|1[0-2])'));

-- ---------- accounts ----------
CREATE TABLE IF NOT EXISTS users (
    username VARCHAR PRIMARY KEY, password_hash VARCHAR NOT NULL,
    role VARCHAR NOT NULL CHECK (role IN ('admin', 'office', 'viewer')),
    locality_id VARCHAR,                   -- NULL: every locality
    disabled BOOLEAN NOT NULL DEFAULT FALSE, created_at TIMESTAMP NOT NULL, password_changed_at TIMESTAMP NOT NULL,
    must_change BOOLEAN NOT NULL DEFAULT FALSE,   -- a one-time password: a new one is set at the next sign-in
    CHECK (role <> 'office' OR locality_id IS NOT NULL),
    CONSTRAINT users_admin_everywhere CHECK (role <> 'admin' OR locality_id IS NULL));   -- store/accounts.py
-- Sign-in sessions (store/sessions.py): the browser keeps a random 256-bit token in a cookie, the store
-- only its SHA-256. Ended by sign-out, the idle timeout, the lifetime, or a change to the account.
CREATE TABLE IF NOT EXISTS sessions (
    token_hash VARCHAR PRIMARY KEY, username VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
    last_seen TIMESTAMP NOT NULL, address VARCHAR, user_agent VARCHAR, ended_at TIMESTAMP, end_reason VARCHAR,
    -- ended by sign-out, lifetime, idle timeout or a change to the account (store/sessions.py), and only then
    CONSTRAINT sessions_end_reason CHECK (end_reason IN ('dang_xuat', 'het_han', 'khong_dung', 'tai_khoan_doi')
                                          AND (ended_at IS NULL) = (end_reason IS NULL)));
-- Failed sign-ins counted per (user name, address) and per address (store/sign_in.py): a stranger's
-- failures slow down that stranger, never the right password typed elsewhere.
CREATE TABLE IF NOT EXISTS login_throttle (
    key VARCHAR PRIMARY KEY, failures INTEGER NOT NULL, last_failed_at TIMESTAMP NOT NULL,
    CONSTRAINT login_throttle_failures CHECK (failures > 0));

-- ---------- closed months (every close and reopen is kept; the latest decides) ----------
CREATE SEQUENCE IF NOT EXISTS period_lock_seq START 1;
CREATE TABLE IF NOT EXISTS period_locks (
    id BIGINT PRIMARY KEY DEFAULT nextval('period_lock_seq'), locality_id VARCHAR NOT NULL, period VARCHAR NOT NULL,
    closed BOOLEAN NOT NULL, by_user VARCHAR NOT NULL, at_time TIMESTAMP NOT NULL, reason VARCHAR,
    CONSTRAINT period_locks_period CHECK (period SIMILAR TO '[0-9]{4}-(0[1-9]|1[0-2])'),
    CONSTRAINT period_locks_reopen_reason CHECK (closed OR coalesce(trim(reason), '') <> ''));   -- store/closing.py

-- ---------- audit trail (append-only: the store has no statement that updates or deletes it) ----------
-- row_hash chains each entry to the previous one (store/audit.py): a change made by other means shows.
CREATE SEQUENCE IF NOT EXISTS audit_seq START 1;
CREATE TABLE IF NOT EXISTS audit_log (
    id BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'), at_time TIMESTAMP NOT NULL, actor VARCHAR, address VARCHAR,
    action VARCHAR NOT NULL, locality_id VARCHAR, period VARCHAR, summary VARCHAR NOT NULL, detail VARCHAR,
    row_hash VARCHAR,
    -- the kinds of store/audit.py (ACTION_LABELS)
    CONSTRAINT audit_log_action CHECK (action IN (
        'login', 'login_failed', 'logout', 'submitted', 'replaced', 'rejected', 'closed', 'reopened', 'user_added',
        'user_disabled', 'password_changed', 'user_enabled', 'user_changed', 'restored', 'backed_up', 'copied',
        'template_set', 'template_reset', 'plan_added', 'sample_removed')),
    CONSTRAINT audit_log_period CHECK (period SIMILAR TO '[0-9]{4}-(0[1-9]|1[0-2])'));

-- ---------- report templates (reports/: an office's edited Word template; never deleted) ----------
CREATE SEQUENCE IF NOT EXISTS report_template_id_seq START 1;
CREATE TABLE IF NOT EXISTS report_templates (
    id BIGINT PRIMARY KEY DEFAULT nextval('report_template_id_seq'),
    locality_id VARCHAR NOT NULL,          -- a plan's id, or 'all' for the city report
    file_name VARCHAR, content BYTEA,       -- NULL content: back to the default template
    uploaded_by VARCHAR, uploaded_at TIMESTAMP NOT NULL);
