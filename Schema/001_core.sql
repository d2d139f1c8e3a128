-- 001: the organisation, the policy, the cases and their append-only event chain.
-- Times are whole seconds since 1970-01-01 UTC; months and days are computed in the
-- deployment's time zone (setting 'timezone').

-- The ladder of levels is data: rank 1 is the lowest, where disputes are filed.
-- A deployment that works "小事不出楼栋、大事不出小区" renames these rows.
CREATE TABLE level (
    rank            INTEGER PRIMARY KEY CHECK (rank >= 1),
    code            TEXT NOT NULL UNIQUE,
    name_zh         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    -- How long a case may wait at this level before it is overdue.
    time_limit_days INTEGER NOT NULL CHECK (time_limit_days BETWEEN 1 AND 365)
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
    rank    INTEGER NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    ceiling INTEGER NOT NULL REFERENCES level (rank)
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
    position INTEGER NOT NULL
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
    position INTEGER NOT NULL
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
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    level     INTEGER NOT NULL REFERENCES level (rank),
    parent_id INTEGER REFERENCES unit (id)
);
CREATE INDEX unit_parent ON unit (parent_id);

CREATE TABLE person (
    id      INTEGER PRIMARY KEY,
    login   TEXT NOT NULL UNIQUE,
    name    TEXT NOT NULL,
    role    TEXT NOT NULL CHECK (role IN ('grid_worker', 'mediator', 'legal_volunteer', 'admin')),
    -- NULL only for an admin of the whole deployment (the one `init` registers).
    unit_id INTEGER REFERENCES unit (id),
    CHECK (unit_id IS NOT NULL OR role = 'admin')
);

-- The case row is what its events say: `mediate verify` replays them to prove it.
-- ("case" is an SQL keyword.)
CREATE TABLE dispute (
    id             INTEGER PRIMARY KEY,
    year           INTEGER NOT NULL,
    serial         INTEGER NOT NULL,
    origin_unit_id INTEGER NOT NULL REFERENCES unit (id),
    unit_id        INTEGER NOT NULL REFERENCES unit (id),
    level          INTEGER NOT NULL,
    top_level      INTEGER NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('open', 'mediating', 'resolved', 'closed', 'referred', 'withdrawn')),
    severity       TEXT NOT NULL REFERENCES severity (code),
    category       TEXT NOT NULL REFERENCES category (code),
    source         TEXT NOT NULL REFERENCES source (code),
    source_ref     TEXT,
    summary        TEXT NOT NULL,
    assignee       TEXT REFERENCES person (login),
    filed_at       INTEGER NOT NULL,
    due_at         INTEGER NOT NULL,
    resolved_at    INTEGER,
    closed_at      INTEGER,
    follow_up_at   INTEGER,
    supervised_at  INTEGER,
    breaches       INTEGER NOT NULL,
    -- The case_seq of its last event: a write that saw an older version is refused.
    version        INTEGER NOT NULL,
    last_event_at  INTEGER NOT NULL,
    UNIQUE (year, serial)
);
CREATE INDEX dispute_state_due ON dispute (state, due_at);
CREATE INDEX dispute_filed ON dispute (filed_at);
CREATE INDEX dispute_unit ON dispute (unit_id);

CREATE TABLE party (
    case_id   INTEGER NOT NULL REFERENCES dispute (id),
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL,
    role      TEXT NOT NULL,
    phone     TEXT,
    id_number TEXT,
    address   TEXT,
    PRIMARY KEY (case_id, position)
) WITHOUT ROWID;

-- One chain of events for the whole deployment. Case events also keep the case as
-- the event left it, so that a report can see any past moment; set-up and policy
-- events (case_id NULL) are the audit trail of the administration.
CREATE TABLE event (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER REFERENCES dispute (id),
    case_seq     INTEGER,
    action       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    effective_at INTEGER NOT NULL,
    entered_at   INTEGER NOT NULL,
    state        TEXT,
    unit_id      INTEGER,
    level        INTEGER,
    top_level    INTEGER,
    severity     TEXT,
    category     TEXT,
    due_at       INTEGER,
    breach       INTEGER NOT NULL DEFAULT 0,
    detail       TEXT NOT NULL,
    -- SHA-256 over the previous event's hash and this event's content.
    hash         BLOB NOT NULL
);
CREATE UNIQUE INDEX event_case_seq ON event (case_id, case_seq);
CREATE INDEX event_effective ON event (effective_at);

CREATE TRIGGER event_no_update BEFORE UPDATE ON event
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER event_no_delete BEFORE DELETE ON event
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
