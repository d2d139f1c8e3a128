-- 001 (PostgreSQL): the same tables as Schema/001_core.sql, in PostgreSQL's types
-- (BIGINT for SQLite's 64-bit INTEGER, BYTEA for BLOB), the same append-only rule in
-- PL/pgSQL, and what SQLite has built in and PostgreSQL does not: mediate's mark,
-- SQLite's rowids, and the few SQLite functions the store's SQL uses.
--
-- 001: the organisation, the policy, the cases and their append-only event chain.
-- Times are whole seconds since 1970-01-01 UTC; months and days are computed in the
-- deployment's time zone (setting 'timezone').

-- mediate's mark, where SQLite keeps it in the file header (PRAGMA application_id,
-- 002) and the schema version (PRAGMA user_version): a database with tables and without
-- this mark is another program's, and mediate never touches it.
CREATE TABLE mediate_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO mediate_meta (key, value) VALUES ('application_id', '1296385097'), ('user_version', '0');

-- SQLite's functions that the store's SQL uses, with SQLite's meaning for what it uses
-- them for. json_extract: a string value of a flat JSON object by its path '$.key'.
CREATE FUNCTION json_extract(document TEXT, path TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN document::jsonb ->> substr(path, 3);
-- instr: the 1-based position of the first occurrence, 0 if none.
CREATE FUNCTION instr(haystack TEXT, needle TEXT) RETURNS INTEGER
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN strpos(haystack, needle);
-- json_each over a JSON array of scalars (ids or logins), as a text column named value:
-- the store casts ids (CAST(value AS BIGINT)), as it must for SQLite's own too.
-- PostgreSQL's own json_each(json) reads objects and is untouched.
CREATE FUNCTION json_each(document TEXT) RETURNS TABLE (value TEXT)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT jsonb_array_elements_text(document::jsonb) $$;
-- SQLite's BLOB, for the store's temporary tables.
CREATE DOMAIN blob AS BYTEA;

-- The ladder of levels is data: rank 1 is the lowest, where disputes are filed.
-- A deployment that works "小事不出楼栋、大事不出小区" renames these rows.
CREATE TABLE level (
    rank            BIGINT PRIMARY KEY CHECK (rank >= 1),
    code            TEXT NOT NULL UNIQUE,
    name_zh         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    -- How long a case may wait at this level before it is overdue.
    time_limit_days BIGINT NOT NULL CHECK (time_limit_days BETWEEN 1 AND 365)
);
-- 7 days in the grid: the "seven-day" ladder of grid governance, in which a grid
--   worker settles or reports a dispute within a week (网格 7 日内化解, local practice).
-- 30 days in the community and the street: the Ministry of Justice's rules on
--   people's mediation work (《人民调解工作若干规定》, 司法部令第75号, 2002) expect
--   a dispute to be settled within about one month.
INSERT INTO level (rank, code, name_zh, name_en, time_limit_days) VALUES
    (1, 'grid', '网格', 'grid', 7),
    (2, 'community', '社区', 'community', 30),
    (3, 'street', '街道', 'street', 30);

-- Each severity's ceiling is the highest level where it belongs (小事不出网格、
-- 大事不出社区). Escalating a case above its ceiling is allowed but is a breach.
CREATE TABLE severity (
    code    TEXT PRIMARY KEY,
    rank    BIGINT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    ceiling BIGINT NOT NULL REFERENCES level (rank)
);
INSERT INTO severity (code, rank, name_zh, name_en, ceiling) VALUES
    ('minor', 1, '一般', 'minor', 1),
    ('major', 2, '较大', 'major', 2),
    ('critical', 3, '重大', 'critical', 3);

