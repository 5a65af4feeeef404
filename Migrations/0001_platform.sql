-- Chuqing platform: townships, users, sessions and the audit log.
-- Portable SQL for SQLite and PostgreSQL. Ids are assigned by the application (lower-case UUID
-- text); instants are TIMESTAMP WITH TIME ZONE (SQLite stores the bound seconds since 1970).

-- Townships (乡镇) of the court's county. Liaisons are bound to one.
CREATE TABLE townships (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    county_code TEXT NOT NULL,
    UNIQUE (county_code, name)
);

-- 兴国县 (360732): 8 towns and 17 townships. Codes are the court's own, not statistical codes.
INSERT INTO townships (code, name, county_code) VALUES
    ('360732-01', '潋江镇', '360732'),
    ('360732-02', '江背镇', '360732'),
    ('360732-03', '古龙岗镇', '360732'),
    ('360732-04', '梅窖镇', '360732'),
    ('360732-05', '高兴镇', '360732'),
    ('360732-06', '良村镇', '360732'),
    ('360732-07', '龙口镇', '360732'),
    ('360732-08', '城岗镇', '360732'),
    ('360732-09', '兴江乡', '360732'),
    ('360732-10', '樟木乡', '360732'),
    ('360732-11', '东村乡', '360732'),
    ('360732-12', '兴莲乡', '360732'),
    ('360732-13', '杰村乡', '360732'),
    ('360732-14', '社富乡', '360732'),
    ('360732-15', '埠头乡', '360732'),
    ('360732-16', '永丰乡', '360732'),
    ('360732-17', '隆坪乡', '360732'),
    ('360732-18', '均村乡', '360732'),
    ('360732-19', '茶园乡', '360732'),
    ('360732-20', '崇贤乡', '360732'),
    ('360732-21', '枫边乡', '360732'),
    ('360732-22', '南坑乡', '360732'),
    ('360732-23', '方太乡', '360732'),
    ('360732-24', '鼎龙乡', '360732'),
    ('360732-25', '长冈乡', '360732');

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'director', 'judge', 'clerk', 'liaison', 'auditor')),
    township_code TEXT REFERENCES townships (code),
    password_hash TEXT NOT NULL,
    is_disabled BOOLEAN NOT NULL DEFAULT FALSE,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    -- Liaisons, and only liaisons, are bound to a township.
    CHECK ((role = 'liaison') = (township_code IS NOT NULL))
);

-- Login sessions: API bearer tokens and browser cookies alike. Only the SHA-256 of the token is
-- kept, so a copy of the database does not let anyone log in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('api', 'web')),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at TIMESTAMP WITH TIME ZONE,
    address TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Append-only record of who did what to which record, when, from where. Written in the same
-- transaction as the change it records.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    actor_id TEXT REFERENCES users (id),
    actor_username TEXT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    detail TEXT NOT NULL DEFAULT '',
    address TEXT,
    request_id TEXT
);
CREATE INDEX audit_log_occurred ON audit_log (occurred_at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
