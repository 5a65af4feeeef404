-- Issue 16 items 4 and 13.
--
-- One unexecuted amount (法释〔2017〕7号 art. 11: a published amount that is too high is itself a
-- ground for correction): a 执恢 case carries on the enforcement of the case it resumed, so what
-- is paid on it is performed on the original too. Each case of a resumption chain names the
-- chain's first case and its place in the chain; the first case keeps NULL and 0, so a case
-- registered or imported by any path needs nothing new.
ALTER TABLE enforcement_cases ADD COLUMN chain_root_id TEXT REFERENCES enforcement_cases (id);
ALTER TABLE enforcement_cases ADD COLUMN chain_position INTEGER NOT NULL DEFAULT 0;
WITH RECURSIVE chain (id, root_id, position) AS (
    SELECT id, id, 0 FROM enforcement_cases WHERE resumed_from_id IS NULL
    UNION ALL
    SELECT c.id, chain.root_id, chain.position + 1 FROM chain JOIN enforcement_cases c ON c.resumed_from_id = chain.id
)
UPDATE enforcement_cases
SET chain_root_id = (SELECT chain.root_id FROM chain WHERE chain.id = enforcement_cases.id),
    chain_position = (SELECT chain.position FROM chain WHERE chain.id = enforcement_cases.id)
WHERE resumed_from_id IS NOT NULL;
CREATE INDEX enforcement_cases_chain ON enforcement_cases (chain_root_id, chain_position);

-- A payment above what is left to pay says what the excess is (迟延履行利息, 执行费, …).
ALTER TABLE payments ADD COLUMN excess_reason TEXT;
-- A payment recorded in error is reversed, never deleted: it stays on record, shown in the
-- history, and no figure counts it.
ALTER TABLE payments ADD COLUMN reversed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE payments ADD COLUMN reversed_by TEXT REFERENCES users (id);
ALTER TABLE payments ADD COLUMN reversal_reason TEXT;