-- The categories of the official people's-mediation statistics (人民调解案件统计).
CREATE TABLE category (
    code     TEXT PRIMARY KEY,
    name_zh  TEXT NOT NULL UNIQUE,
    name_en  TEXT NOT NULL,
    position BIGINT NOT NULL
);
INSERT INTO category (code, name_zh, name_en, position) VALUES
    ('family', '婚姻家庭', 'marriage and family', 1),
    ('neighbour', '邻里', 'neighbours', 2),
    ('housing', '房屋宅基地', 'housing and homesteads', 3),
    ('contract', '合同', 'contracts', 4),
    ('business', '生产经营', 'production and business', 5),
    ('damages', '损害赔偿', 'damages', 6),
    ('land', '山林土地', 'forest and land', 7),
    ('demolition', '征地拆迁', 'land expropriation', 8),
    ('environment', '环境污染', 'environmental pollution', 9),
    ('labour', '劳动争议', 'labour disputes', 10),
    ('consumer', '消费', 'consumer disputes', 11),
    ('medical', '医疗', 'medical disputes', 12),
    ('traffic', '道路交通事故', 'road traffic accidents', 13),
    ('property', '物业', 'property management', 14),
    ('other', '其它', 'other', 15);

-- How a dispute came in.
CREATE TABLE source (
    code     TEXT PRIMARY KEY,
    name_zh  TEXT NOT NULL UNIQUE,
    name_en  TEXT NOT NULL,
    position BIGINT NOT NULL
);
INSERT INTO source (code, name_zh, name_en, position) VALUES
    ('patrol', '网格排查', 'grid patrol', 1),
    ('application', '当事人申请', 'application by a party', 2),
    ('initiative', '主动调解', 'committee initiative', 3),
    ('hotline', '12345转办', 'hotline 12345', 4),
    ('police', '110移送', 'police 110', 5),
    ('court', '法院委托', 'entrusted by a court', 6),
    ('department', '部门委派', 'assigned by a department', 7);

-- Deployment settings. 'timezone': an IANA zone name; absent means the system's.
CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Street -> community -> grid: each unit sits one level below its parent.
CREATE TABLE unit (
    id        BIGINT PRIMARY KEY,
    code      TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    level     BIGINT NOT NULL REFERENCES level (rank),
    parent_id BIGINT REFERENCES unit (id)
);
CREATE INDEX unit_parent ON unit (parent_id);

CREATE TABLE person (
    id      BIGINT PRIMARY KEY,
    login   TEXT NOT NULL UNIQUE,
    name    TEXT NOT NULL,
    role    TEXT NOT NULL CHECK (role IN ('grid_worker', 'mediator', 'legal_volunteer', 'admin')),
    -- NULL only for an admin of the whole deployment (the one `init` registers).
    unit_id BIGINT REFERENCES unit (id),
    CHECK (unit_id IS NOT NULL OR role = 'admin')
);

-- The case row is what its events say: `mediate verify` replays them to prove it.
-- ("case" is an SQL keyword.)
CREATE TABLE dispute (
    id             BIGINT PRIMARY KEY,
    year           BIGINT NOT NULL,
    serial         BIGINT NOT NULL,
    origin_unit_id BIGINT NOT NULL REFERENCES unit (id),
    unit_id        BIGINT NOT NULL REFERENCES unit (id),
    level          BIGINT NOT NULL,
    top_level      BIGINT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('open', 'mediating', 'resolved', 'closed', 'referred', 'withdrawn')),
    severity       TEXT NOT NULL REFERENCES severity (code),
    category       TEXT NOT NULL REFERENCES category (code),
    source         TEXT NOT NULL REFERENCES source (code),
    source_ref     TEXT,
    summary        TEXT NOT NULL,
    assignee       TEXT REFERENCES person (login),
    filed_at       BIGINT NOT NULL,
    due_at         BIGINT NOT NULL,
    resolved_at    BIGINT,
    closed_at      BIGINT,
    follow_up_at   BIGINT,
    supervised_at  BIGINT,
    breaches       BIGINT NOT NULL,
    -- The case_seq of its last event: a write that saw an older version is refused.
    version        BIGINT NOT NULL,
    last_event_at  BIGINT NOT NULL,
    UNIQUE (year, serial)
);
CREATE INDEX dispute_state_due ON dispute (state, due_at);
CREATE INDEX dispute_filed ON dispute (filed_at);
CREATE INDEX dispute_unit ON dispute (unit_id);

