-- Issue 16 item 11: 复议. A rejected correction request can be taken to the court one level up
-- within 10 days of the decision's service, which decides within 15 days (法释〔2017〕7号 art. 12).
-- A 复议 is a procedure of its own kind, naming the request it reviews (`parent_id`) and the day
-- the rejection was served (`served_on`), from which the 10 days run.
ALTER TABLE blacklist_procedures DROP CONSTRAINT blacklist_procedures_kind_check;
ALTER TABLE blacklist_procedures ADD CONSTRAINT blacklist_procedures_kind_check
    CHECK (kind IN ('revocation', 'correction', 'objection', 'reconsideration'));
ALTER TABLE blacklist_procedures ADD COLUMN parent_id TEXT REFERENCES blacklist_procedures (id);
ALTER TABLE blacklist_procedures ADD COLUMN served_on TEXT;
-- One 复议 a rejected request.
CREATE UNIQUE INDEX blacklist_procedures_reconsidered ON blacklist_procedures (parent_id) WHERE parent_id IS NOT NULL;
