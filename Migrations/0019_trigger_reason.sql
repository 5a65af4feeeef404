-- 法释〔2017〕7号 art. 2 ¶2: the court may delete a fixed-term entry early when the debtor performs
-- actively or corrects the conduct; the decision says why, and the reason stays with the entry.
ALTER TABLE blacklist_entries ADD COLUMN trigger_reason TEXT;
