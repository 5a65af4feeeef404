-- Dishonest-debtor list entries (失信被执行人名单, 法释〔2017〕7号): one per debtor per case. A deleted
-- entry is never erased (rules.md §1, "deletion is not erasure"): it is marked and kept.
CREATE TABLE blacklist_entries (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES enforcement_cases (id),
    debtor_id TEXT NOT NULL REFERENCES debtors (id),
    circumstances TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    decision_number TEXT NOT NULL,
    expires_on TEXT,
    extension_years INTEGER NOT NULL DEFAULT 0,
    extension_reason TEXT,
    publishable_from TEXT NOT NULL,
    deletion_trigger TEXT,
    triggered_on TEXT,
    deletion_due_on TEXT,
    deleted_on TEXT,
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    UNIQUE (case_id, debtor_id)
);
CREATE INDEX blacklist_entries_debtor ON blacklist_entries (debtor_id);
CREATE INDEX blacklist_entries_due ON blacklist_entries (deletion_due_on);
