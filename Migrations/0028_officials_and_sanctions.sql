-- Issue 18 items 1 and 3: a debtor's standings as a public official, and fines, detentions and
-- summonses that name their person and act.
--
-- A debtor may hold several standings (法释〔2017〕7号 art. 8; 中办发〔2016〕64号). A deputy's level
-- decides whether detaining them needs the congress's permission (代表法 art. 39).
-- debtors.is_public_official stays the export's 是否公职人员: it reads as 国家工作人员 until the
-- standings are edited, and the service keeps it true exactly when a standing is recorded.
CREATE TABLE debtor_standings (
    debtor_id TEXT NOT NULL REFERENCES debtors (id),
    standing TEXT NOT NULL CHECK (standing IN ('stateFunctionary', 'deputy', 'cppccMember', 'partyMember', 'soeManager')),
    deputy_level TEXT CHECK (deputy_level IN ('township', 'county', 'city', 'province', 'national')),
    PRIMARY KEY (debtor_id, standing),
    CHECK ((standing = 'deputy' AND deputy_level IS NOT NULL) OR (standing <> 'deputy' AND deputy_level IS NULL))
);
ALTER TABLE debtors ADD COLUMN employer_superior TEXT;
ALTER TABLE debtors ADD COLUMN standing_verified_by TEXT;

-- 民事诉讼法 arts. 114–119. person_key is the debtor's id or another person's folded name;
-- act_key the act's folded text: 民诉法解释 art. 184 forbids fining or detaining twice for the same
-- act, and the unique index keeps that rule against two judges recording at once.
ALTER TABLE measures ADD COLUMN debtor_id TEXT REFERENCES debtors (id);
ALTER TABLE measures ADD COLUMN person_name TEXT;
ALTER TABLE measures ADD COLUMN person_kind TEXT CHECK (person_kind IN ('individual', 'unit'));
ALTER TABLE measures ADD COLUMN person_key TEXT;
ALTER TABLE measures ADD COLUMN act TEXT;
ALTER TABLE measures ADD COLUMN act_key TEXT;
ALTER TABLE measures ADD COLUMN days INTEGER CHECK (days BETWEEN 1 AND 15);
ALTER TABLE measures ADD COLUMN deputy_permission TEXT;
-- 民诉法解释 art. 185: 复议 applied for within 3 days of service, decided within 5.
ALTER TABLE measures ADD COLUMN reconsideration_applied_on TEXT;
ALTER TABLE measures ADD COLUMN reconsideration_due_on TEXT;
ALTER TABLE measures ADD COLUMN reconsideration_decided_on TEXT;
ALTER TABLE measures ADD COLUMN reconsideration_outcome TEXT CHECK (reconsideration_outcome IN ('upheld', 'varied', 'revoked'));
CREATE UNIQUE INDEX measures_same_act ON measures (case_id, kind, person_key, act_key) WHERE act_key IS NOT NULL;
CREATE INDEX measures_debtor ON measures (debtor_id, kind);
