-- Generation tasks: one row per request, updated as it moves through the queue.
CREATE TABLE generation_task (
    id                     VARCHAR(36)   NOT NULL PRIMARY KEY,
    status                 VARCHAR(16)   NOT NULL,
    stage                  VARCHAR(16)   NOT NULL,
    progress               INT           NOT NULL,
    model                  VARCHAR(64)   NOT NULL,
    prompt                 VARCHAR(4000) NOT NULL,
    negative_prompt        VARCHAR(4000) NOT NULL,
    width                  INT           NOT NULL,
    height                 INT           NOT NULL,
    num_images             INT           NOT NULL,
    seed                   BIGINT        NOT NULL,
    steps                  INT,
    scale                  DOUBLE PRECISION,
    attempts               INT           NOT NULL DEFAULT 0,
    error_code             VARCHAR(64),
    error_upstream_message VARCHAR(2000),
    error_message_zh       VARCHAR(1000),
    error_message_en       VARCHAR(1000),
    error_retryable        BOOLEAN,
    created_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at             TIMESTAMP WITH TIME ZONE,
    completed_at           TIMESTAMP WITH TIME ZONE
);
CREATE INDEX generation_task_status_idx ON generation_task (status, created_at);

-- Stored images; the files live under DATA_DIR/images and DATA_DIR/thumbnails, named by id.
CREATE TABLE stored_image (
    id          VARCHAR(36)  NOT NULL PRIMARY KEY,
    task_id     VARCHAR(36)  NOT NULL REFERENCES generation_task (id) ON DELETE CASCADE,
    image_index INT          NOT NULL,
    seed        BIGINT       NOT NULL,
    width       INT          NOT NULL,
    height      INT          NOT NULL,
    mime_type   VARCHAR(32)  NOT NULL,
    size_bytes  BIGINT       NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    -- A task's n-th image is stored once, even if the task is resumed after a crash.
    CONSTRAINT stored_image_task_index UNIQUE (task_id, image_index)
);
CREATE INDEX stored_image_created_idx ON stored_image (created_at);
