-- Issue 18 item 1: the 涉公职人员案件组's pushes to employers and escalations (rules-next §1).
--
-- A push is a 失信情况通报函 sent to a debtor's employer with a deadline to perform (a court
-- setting). letter_xml is the letter as sent, rendered again from this text. The scheduler
-- marks a push due for escalation the day after its deadline when the case is still
-- unperformed (escalation_due_on), or records that it was performed; an escalation is one 移送函
-- per body the court names, produced once (the unique key), by a member's click or by the
-- scheduler.
CREATE TABLE official_pushes (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES enforcement_cases (id),
    debtor_id TEXT NOT NULL REFERENCES debtors (id),
    recipient TEXT NOT NULL,
    sent_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    letter_number TEXT NOT NULL UNIQUE,
    letter_xml TEXT NOT NULL,
    acknowledged_on TEXT,
    replied_on TEXT,
    reply TEXT,
    escalation_due_on TEXT,
    escalated_on TEXT,
    performed_on TEXT,
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    UNIQUE (case_id, debtor_id)
);
CREATE INDEX official_pushes_due ON official_pushes (due_on) WHERE escalated_on IS NULL AND performed_on IS NULL;

CREATE TABLE official_escalations (
    id TEXT PRIMARY KEY,
    push_id TEXT NOT NULL REFERENCES official_pushes (id),
    body TEXT NOT NULL,
    letter_number TEXT NOT NULL UNIQUE,
    letter_xml TEXT NOT NULL,
    produced_on TEXT NOT NULL,
    -- nil when the scheduler produced it
    produced_by TEXT REFERENCES users (id),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    UNIQUE (push_id, body)
);
