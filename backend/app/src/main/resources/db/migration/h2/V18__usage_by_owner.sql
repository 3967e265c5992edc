-- The usage ledger per owner too (issue 17: per-user budgets and usage): the same owner key as
-- generation_task.owner_id ('' = the first admin, or the one user when login is off), which is
-- what every count made before accounts is.
ALTER TABLE usage_daily ADD COLUMN owner_id VARCHAR(36) DEFAULT '' NOT NULL;
ALTER TABLE usage_daily DROP PRIMARY KEY;
ALTER TABLE usage_daily ADD PRIMARY KEY (usage_day, model, owner_id);
