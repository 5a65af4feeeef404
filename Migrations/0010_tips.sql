-- Tip-offs (举报) from the public, invited by the published notices, and phoned-in tips entered by
-- a clerk. The subject is optional (a tip may name nobody on the list); when given through a
-- notice, it is the entry of that notice. `status` is the triage state leads will share.
CREATE TABLE tips (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL CHECK (source IN ('publicForm', 'phone')),
    issue_id TEXT REFERENCES notice_issues (id),
    entry_id TEXT REFERENCES blacklist_entries (id),
    case_id TEXT REFERENCES enforcement_cases (id),
    debtor_id TEXT REFERENCES debtors (id),
    text TEXT NOT NULL,
    place TEXT,
    tipster_name TEXT,
    tipster_phone TEXT,
    address TEXT,
    entered_by TEXT REFERENCES users (id),
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'verifying', 'verified', 'rejected')),
    received_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX tips_received ON tips (received_at);
CREATE INDEX tips_case ON tips (case_id);
