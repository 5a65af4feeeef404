-- Issue 17: the scheduler's jobs, and the reminders it leaves for people.
--
-- A job is claimed by one process at a time: its lease (lease_token, lease_until) is taken in a
-- short transaction (FOR UPDATE SKIP LOCKED on PostgreSQL, so several servers on one database
-- never take the same job), and its effect commits in one transaction with state = 'done'. A
-- process that dies mid-job leaves the lease to run out; the job is then taken again, and because
-- its effect never committed, the effect exists once.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    -- JSON; '{}' when the kind needs nothing more
    payload TEXT NOT NULL,
    due_at TIMESTAMP WITH TIME ZONE NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    last_error TEXT,
    -- what made it: 'scheduler' (a periodic job), 'user:<username>', 'job:<id>'
    created_by TEXT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_token TEXT,
    lease_until TIMESTAMP WITH TIME ZONE,
    started_at TIMESTAMP WITH TIME ZONE,
    finished_at TIMESTAMP WITH TIME ZONE,
    -- what the job did, in Chinese, for the admin's page
    result TEXT,
    -- one job per key: a periodic job's day ('blacklist.graceEnded@2026-04-05'), a reminder's subject
    dedupe_key TEXT UNIQUE
);
CREATE INDEX jobs_claimable ON jobs (state, due_at);

-- A person's reminders (提醒). Each is theirs alone; read_at is set when they open it.
CREATE TABLE inbox_items (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    due_on TEXT,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    read_at TIMESTAMP WITH TIME ZONE,
    -- one reminder per user, subject and day, however often the job runs
    dedupe_key TEXT NOT NULL UNIQUE
);
CREATE INDEX inbox_items_user ON inbox_items (user_id, created_at);
