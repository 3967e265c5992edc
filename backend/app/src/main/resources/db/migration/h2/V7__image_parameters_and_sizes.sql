-- Each image row keeps the generation parameters that are also embedded in its file (so downloads, ZIP
-- manifests and file names need no join), and its thumbnail's size (so the storage budget is summed from
-- the table instead of by walking DATA_DIR).
ALTER TABLE stored_image ADD COLUMN params_json VARCHAR(16000);
ALTER TABLE stored_image ADD COLUMN thumbnail_bytes BIGINT DEFAULT 0 NOT NULL;
-- Images stored before this version: their parameters come from their task. Their thumbnails' sizes stay 0
-- (unknown), a few percent of the budget at most.
UPDATE stored_image i SET params_json = (
    SELECT CAST(JSON_OBJECT(
        'model': t.model, 'prompt': t.prompt, 'negative_prompt': t.negative_prompt, 'width': t.width,
        'height': t.height, 'steps': t.steps, 'scale': t.scale, 'options': t.options_json FORMAT JSON
        NULL ON NULL) AS VARCHAR(16000))
    FROM generation_task t WHERE t.id = i.task_id);
ALTER TABLE stored_image ALTER COLUMN params_json SET NOT NULL;
-- Retention removes the oldest finished non-favourite tasks first.
CREATE INDEX generation_task_retention_idx ON generation_task (favourite, created_at);
