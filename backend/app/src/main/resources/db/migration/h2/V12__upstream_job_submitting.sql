-- A row is now written before an asynchronous submit goes out, without the upstream task id, and
-- completed with it once the service answers. A row still without an id after a restart is a
-- submit whose outcome nobody heard: the task is not submitted again (it may have been accepted,
-- and would be paid for twice), it fails and says so.
ALTER TABLE upstream_job ALTER COLUMN upstream_task_id DROP NOT NULL;
