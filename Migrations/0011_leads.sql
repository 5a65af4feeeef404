-- Leads from township liaisons (线索), in arrival order per debtor (悬赏 art. 23: who came first
-- matters for rewards). A retry of a submission with the same Idempotency-Key returns the first
-- lead: the key is unique per liaison, with a hash of the body to tell a retry from a reuse.
CREATE TABLE leads (
    id TEXT PRIMARY KEY,
    debtor_id TEXT NOT NULL REFERENCES debtors (id),
    -- 1, 2, 3… per debtor in the order the leads arrived; UNIQUE, so two at once cannot share a place.
    position INTEGER NOT NULL,
    liaison_id TEXT NOT NULL REFERENCES users (id),
    township_code TEXT NOT NULL REFERENCES townships (code),
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    place TEXT,
    seen_on TEXT NOT NULL,
    is_urgent BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'verifying', 'verified', 'rejected')),
    verify_by TEXT NOT NULL,
    idempotency_key TEXT,
    request_hash TEXT,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    UNIQUE (liaison_id, idempotency_key),
    UNIQUE (debtor_id, position)
);
CREATE INDEX leads_liaison ON leads (liaison_id, received_at);
