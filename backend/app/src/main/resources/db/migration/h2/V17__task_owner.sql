-- Whose task it is (issue 17): the account id, or '' for the first admin (APP_AUTH_USERNAME) and for
-- the one implicit user when login is off, which is what every task stored before accounts is.
-- The dispatcher takes waiting tasks in turns across owners.
ALTER TABLE generation_task ADD COLUMN owner_id VARCHAR(36) DEFAULT '' NOT NULL;
