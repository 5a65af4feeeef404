-- 法释〔2017〕7号 art. 10 ¶3: a debtor whose entry was deleted (or revoked) may be listed again in
-- the same case when a circumstance recurs. One *current* entry per debtor per case; removed
-- entries stay on record beside it.
--
-- SQLite cannot drop a table constraint, so the table is rebuilt as sqlite.org/lang_altertable.html
-- describes for other kinds of schema change. The references from notices, tips and procedures
-- are checked at commit, when the rebuilt table holds every row again under the same name.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE blacklist_entries_rebuilt (
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
    removal TEXT CHECK (removal IN ('deleted', 'revoked')),
    removal_reason TEXT
);
INSERT INTO blacklist_entries_rebuilt (
    id, case_id, debtor_id, circumstances, decided_on, decision_number, expires_on, extension_years, extension_reason,
    publishable_from, deletion_trigger, triggered_on, deletion_due_on, deleted_on, created_by, created_at, removal, removal_reason)
SELECT id, case_id, debtor_id, circumstances, decided_on, decision_number, expires_on, extension_years, extension_reason,
    publishable_from, deletion_trigger, triggered_on, deletion_due_on, deleted_on, created_by, created_at, removal, removal_reason
FROM blacklist_entries;
DROP TABLE blacklist_entries;
ALTER TABLE blacklist_entries_rebuilt RENAME TO blacklist_entries;
CREATE INDEX blacklist_entries_debtor ON blacklist_entries (debtor_id);
CREATE INDEX blacklist_entries_due ON blacklist_entries (deletion_due_on);
CREATE UNIQUE INDEX blacklist_entries_current ON blacklist_entries (case_id, debtor_id) WHERE removal IS NULL;
