-- Issue 16 item 11: 复议. A rejected correction request can be taken to the court one level up
-- within 10 days of the decision's service, which decides within 15 days (法释〔2017〕7号 art. 12).
-- A 复议 is a procedure of its own kind, naming the request it reviews (`parent_id`) and the day
-- the rejection was served (`served_on`), from which the 10 days run.
--
-- SQLite cannot change a CHECK constraint, so the table is rebuilt as sqlite.org/lang_altertable.html
-- describes; nothing references blacklist_procedures but its own new column.
CREATE TABLE blacklist_procedures_rebuilt (
    id TEXT PRIMARY KEY,
    entry_id TEXT NOT NULL REFERENCES blacklist_entries (id),
    kind TEXT NOT NULL CHECK (kind IN ('revocation', 'correction', 'objection', 'reconsideration')),
    ground TEXT,
    arose_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    decided_on TEXT,
    outcome TEXT CHECK (outcome IN ('upheld', 'rejected')),
    decision_note TEXT,
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    parent_id TEXT REFERENCES blacklist_procedures_rebuilt (id),
    served_on TEXT
);
INSERT INTO blacklist_procedures_rebuilt (
    id, entry_id, kind, ground, arose_on, due_on, reason, decided_on, outcome, decision_note, created_by, created_at)
SELECT id, entry_id, kind, ground, arose_on, due_on, reason, decided_on, outcome, decision_note, created_by, created_at
FROM blacklist_procedures;
DROP TABLE blacklist_procedures;
ALTER TABLE blacklist_procedures_rebuilt RENAME TO blacklist_procedures;
CREATE INDEX blacklist_procedures_entry ON blacklist_procedures (entry_id);
CREATE INDEX blacklist_procedures_due ON blacklist_procedures (due_on);
-- One 复议 a rejected request.
CREATE UNIQUE INDEX blacklist_procedures_reconsidered ON blacklist_procedures (parent_id) WHERE parent_id IS NOT NULL;
