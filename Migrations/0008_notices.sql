-- How an entry left the list: 'deleted' (法释〔2017〕7号 art. 10) or 'revoked' because it was wrongly
-- made (art. 9). Either way the row stays (rules.md §1, "deletion is not erasure").
ALTER TABLE blacklist_entries ADD COLUMN removal TEXT CHECK (removal IN ('deleted', 'revoked'));
ALTER TABLE blacklist_entries ADD COLUMN removal_reason TEXT;

-- Revocation and correction (art. 9, within 3 working days) and correction requests (arts. 11–12,
-- reviewed within 15 days): each is recorded with the day it arose and the day it is due.
CREATE TABLE blacklist_procedures (
    id TEXT PRIMARY KEY,
    entry_id TEXT NOT NULL REFERENCES blacklist_entries (id),
    kind TEXT NOT NULL CHECK (kind IN ('revocation', 'correction', 'objection')),
    ground TEXT,
    arose_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    decided_on TEXT,
    outcome TEXT CHECK (outcome IN ('upheld', 'rejected')),
    decision_note TEXT,
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX blacklist_procedures_entry ON blacklist_procedures (entry_id);
CREATE INDEX blacklist_procedures_due ON blacklist_procedures (due_on);

-- Notice issues (期): exposure (blacklist) and credit-repair notices, numbered per court, per year,
-- per kind when published. A published issue keeps its canonical XML and its SHA-256 and never
-- changes; a correction is a new issue naming the one it corrects.
CREATE TABLE notice_issues (
    id TEXT PRIMARY KEY,
    court_code TEXT NOT NULL REFERENCES courts (code),
    kind TEXT NOT NULL CHECK (kind IN ('blacklist', 'creditRepair')),
    state TEXT NOT NULL CHECK (state IN ('composed', 'approved', 'published')),
    corrects_id TEXT REFERENCES notice_issues (id),
    year INTEGER,
    number INTEGER,
    composed_by TEXT REFERENCES users (id),
    composed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    approved_by TEXT REFERENCES users (id),
    approved_at TIMESTAMP WITH TIME ZONE,
    published_by TEXT REFERENCES users (id),
    published_at TIMESTAMP WITH TIME ZONE,
    published_on TEXT,
    xml TEXT,
    sha256 TEXT,
    UNIQUE (court_code, kind, year, number),
    CHECK ((state = 'published') = (xml IS NOT NULL AND number IS NOT NULL))
);
CREATE INDEX notice_issues_published ON notice_issues (state, published_at);

CREATE TABLE notice_issue_entries (
    issue_id TEXT NOT NULL REFERENCES notice_issues (id),
    entry_id TEXT NOT NULL REFERENCES blacklist_entries (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (issue_id, entry_id)
);
CREATE INDEX notice_issue_entries_entry ON notice_issue_entries (entry_id);

-- Notifications of a listing or a deletion to the credit platforms and, for public officials, the
-- employer (art. 8): the document is produced and kept; sending it is outside Chuqing.
CREATE TABLE blacklist_notifications (
    id TEXT PRIMARY KEY,
    entry_id TEXT NOT NULL REFERENCES blacklist_entries (id),
    event TEXT NOT NULL CHECK (event IN ('listed', 'deleted', 'revoked')),
    recipient_kind TEXT NOT NULL CHECK (recipient_kind IN ('creditPlatform', 'employer')),
    recipient TEXT NOT NULL,
    xml TEXT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX blacklist_notifications_entry ON blacklist_notifications (entry_id);
