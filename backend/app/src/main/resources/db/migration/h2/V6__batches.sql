-- Tasks submitted together by POST /api/v1/generate/batch share a batch id.
ALTER TABLE generation_task ADD COLUMN batch_id VARCHAR(36);
CREATE INDEX generation_task_batch_idx ON generation_task (batch_id);
