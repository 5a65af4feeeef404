-- 法释〔2017〕7号 art. 10(4) counts look-ups that found no *property*: a category that answers
-- with information, not property (婚姻, 户籍/居住, 社保, 水电气缴费), finding something does not
-- count against "no property found". The catalogue says which categories are property; the
-- court changes it on the catalogue page.
ALTER TABLE data_categories ADD COLUMN is_property BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE data_categories SET is_property = FALSE WHERE code IN ('marriage', 'householdRegistration', 'socialInsurance', 'utilities');
