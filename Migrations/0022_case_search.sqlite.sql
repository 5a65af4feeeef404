-- Issue 16 item 12: search finds what people type — part of a case number, part of a debtor's or
-- applicant's name, the last characters of an ID number or credit code. One row a case with what
-- a person searches for, in an FTS5 table with the trigram tokenizer, which answers `col LIKE
-- '%text%'` (three characters or more) from its index. PostgreSQL has the same table with pg_trgm
-- indexes (0022_case_search.postgres.sql), so the search is one SQL on both engines. Each ID
-- number is followed by '|', so `ids LIKE '%1234|%'` finds a number by its last characters only.
-- Triggers keep it in step with the cases, their debtors and the debtors' names and numbers.
CREATE VIRTUAL TABLE case_search USING fts5 (case_id UNINDEXED, numbers, names, ids, tokenize = 'trigram');

-- What a case's row holds: the one definition the fill and every trigger use.
CREATE VIEW case_search_source AS
SELECT c.rowid AS case_rowid, c.id AS case_id, c.case_number AS numbers,
       c.applicants || ' ' || COALESCE((SELECT group_concat(d.name, ' ') FROM case_debtors cd JOIN debtors d ON d.id = cd.debtor_id WHERE cd.case_id = c.id), '') AS names,
       COALESCE((SELECT group_concat(d.id_number || '|', ' ') FROM case_debtors cd JOIN debtors d ON d.id = cd.debtor_id WHERE cd.case_id = c.id), '') AS ids
FROM enforcement_cases c;

INSERT INTO case_search (rowid, case_id, numbers, names, ids) SELECT case_rowid, case_id, numbers, names, ids FROM case_search_source;

CREATE TRIGGER case_search_case_insert AFTER INSERT ON enforcement_cases BEGIN
    INSERT INTO case_search (rowid, case_id, numbers, names, ids) VALUES (NEW.rowid, NEW.id, NEW.case_number, NEW.applicants, '');
END;

CREATE TRIGGER case_search_case_update AFTER UPDATE OF case_number, applicants ON enforcement_cases BEGIN
    DELETE FROM case_search WHERE rowid = NEW.rowid;
    INSERT INTO case_search (rowid, case_id, numbers, names, ids)
    SELECT case_rowid, case_id, numbers, names, ids FROM case_search_source WHERE case_id = NEW.id;
END;

CREATE TRIGGER case_search_link_insert AFTER INSERT ON case_debtors BEGIN
    DELETE FROM case_search WHERE rowid = (SELECT rowid FROM enforcement_cases WHERE id = NEW.case_id);
    INSERT INTO case_search (rowid, case_id, numbers, names, ids)
    SELECT case_rowid, case_id, numbers, names, ids FROM case_search_source WHERE case_id = NEW.case_id;
END;

CREATE TRIGGER case_search_link_delete AFTER DELETE ON case_debtors BEGIN
    DELETE FROM case_search WHERE rowid = (SELECT rowid FROM enforcement_cases WHERE id = OLD.case_id);
    INSERT INTO case_search (rowid, case_id, numbers, names, ids)
    SELECT case_rowid, case_id, numbers, names, ids FROM case_search_source WHERE case_id = OLD.case_id;
END;

CREATE TRIGGER case_search_debtor_update AFTER UPDATE OF name, id_number ON debtors BEGIN
    DELETE FROM case_search WHERE rowid IN (
        SELECT c.rowid FROM enforcement_cases c JOIN case_debtors cd ON cd.case_id = c.id WHERE cd.debtor_id = NEW.id);
    INSERT INTO case_search (rowid, case_id, numbers, names, ids)
    SELECT case_rowid, case_id, numbers, names, ids FROM case_search_source
    WHERE case_id IN (SELECT case_id FROM case_debtors WHERE debtor_id = NEW.id);
END;
