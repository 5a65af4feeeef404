-- The judge's answer to a lead: what was done (verified) or why not (rejected), seen by the liaison.
ALTER TABLE leads ADD COLUMN reply TEXT;
ALTER TABLE leads ADD COLUMN decided_by TEXT REFERENCES users (id);
ALTER TABLE leads ADD COLUMN decided_at TIMESTAMP WITH TIME ZONE;
