-- A debtor's photo (for finding the person: judges and, later, township liaisons), kept in the
-- database so that one backup holds everything. One photo per debtor; a new upload replaces it.
CREATE TABLE debtor_photos (
    debtor_id TEXT PRIMARY KEY REFERENCES debtors (id),
    content_type TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by TEXT REFERENCES users (id),
    uploaded_at TIMESTAMP WITH TIME ZONE NOT NULL
);
