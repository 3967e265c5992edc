-- Issue 18: which process runs a task (claimed_by), until when its claim holds unless renewed
-- (lease_until, the database's clock), and a fence that grows with every claim: a write of the
-- task's run names the fence it was claimed under, so a process that lost its claim writes nothing.
ALTER TABLE generation_task ADD COLUMN claimed_by VARCHAR(128);
ALTER TABLE generation_task ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE generation_task ADD COLUMN claim_fence BIGINT DEFAULT 0 NOT NULL;
