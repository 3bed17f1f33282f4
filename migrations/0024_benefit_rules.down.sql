ALTER TABLE benefit_periods DROP COLUMN rule_reason;
DROP TABLE pension_ages;
DROP TABLE benefit_rules;
