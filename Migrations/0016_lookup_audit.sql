-- Asset look-ups, second part (issue 4): the director's approval, telling the applicant, the
-- snapshot connector's extracts, and measures taken on a finding.

-- A refused look-up keeps the director's reason; "whether the applicant was told" is part of the
-- log schema rules.md §4 derives from 法〔2016〕373号 art. 9 (the court tells the applicant the
-- result of each periodic look-up).
ALTER TABLE asset_lookups ADD COLUMN refusal_reason TEXT;
ALTER TABLE asset_lookups ADD COLUMN applicant_told_on TEXT;
ALTER TABLE asset_lookups ADD COLUMN applicant_told_how TEXT;
ALTER TABLE asset_lookups ADD COLUMN applicant_told_by TEXT REFERENCES users (id);
ALTER TABLE asset_lookups ADD COLUMN applicant_told_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX asset_lookups_requested ON asset_lookups (requested_at);
CREATE INDEX asset_lookups_status ON asset_lookups (status, requested_at);

-- Where an answer came from when it was not an exchange: the extract file it was read from.
ALTER TABLE asset_lookup_answers ADD COLUMN source TEXT;

-- A measure (查封, 扣押, 冻结, 扣划) taken on something a look-up found.
ALTER TABLE measures ADD COLUMN finding_id TEXT REFERENCES asset_findings (id);
CREATE INDEX measures_finding ON measures (finding_id);

-- Extract files a department hands over (`chuqing import snapshot CATEGORY FILE`): one current
-- extract per category answers its questions; earlier ones stay listed (who loaded what, when,
-- its SHA-256) but their rows are dropped when a newer one replaces them.
CREATE TABLE asset_snapshots (
    id TEXT PRIMARY KEY,
    category_code TEXT NOT NULL REFERENCES data_categories (code),
    extracted_on TEXT NOT NULL,
    file_name TEXT NOT NULL,
    digest TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    loaded_by TEXT NOT NULL,
    loaded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    is_current BOOLEAN NOT NULL
);
CREATE UNIQUE INDEX asset_snapshots_current ON asset_snapshots (category_code) WHERE is_current;

CREATE TABLE asset_snapshot_rows (
    snapshot_id TEXT NOT NULL REFERENCES asset_snapshots (id),
    line INTEGER NOT NULL,
    id_number TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    identifier TEXT,
    value_fen BIGINT CHECK (value_fen >= 0),
    holder TEXT,
    PRIMARY KEY (snapshot_id, line)
);
-- (snapshot_id, id_number, line): the rows of one holder, already in file order. Without `line`
-- SQLite (no ANALYZE yet) prefers the primary key to skip the sort and reads the whole extract.
CREATE INDEX asset_snapshot_rows_subject ON asset_snapshot_rows (snapshot_id, id_number, line);