CREATE TABLE party (
    case_id   BIGINT NOT NULL REFERENCES dispute (id),
    position  BIGINT NOT NULL,
    name      TEXT NOT NULL,
    role      TEXT NOT NULL,
    phone     TEXT,
    id_number TEXT,
    address   TEXT,
    PRIMARY KEY (case_id, position)
);

-- One chain of events for the whole deployment. Case events also keep the case as
-- the event left it, so that a report can see any past moment; set-up and policy
-- events (case_id NULL) are the audit trail of the administration.
CREATE TABLE event (
    id           BIGINT PRIMARY KEY,
    case_id      BIGINT REFERENCES dispute (id),
    case_seq     BIGINT,
    action       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    effective_at BIGINT NOT NULL,
    entered_at   BIGINT NOT NULL,
    state        TEXT,
    unit_id      BIGINT,
    level        BIGINT,
    top_level    BIGINT,
    severity     TEXT,
    category     TEXT,
    due_at       BIGINT,
    breach       BIGINT NOT NULL DEFAULT 0,
    detail       TEXT NOT NULL,
    -- SHA-256 over the previous event's hash and this event's content.
    hash         BYTEA NOT NULL
);
CREATE UNIQUE INDEX event_case_seq ON event (case_id, case_seq);
CREATE INDEX event_effective ON event (effective_at);

-- Events are append-only, as SQLite's triggers event_no_update and event_no_delete
-- say; PostgreSQL can also empty a table without deleting rows one by one (TRUNCATE),
-- so that is refused too.
CREATE FUNCTION mediate_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only';
END
$$;
CREATE TRIGGER event_no_update BEFORE UPDATE ON event
    FOR EACH ROW EXECUTE FUNCTION mediate_append_only();
CREATE TRIGGER event_no_delete BEFORE DELETE ON event
    FOR EACH ROW EXECUTE FUNCTION mediate_append_only();
CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON event
    FOR EACH STATEMENT EXECUTE FUNCTION mediate_append_only();

-- SQLite's rowid: a row inserted without an id gets the largest id plus one, as in
-- SQLite, so that ids mean the same on both engines and a copy keeps them. One inserter
-- per table at a time (a lock held until commit), and the id is kept for the
-- transaction, where the store reads it as SQLite's last_insert_rowid().
CREATE FUNCTION mediate_rowid() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        PERFORM pg_advisory_xact_lock(1296385097, hashtext(TG_TABLE_NAME));
        EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM %I', TG_TABLE_NAME) INTO NEW.id;
    END IF;
    PERFORM set_config('mediate.last_insert_id', NEW.id::text, true);
    RETURN NEW;
END
$$;
CREATE TRIGGER unit_rowid BEFORE INSERT ON unit FOR EACH ROW EXECUTE FUNCTION mediate_rowid();
CREATE TRIGGER person_rowid BEFORE INSERT ON person FOR EACH ROW EXECUTE FUNCTION mediate_rowid();
CREATE TRIGGER dispute_rowid BEFORE INSERT ON dispute FOR EACH ROW EXECUTE FUNCTION mediate_rowid();

-- SQLite's catalogue, as far as the store reads it: the tables, and the triggers that
-- are in force (a disabled one is not), each with its definition (type, state,
-- function and the SHA-256 of the function's source), so that `verify` sees one
-- rewritten to let an update through.
CREATE VIEW sqlite_master (type, name, tbl_name, sql) AS
    SELECT 'table'::text, c.relname::text, c.relname::text, NULL::text
    FROM pg_class c
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
    UNION ALL
    SELECT 'trigger'::text, t.tgname::text, c.relname::text,
        format('%s %s %s %s', t.tgtype, t.tgenabled, p.proname, encode(sha256(convert_to(p.prosrc, 'UTF8')), 'hex'))
    FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_proc p ON p.oid = t.tgfoid
    WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal AND t.tgenabled <> 'D';

-- SQLite's pragma_table_info, as far as the store reads it: a table's column names.
CREATE FUNCTION pragma_table_info(table_name TEXT) RETURNS TABLE (name TEXT)
    LANGUAGE sql STABLE STRICT
    AS $$ SELECT column_name::text FROM information_schema.columns
          WHERE table_schema = current_schema() AND information_schema.columns.table_name = $1 $$;
