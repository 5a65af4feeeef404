-- The photos shown in a published notice issue, copied at publication so that the issue shows
-- what it showed that day even when the debtor's photo is later replaced.
CREATE TABLE notice_photos (
    issue_id TEXT NOT NULL REFERENCES notice_issues (id),
    entry_id TEXT NOT NULL REFERENCES blacklist_entries (id),
    content_type TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (issue_id, entry_id)
);
