-- Issue 18: jobs that run once across replicas sharing this database (the retention cleanup, the
-- start-up's thumbnail repair): the replica holding a job's lease runs it and renews the lease each
-- time; another takes it over once the lease has run out.
CREATE TABLE singleton_job (
    name        VARCHAR(64)  NOT NULL PRIMARY KEY,
    holder      VARCHAR(128),
    lease_until TIMESTAMP WITH TIME ZONE
);
INSERT INTO singleton_job (name) VALUES ('retention');
INSERT INTO singleton_job (name) VALUES ('thumbnail-repair');
