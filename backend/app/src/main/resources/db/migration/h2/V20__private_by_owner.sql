-- Privacy by default (issue 17): images, uploads and presets belong to an owner like tasks do (''
-- for the first admin and for the one implicit user when login is off, which is what everything
-- stored before is).
ALTER TABLE stored_image ADD COLUMN owner_id VARCHAR(36) DEFAULT '' NOT NULL;
-- An image is its task's: members' tasks stored since V17 keep their images.
UPDATE stored_image SET owner_id = COALESCE(
    (SELECT t.owner_id FROM generation_task t WHERE t.id = stored_image.task_id), '');
ALTER TABLE upload ADD COLUMN owner_id VARCHAR(36) DEFAULT '' NOT NULL;
ALTER TABLE preset ADD COLUMN owner_id VARCHAR(36) DEFAULT '' NOT NULL;
-- A preset's name is unique among its owner's presets only.
ALTER TABLE preset DROP CONSTRAINT preset_name_unique;
ALTER TABLE preset ADD CONSTRAINT preset_owner_name_unique UNIQUE (owner_id, name);
-- A member's list of their own history walks this instead of everybody's newest-first index.
CREATE INDEX generation_task_owner_idx ON generation_task (owner_id, created_at DESC, id DESC);
-- An Idempotency-Key is unique per owner: it is stored as '<owner>/<key>' (the first owner's
-- unchanged), so a key cannot reach another user's task or batch.
ALTER TABLE generation_task ALTER COLUMN idempotency_key SET DATA TYPE VARCHAR(170);
ALTER TABLE batch_submission ALTER COLUMN idempotency_key SET DATA TYPE VARCHAR(170);
