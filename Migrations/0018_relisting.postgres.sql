-- 法释〔2017〕7号 art. 10 ¶3: a debtor whose entry was deleted (or revoked) may be listed again in
-- the same case when a circumstance recurs. One *current* entry per debtor per case; removed
-- entries stay on record beside it.
ALTER TABLE blacklist_entries DROP CONSTRAINT blacklist_entries_case_id_debtor_id_key;
CREATE UNIQUE INDEX blacklist_entries_current ON blacklist_entries (case_id, debtor_id) WHERE removal IS NULL;
