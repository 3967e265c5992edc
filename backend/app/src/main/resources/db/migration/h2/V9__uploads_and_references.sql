-- Reference images a user uploaded; the file is DATA_DIR/uploads/<id>.<png|jpg|webp>, named by our id only.
CREATE TABLE upload (
    id          VARCHAR(36) NOT NULL PRIMARY KEY,
    mime_type   VARCHAR(32) NOT NULL,
    width       INT         NOT NULL,
    height      INT         NOT NULL,
    size_bytes  BIGINT      NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
-- The uploads a task sends upstream as reference images (a JSON array of upload ids), kept with the
-- task so a retry or a resume after a restart sends the same ones.
ALTER TABLE generation_task ADD COLUMN reference_ids_json VARCHAR(2000) DEFAULT '[]' NOT NULL;
-- Idempotency-Key of POST /api/v1/generate/batch: the batch a key made and what the answer was, so a
-- repeated submit returns the same batch instead of queueing its tasks again.
CREATE TABLE batch_submission (
    idempotency_key     VARCHAR(128) NOT NULL PRIMARY KEY,
    request_fingerprint VARCHAR(64)  NOT NULL,
    batch_id            VARCHAR(36)  NOT NULL,
    plan_json           VARCHAR(8000) NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
