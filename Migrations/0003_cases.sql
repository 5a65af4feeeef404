-- Cases, judgments and debtors (issue 3). Calendar dates are ISO text YYYY-MM-DD on both engines
-- (sortable, no time zone); money is BIGINT 分.

-- Courts (master data). hotline: the 举报电话 notices print (限制消费规定 art. 10); 12368 is the
-- courts' national service line until a court sets its own.
CREATE TABLE courts (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    county_code TEXT,
    hotline TEXT NOT NULL
);
INSERT INTO courts (code, name, county_code, hotline) VALUES
    ('赣0732', '兴国县人民法院', '360732', '12368'),
    ('赣0733', '会昌县人民法院', '360733', '12368'),
    ('赣07', '赣州市中级人民法院', '3607', '12368');

-- 执行依据: the effective judgment, ruling, award or mediation document a case enforces.
CREATE TABLE judgments (
    id TEXT PRIMARY KEY,
    document_number TEXT NOT NULL UNIQUE,
    issued_by TEXT NOT NULL,
    effective_on TEXT,
    duty TEXT
);

CREATE TABLE enforcement_cases (
    id TEXT PRIMARY KEY,
    case_number TEXT NOT NULL UNIQUE,
    court_code TEXT NOT NULL REFERENCES courts (code),
    filed_on TEXT NOT NULL,
    closed_on TEXT,
    status TEXT NOT NULL CHECK (status IN ('inEnforcement', 'terminatedThisRound', 'fullyEnforced', 'terminated',
                                           'refused', 'rejected', 'withdrawn')),
    judgment_id TEXT NOT NULL REFERENCES judgments (id),
    applicants TEXT NOT NULL,
    target_fen BIGINT NOT NULL CHECK (target_fen > 0),
    -- What the court's export says was performed before Chuqing; payments recorded in Chuqing add to it.
    imported_performed_fen BIGINT NOT NULL DEFAULT 0 CHECK (imported_performed_fen >= 0),
    judge_name TEXT,
    judge_id TEXT REFERENCES users (id),
    township_code TEXT REFERENCES townships (code),
    -- A 执恢 case points at the 终本 case it resumed; the original's "resumed as" is derived.
    resumed_from_id TEXT UNIQUE REFERENCES enforcement_cases (id),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX enforcement_cases_status ON enforcement_cases (status, filed_on);
CREATE INDEX enforcement_cases_filed ON enforcement_cases (filed_on);
CREATE INDEX enforcement_cases_township ON enforcement_cases (township_code);
CREATE INDEX enforcement_cases_judge ON enforcement_cases (judge_id);

CREATE TABLE debtors (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'organization', 'unincorporatedOrganization')),
    name TEXT NOT NULL,
    id_number TEXT NOT NULL UNIQUE,
    id_type TEXT NOT NULL CHECK (id_type IN ('citizen_id', 'credit_code', 'organization_code')),
    legal_representative TEXT,
    address TEXT,
    phone TEXT,
    township_code TEXT REFERENCES townships (code),
    village TEXT,
    is_public_official BOOLEAN NOT NULL DEFAULT FALSE,
    employer TEXT,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CHECK (is_public_official = FALSE OR employer IS NOT NULL)
);
CREATE INDEX debtors_name ON debtors (name);

CREATE TABLE case_debtors (
    case_id TEXT NOT NULL REFERENCES enforcement_cases (id),
    debtor_id TEXT NOT NULL REFERENCES debtors (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (case_id, debtor_id)
);
CREATE INDEX case_debtors_debtor ON case_debtors (debtor_id);

CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES enforcement_cases (id),
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    received_on TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('voluntary', 'deduction', 'auction', 'settlementInstalment')),
    recorded_by TEXT REFERENCES users (id),
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX payments_case ON payments (case_id, received_on);

-- Every change of a case, never overwritten: creation, import updates, transitions, payments, resumption.
CREATE TABLE case_history (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES enforcement_cases (id),
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    on_date TEXT,
    actor_id TEXT REFERENCES users (id),
    actor_username TEXT,
    event TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    reason TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_history_case ON case_history (case_id, occurred_at);
