-- Villages (行政村/社区) of the county's townships: master data an admin registers, so that a
-- debtor's village is one of a known list rather than free text (township liaisons work by village).
CREATE TABLE villages (
    id TEXT PRIMARY KEY,
    township_code TEXT NOT NULL REFERENCES townships (code),
    name TEXT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    UNIQUE (township_code, name)
);
