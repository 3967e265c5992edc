-- Upstream asynchronous tasks (CVSync2AsyncSubmitTask), one per image of a generation task. The row is
-- committed before polling starts, so after a restart the app polls the same upstream task again
-- instead of submitting (and paying for) a second one.
CREATE TABLE upstream_job (
    task_id          VARCHAR(36) NOT NULL REFERENCES generation_task (id) ON DELETE CASCADE,
    image_index      INT         NOT NULL,
    req_key          VARCHAR(64) NOT NULL,
    upstream_task_id VARCHAR(64) NOT NULL,
    submitted_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (task_id, image_index)
);
