-- Asset look-ups across the data categories other departments share with the court (issue 4).

-- The catalogue: one row per category, with the department, the channel (rules.md §4: 点对点,
-- 总对总 or by hand), the connector that answers it, and its timeout and retries. Data, not code:
-- an admin adds, renames or disables a category.
CREATE TABLE data_categories (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    department TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('pointToPoint', 'national', 'manual')),
    connector TEXT NOT NULL CHECK (connector IN ('exchange', 'snapshot')),
    timeout_ms INTEGER NOT NULL CHECK (timeout_ms BETWEEN 100 AND 600000),
    retries INTEGER NOT NULL CHECK (retries BETWEEN 0 AND 5),
    is_enabled BOOLEAN NOT NULL,
    position INTEGER NOT NULL
);

-- The 13 categories 兴国县's departments share (as in 新余): banks and securities through the
-- national system, the rest through the local exchange.
INSERT INTO data_categories (code, name, department, channel, connector, timeout_ms, retries, is_enabled, position) VALUES
    ('realEstate', '不动产登记', '县自然资源局（不动产登记中心）', 'pointToPoint', 'exchange', 5000, 1, TRUE, 1),
    ('marketRegulation', '市场监管', '县市场监督管理局', 'pointToPoint', 'exchange', 5000, 1, TRUE, 2),
    ('vehicles', '车辆登记', '县公安局交通警察大队', 'pointToPoint', 'exchange', 5000, 1, TRUE, 3),
    ('housingFund', '住房公积金', '赣州市住房公积金中心兴国分中心', 'pointToPoint', 'exchange', 5000, 1, TRUE, 4),
    ('socialInsurance', '社会保险', '县人力资源和社会保障局', 'pointToPoint', 'exchange', 5000, 1, TRUE, 5),
    ('medicalInsurance', '医疗保险', '县医疗保障局', 'pointToPoint', 'exchange', 5000, 1, TRUE, 6),
    ('tax', '税务', '国家税务总局兴国县税务局', 'pointToPoint', 'exchange', 5000, 1, TRUE, 7),
    ('marriage', '民政婚姻登记', '县民政局', 'pointToPoint', 'exchange', 5000, 1, TRUE, 8),
    ('householdRegistration', '户籍', '县公安局', 'pointToPoint', 'exchange', 5000, 1, TRUE, 9),
    ('utilities', '水电气缴费', '县供水、供电、燃气公司', 'pointToPoint', 'exchange', 5000, 1, TRUE, 10),
    ('bankDeposits', '银行存款', '各银行（网络执行查控系统）', 'national', 'exchange', 5000, 1, TRUE, 11),
    ('securities', '证券', '中国证券登记结算公司（网络执行查控系统）', 'national', 'exchange', 5000, 1, TRUE, 12),
    ('publicResources', '公共资源交易', '县公共资源交易中心、县财政局', 'pointToPoint', 'exchange', 5000, 1, TRUE, 13);

-- One look-up: a debtor of a case, the legal basis, who asked and who approved (法释〔2013〕20号:
-- authorised officers only, an approval in practice; rules.md §4's log schema).
CREATE TABLE asset_lookups (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES enforcement_cases (id),
    debtor_id TEXT NOT NULL REFERENCES debtors (id),
    legal_basis TEXT NOT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('manual', 'periodic')),
    status TEXT NOT NULL CHECK (status IN ('awaitingApproval', 'running', 'completed', 'refused')),
    requested_by TEXT REFERENCES users (id),
    requested_at TIMESTAMP WITH TIME ZONE NOT NULL,
    approved_by TEXT REFERENCES users (id),
    approved_at TIMESTAMP WITH TIME ZONE,
    finished_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX asset_lookups_case ON asset_lookups (case_id, requested_at);
CREATE INDEX asset_lookups_debtor ON asset_lookups (debtor_id);

-- Each category of a look-up: how it ended, after how many attempts, why it failed, and the
-- SHA-256 of the answer as received (the audit keeps the digest; the findings are below).
CREATE TABLE asset_lookup_answers (
    lookup_id TEXT NOT NULL REFERENCES asset_lookups (id),
    category_code TEXT NOT NULL REFERENCES data_categories (code),
    status TEXT NOT NULL CHECK (status IN ('pending', 'answered', 'failed', 'timedOut')),
    attempts INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    digest TEXT,
    finding_count INTEGER NOT NULL DEFAULT 0,
    answered_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (lookup_id, category_code)
);

-- What the answers found.
CREATE TABLE asset_findings (
    id TEXT PRIMARY KEY,
    lookup_id TEXT NOT NULL REFERENCES asset_lookups (id),
    category_code TEXT NOT NULL REFERENCES data_categories (code),
    -- The finding's place in its answer.
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    identifier TEXT,
    value_fen BIGINT CHECK (value_fen >= 0),
    holder TEXT,
    found_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX asset_findings_lookup ON asset_findings (lookup_id);
