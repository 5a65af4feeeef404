-- Final-clearance batches (批次), the 终本 cases in them, and enforcement measures.

CREATE TABLE clearance_batches (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    court_code TEXT NOT NULL REFERENCES courts (code),
    starts_on TEXT NOT NULL,
    deadline TEXT NOT NULL,
    target_cases INTEGER NOT NULL CHECK (target_cases > 0),
    target_recovered_fen BIGINT CHECK (target_recovered_fen >= 0),
    closed_on TEXT,
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    UNIQUE (court_code, name),
    CHECK (deadline >= starts_on)
);

-- A case is in at most one open batch: open_case_id repeats case_id while the batch is open and
-- is cleared when the batch closes, and it is unique.
CREATE TABLE batch_cases (
    batch_id TEXT NOT NULL REFERENCES clearance_batches (id),
    case_id TEXT NOT NULL REFERENCES enforcement_cases (id),
    team TEXT NOT NULL,
    added_at TIMESTAMP WITH TIME ZONE NOT NULL,
    added_by TEXT REFERENCES users (id),
    open_case_id TEXT UNIQUE,
    PRIMARY KEY (batch_id, case_id)
);
CREATE INDEX batch_cases_case ON batch_cases (case_id);

CREATE TABLE measures (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES enforcement_cases (id),
    kind TEXT NOT NULL,
    taken_on TEXT NOT NULL,
    persons INTEGER,
    item_count INTEGER,
    amount_fen BIGINT CHECK (amount_fen >= 0),
    document_number TEXT NOT NULL,
    judge_id TEXT REFERENCES users (id),
    recorded_by TEXT REFERENCES users (id),
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX measures_case ON measures (case_id, taken_on);
