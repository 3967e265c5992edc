-- Editing operations (issue 16): what a task does, and what it works on. A generation is
-- 'generate' with no source. The source image's id is a column of its own so that an image's
-- edits can be listed by index; the uploads an edit reads (its source upload, its mask) and an
-- outpaint's extension are kept together as JSON.
ALTER TABLE generation_task ADD COLUMN operation VARCHAR(32) DEFAULT 'generate' NOT NULL;
ALTER TABLE generation_task ADD COLUMN source_image_id VARCHAR(36);
ALTER TABLE generation_task ADD COLUMN edit_json VARCHAR(1000);
CREATE INDEX generation_task_source_idx ON generation_task (source_image_id, created_at);
