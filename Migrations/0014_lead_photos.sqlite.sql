-- Up to three photos per lead, as stored after the check: JPEG or PNG by content, location and
-- other metadata removed (the liaison's whereabouts are nobody's business). In the database, so
-- one backup holds everything.
CREATE TABLE lead_photos (
    lead_id TEXT NOT NULL REFERENCES leads (id),
    position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 3),
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (lead_id, position)
);
