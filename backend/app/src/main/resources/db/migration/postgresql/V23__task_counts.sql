-- Issue 18: the number of tasks per owner and status, kept by triggers as rows change. PostgreSQL
-- counts a table by reading all of it (10 ms at 100k tasks, on every history page and search);
-- H2 keeps a table's row count itself, so its V23 adds nothing.
CREATE TABLE generation_task_count (
    owner_id VARCHAR(36) NOT NULL,
    status   VARCHAR(16) NOT NULL,
    n        BIGINT      NOT NULL,
    PRIMARY KEY (owner_id, status)
);

-- Nobody changes a task between the first count and the triggers taking over.
LOCK TABLE generation_task IN SHARE ROW EXCLUSIVE MODE;

INSERT INTO generation_task_count (owner_id, status, n)
SELECT owner_id, status, COUNT(*) FROM generation_task GROUP BY owner_id, status;

-- Rows inserted or deleted: one change per owner and status for the whole statement (a batch, the
-- move-up command), not one per row. In key order, so two statements never each hold a count the
-- other waits for.
CREATE FUNCTION generation_task_inserted() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO generation_task_count (owner_id, status, n)
  SELECT owner_id, status, COUNT(*) FROM inserted GROUP BY owner_id, status ORDER BY owner_id, status
  ON CONFLICT (owner_id, status) DO UPDATE SET n = generation_task_count.n + EXCLUDED.n;
  RETURN NULL;
END $$;

CREATE FUNCTION generation_task_deleted() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO generation_task_count (owner_id, status, n)
  SELECT owner_id, status, -COUNT(*) FROM deleted GROUP BY owner_id, status ORDER BY owner_id, status
  ON CONFLICT (owner_id, status) DO UPDATE SET n = generation_task_count.n + EXCLUDED.n;
  RETURN NULL;
END $$;

-- A task moving between two counts (the app changes one task per statement): both rows locked in
-- one order, whichever way it moves, or pending → running on one replica and running → pending on
-- another could each hold the row the other waits for.
CREATE FUNCTION generation_task_moved() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO generation_task_count (owner_id, status, n)
  SELECT owner_id, status, n FROM (VALUES (OLD.owner_id, OLD.status, -1), (NEW.owner_id, NEW.status, 1))
    AS moved (owner_id, status, n)
  ORDER BY owner_id, status
  ON CONFLICT (owner_id, status) DO UPDATE SET n = generation_task_count.n + EXCLUDED.n;
  RETURN NULL;
END $$;

CREATE TRIGGER generation_task_counted_insert AFTER INSERT ON generation_task
REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION generation_task_inserted();
CREATE TRIGGER generation_task_counted_delete AFTER DELETE ON generation_task
REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION generation_task_deleted();
-- Only when the owner or status changes: progress and lease renewals pay nothing.
CREATE TRIGGER generation_task_counted_update AFTER UPDATE OF owner_id, status ON generation_task
FOR EACH ROW WHEN ((OLD.owner_id, OLD.status) IS DISTINCT FROM (NEW.owner_id, NEW.status))
EXECUTE FUNCTION generation_task_moved();
