-- The township network (issue 6): every liaison is a township's enforcement commissioner
-- (执行专员), a village liaison (联络员) or an assisting enforcer (协助执行员: grid workers, village
-- cadres, mediators); the last two are bound to one village of their township. Judges give an
-- office phone that liaisons see next to their name.
ALTER TABLE users ADD COLUMN liaison_kind TEXT CHECK (liaison_kind IN ('commissioner', 'villageLiaison', 'assistant'));
ALTER TABLE users ADD COLUMN village_id TEXT REFERENCES villages (id);
ALTER TABLE users ADD COLUMN office_phone TEXT;
-- Liaisons created before the network was modelled were township-wide: commissioners.
UPDATE users SET liaison_kind = 'commissioner' WHERE role = 'liaison';

-- A debtor a judge asks a township to look for although they are in no open clearance batch, or
-- registered in another township (a debtor who works away from home). Ending an assignment keeps
-- the row: who asked whom, and until when.
CREATE TABLE debtor_assignments (
    id TEXT PRIMARY KEY,
    debtor_id TEXT NOT NULL REFERENCES debtors (id),
    township_code TEXT NOT NULL REFERENCES townships (code),
    note TEXT,
    assigned_by TEXT REFERENCES users (id),
    assigned_at TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_by TEXT REFERENCES users (id),
    ended_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX debtor_assignments_township ON debtor_assignments (township_code, debtor_id);

-- What a verified lead led to: a measure, a payment or (once look-ups exist) a look-up, by id.
ALTER TABLE leads ADD COLUMN outcome_kind TEXT CHECK (outcome_kind IN ('measure', 'payment', 'lookup'));
ALTER TABLE leads ADD COLUMN outcome_id TEXT;
CREATE INDEX leads_debtor ON leads (debtor_id, position);
CREATE INDEX leads_township ON leads (township_code);

-- Tips share the leads' triage: a verify-by date, the answer, what it led to.
ALTER TABLE tips ADD COLUMN verify_by TEXT;
ALTER TABLE tips ADD COLUMN reply TEXT;
ALTER TABLE tips ADD COLUMN decided_by TEXT REFERENCES users (id);
ALTER TABLE tips ADD COLUMN decided_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE tips ADD COLUMN outcome_kind TEXT CHECK (outcome_kind IN ('measure', 'payment', 'lookup'));
ALTER TABLE tips ADD COLUMN outcome_id TEXT;

-- Household visits (入户走访). Never updated: the debtor's portrait (人物画像) is the latest value
-- of each field over all visits, and every earlier value stays readable.
CREATE TABLE visits (
    id TEXT PRIMARY KEY,
    debtor_id TEXT NOT NULL REFERENCES debtors (id),
    visited_on TEXT NOT NULL,
    visitors TEXT NOT NULL,
    found_at_home BOOLEAN NOT NULL,
    current_address TEXT,
    phone TEXT,
    work TEXT,
    whereabouts TEXT,
    family TEXT,
    assets_seen TEXT,
    attitude TEXT,
    note TEXT,
    submitted_by TEXT NOT NULL REFERENCES users (id),
    township_code TEXT REFERENCES townships (code),
    received_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX visits_debtor ON visits (debtor_id, visited_on);
CREATE INDEX visits_submitter ON visits (submitted_by);
