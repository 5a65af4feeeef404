-- Issue 16 item 18: a dry run's file is kept, so the clerk who checked it can commit it without
-- choosing it again. It belongs to the person who checked it, and it is kept for a day: a
-- checked export older than that is removed when the next one is kept (the court's system will
-- have a newer export by then). In the database, so any instance behind the same database can
-- commit it, and a restart loses nothing.
CREATE TABLE checked_imports (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    filename TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX checked_imports_created ON checked_imports (created_at);
