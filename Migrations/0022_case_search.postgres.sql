-- Issue 16 item 12: search finds what people type (see 0022_case_search.sqlite.sql). The same
-- table as on SQLite, with pg_trgm GIN indexes, which answer `col LIKE '%text%'` (three
-- characters or more) from the index. pg_trgm ships with PostgreSQL and is a trusted extension
-- (13+): the database owner may create it (docs/operations.md).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE case_search (
    case_id TEXT PRIMARY KEY,
    numbers TEXT NOT NULL,
    names TEXT NOT NULL,
    ids TEXT NOT NULL
);

-- What a case's row holds: the one definition the fill and every trigger use.
CREATE VIEW case_search_source AS
SELECT c.id AS case_id, c.case_number AS numbers,
       c.applicants || ' ' || COALESCE((SELECT string_agg(d.name, ' ' ORDER BY cd.position) FROM case_debtors cd JOIN debtors d ON d.id = cd.debtor_id WHERE cd.case_id = c.id), '') AS names,
       COALESCE((SELECT string_agg(d.id_number || '|', ' ' ORDER BY cd.position) FROM case_debtors cd JOIN debtors d ON d.id = cd.debtor_id WHERE cd.case_id = c.id), '') AS ids
FROM enforcement_cases c;

CREATE FUNCTION case_search_refresh(target TEXT) RETURNS void LANGUAGE sql AS $$
    DELETE FROM case_search WHERE case_id = target;
    INSERT INTO case_search (case_id, numbers, names, ids) SELECT case_id, numbers, names, ids FROM case_search_source WHERE case_id = target;
$$;

INSERT INTO case_search (case_id, numbers, names, ids) SELECT case_id, numbers, names, ids FROM case_search_source;

CREATE INDEX case_search_numbers ON case_search USING gin (numbers gin_trgm_ops);
CREATE INDEX case_search_names ON case_search USING gin (names gin_trgm_ops);
CREATE INDEX case_search_ids ON case_search USING gin (ids gin_trgm_ops);

CREATE FUNCTION case_search_case_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM case_search_refresh(NEW.id);
    RETURN NULL;
END;
$$;
CREATE TRIGGER case_search_case_insert AFTER INSERT ON enforcement_cases FOR EACH ROW EXECUTE FUNCTION case_search_case_changed();
CREATE TRIGGER case_search_case_update AFTER UPDATE OF case_number, applicants ON enforcement_cases
    FOR EACH ROW EXECUTE FUNCTION case_search_case_changed();

CREATE FUNCTION case_search_link_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM case_search_refresh(OLD.case_id);
    ELSE
        PERFORM case_search_refresh(NEW.case_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER case_search_link AFTER INSERT OR DELETE ON case_debtors FOR EACH ROW EXECUTE FUNCTION case_search_link_changed();

CREATE FUNCTION case_search_debtor_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM case_search_refresh(cd.case_id) FROM case_debtors cd WHERE cd.debtor_id = NEW.id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER case_search_debtor_update AFTER UPDATE OF name, id_number ON debtors
    FOR EACH ROW EXECUTE FUNCTION case_search_debtor_changed();
