-- Issue 18 item 4: 执行和解 (法释〔2018〕3号 as amended in 2020; rules-next §2).
--
-- A settlement belongs to a case in enforcement, which is 中止 while it runs (suspended_on).
-- Its instalments are the schedule; payments are the case's own, matched to the instalments in
-- order from the day of the agreement, so nothing is stored twice. A settlement ends performed
-- (the case closes as 执行完毕 in the same transaction as the payment that completes it) or
-- resumed on the applicant's application after a breach. Breach is read from the schedule and
-- the payments on the day, never stored (the scheduler's reminder of it is one per key). One
-- running settlement a case (the partial unique index).
CREATE TABLE settlements (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES enforcement_cases (id),
    agreed_on TEXT NOT NULL,
    filing TEXT NOT NULL,
    terms TEXT NOT NULL,
    suspended_on TEXT NOT NULL,
    unperformed_fen BIGINT NOT NULL,
    total_fen BIGINT NOT NULL,
    excess_reason TEXT,
    guarantor TEXT,
    guarantor_promise BOOLEAN NOT NULL DEFAULT FALSE,
    acceleration BOOLEAN NOT NULL DEFAULT FALSE,
    last_due_on TEXT NOT NULL,
    performed_on TEXT,
    resumption_applied_on TEXT,
    resumed_on TEXT,
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX settlements_case ON settlements (case_id);
CREATE UNIQUE INDEX settlements_one_running ON settlements (case_id) WHERE performed_on IS NULL AND resumed_on IS NULL;

CREATE TABLE settlement_instalments (
    settlement_id TEXT NOT NULL REFERENCES settlements (id),
    position INTEGER NOT NULL,
    due_on TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    PRIMARY KEY (settlement_id, position)
);
