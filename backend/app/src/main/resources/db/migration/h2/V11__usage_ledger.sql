-- Usage is counted in a ledger of its own, per UTC day and model, when things happen: deleting a task
-- from the history (by hand or by the retention cleanup) removes its row and its images, but not what
-- it cost, so neither the usage statistics nor the monthly image quota go back down.
CREATE TABLE usage_daily (
    usage_day  DATE        NOT NULL,
    model      VARCHAR(64) NOT NULL,
    tasks      BIGINT      NOT NULL DEFAULT 0,
    images     BIGINT      NOT NULL DEFAULT 0,
    completed  BIGINT      NOT NULL DEFAULT 0,
    failed     BIGINT      NOT NULL DEFAULT 0,
    cancelled  BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (usage_day, model)
);

-- What the tables still hold is what can be back-filled: one grouped pass over each.
INSERT INTO usage_daily (usage_day, model, tasks)
SELECT d, model, COUNT(*) FROM (
    SELECT CAST(created_at AT TIME ZONE 'UTC' AS DATE) AS d, model FROM generation_task
) GROUP BY d, model;

MERGE INTO usage_daily u
USING (
    SELECT d, model, COUNT(*) AS n FROM (
        SELECT CAST(i.created_at AT TIME ZONE 'UTC' AS DATE) AS d, t.model AS model
        FROM stored_image i JOIN generation_task t ON t.id = i.task_id
    ) GROUP BY d, model
) s ON u.usage_day = s.d AND u.model = s.model
WHEN MATCHED THEN UPDATE SET images = s.n
WHEN NOT MATCHED THEN INSERT (usage_day, model, images) VALUES (s.d, s.model, s.n);

MERGE INTO usage_daily u
USING (
    SELECT d, model,
           SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) AS completed,
           SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed,
           SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled
    FROM (
        SELECT CAST(completed_at AT TIME ZONE 'UTC' AS DATE) AS d, model, status FROM generation_task
        WHERE completed_at IS NOT NULL AND status IN ('completed', 'failed', 'cancelled')
    ) GROUP BY d, model
) s ON u.usage_day = s.d AND u.model = s.model
WHEN MATCHED THEN UPDATE SET completed = s.completed, failed = s.failed, cancelled = s.cancelled
WHEN NOT MATCHED THEN INSERT (usage_day, model, completed, failed, cancelled)
    VALUES (s.d, s.model, s.completed, s.failed, s.cancelled);
