-- Favourites for the history; the Idempotency-Key a client sent with its submit and a fingerprint of
-- the request, so a retried submit returns the same task and a reused key with another body is refused.
ALTER TABLE generation_task ADD COLUMN favourite BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE generation_task ADD COLUMN idempotency_key VARCHAR(128);
ALTER TABLE generation_task ADD COLUMN request_fingerprint VARCHAR(64);
CREATE UNIQUE INDEX generation_task_idempotency_idx ON generation_task (idempotency_key);
CREATE INDEX generation_task_created_idx ON generation_task (created_at, id);
