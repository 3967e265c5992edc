-- Image sets (issue 16): a task whose images are one related set, asked for in one streamed call.
ALTER TABLE generation_task ADD COLUMN sequential BOOLEAN DEFAULT FALSE NOT NULL;
