-- PostgreSQL (DATABASE_URL, issue 18): the schema of the H2 migrations V1–V20, written once. A new
-- PostgreSQL database needs none of their steps or back-fills; later migrations come in same-version
-- pairs, one per vendor folder, or in one portable file.
CREATE TABLE generation_task (
    id                     VARCHAR(36)   NOT NULL PRIMARY KEY,
    status                 VARCHAR(16)   NOT NULL,
    stage                  VARCHAR(16)   NOT NULL,
    progress               INTEGER       NOT NULL,
    model                  VARCHAR(64)   NOT NULL,
    prompt                 VARCHAR(4000) NOT NULL,
    negative_prompt        VARCHAR(4000) NOT NULL,
    width                  INTEGER       NOT NULL,
    height                 INTEGER       NOT NULL,
    num_images             INTEGER       NOT NULL,
    seed                   BIGINT        NOT NULL,
    steps                  INTEGER,
    scale                  DOUBLE PRECISION,
    attempts               INTEGER       DEFAULT 0 NOT NULL,
    error_code             VARCHAR(64),
    error_upstream_message VARCHAR(2000),
    error_message_zh       VARCHAR(1000),
    error_message_en       VARCHAR(1000),
    error_retryable        BOOLEAN,
    created_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at             TIMESTAMP WITH TIME ZONE,
    completed_at           TIMESTAMP WITH TIME ZONE,
    options_json           VARCHAR(2000) DEFAULT '{}' NOT NULL,
    favourite              BOOLEAN       DEFAULT FALSE NOT NULL,
    idempotency_key        VARCHAR(170),
    request_fingerprint    VARCHAR(64),
    batch_id               VARCHAR(36),
    reference_ids_json     VARCHAR(2000) DEFAULT '[]' NOT NULL,
    prompt_lower           VARCHAR(4000) GENERATED ALWAYS AS (LOWER(prompt)) STORED,
    operation              VARCHAR(32)   DEFAULT 'generate' NOT NULL,
    source_image_id        VARCHAR(36),
    edit_json              VARCHAR(1000),
    sequential             BOOLEAN       DEFAULT FALSE NOT NULL,
    owner_id               VARCHAR(36)   DEFAULT '' NOT NULL
);
CREATE UNIQUE INDEX generation_task_idempotency_idx ON generation_task (idempotency_key);
CREATE INDEX generation_task_owner_idx ON generation_task (owner_id, created_at DESC, id DESC);
CREATE INDEX generation_task_status_idx ON generation_task (status, created_at);
CREATE INDEX generation_task_created_idx ON generation_task (created_at, id);
CREATE INDEX generation_task_batch_idx ON generation_task (batch_id);
CREATE INDEX generation_task_retention_idx ON generation_task (favourite, created_at);
CREATE INDEX generation_task_newest_idx ON generation_task (created_at DESC, id DESC);
CREATE INDEX generation_task_model_idx ON generation_task (model, created_at DESC, id DESC);
CREATE INDEX generation_task_favourite_idx ON generation_task (favourite, created_at DESC, id DESC);
CREATE INDEX generation_task_source_idx ON generation_task (source_image_id, created_at);

CREATE TABLE stored_image (
    id              VARCHAR(36)    NOT NULL PRIMARY KEY,
    task_id         VARCHAR(36)    NOT NULL REFERENCES generation_task (id) ON DELETE CASCADE,
    image_index     INTEGER        NOT NULL,
    seed            BIGINT         NOT NULL,
    width           INTEGER        NOT NULL,
    height          INTEGER        NOT NULL,
    mime_type       VARCHAR(32)    NOT NULL,
    size_bytes      BIGINT         NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    params_json     VARCHAR(16000) NOT NULL,
    thumbnail_bytes BIGINT         DEFAULT 0 NOT NULL,
    owner_id        VARCHAR(36)    DEFAULT '' NOT NULL,
    CONSTRAINT stored_image_task_index UNIQUE (task_id, image_index)
);
CREATE INDEX stored_image_created_idx ON stored_image (created_at);

CREATE TABLE upstream_job (
    task_id          VARCHAR(36) NOT NULL REFERENCES generation_task (id) ON DELETE CASCADE,
    image_index      INTEGER     NOT NULL,
    req_key          VARCHAR(64) NOT NULL,
    upstream_task_id VARCHAR(64),
    submitted_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (task_id, image_index)
);

CREATE TABLE upload (
    id         VARCHAR(36) NOT NULL PRIMARY KEY,
    mime_type  VARCHAR(32) NOT NULL,
    width      INTEGER     NOT NULL,
    height     INTEGER     NOT NULL,
    size_bytes BIGINT      NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    owner_id   VARCHAR(36) DEFAULT '' NOT NULL
);

CREATE TABLE preset (
    id          VARCHAR(36)   NOT NULL PRIMARY KEY,
    name        VARCHAR(50)   NOT NULL,
    params_json VARCHAR(4000) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    owner_id    VARCHAR(36)   DEFAULT '' NOT NULL,
    CONSTRAINT preset_owner_name_unique UNIQUE (owner_id, name)
);

CREATE TABLE batch_submission (
    idempotency_key     VARCHAR(170)  NOT NULL PRIMARY KEY,
    request_fingerprint VARCHAR(64)   NOT NULL,
    batch_id            VARCHAR(36)   NOT NULL,
    plan_json           VARCHAR(8000) NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE runtime_setting (
    name       VARCHAR(64)  NOT NULL PRIMARY KEY,
    value_json VARCHAR(200) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE stored_credential (
    provider   VARCHAR(20)   NOT NULL PRIMARY KEY,
    ciphertext VARCHAR(2000) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE usage_daily (
    usage_day      DATE        NOT NULL,
    model          VARCHAR(64) NOT NULL,
    tasks          BIGINT      DEFAULT 0 NOT NULL,
    images         BIGINT      DEFAULT 0 NOT NULL,
    completed      BIGINT      DEFAULT 0 NOT NULL,
    failed         BIGINT      DEFAULT 0 NOT NULL,
    cancelled      BIGINT      DEFAULT 0 NOT NULL,
    priced_images  BIGINT      DEFAULT 0 NOT NULL,
    cost_micro_cny BIGINT      DEFAULT 0 NOT NULL,
    owner_id       VARCHAR(36) DEFAULT '' NOT NULL,
    PRIMARY KEY (usage_day, model, owner_id)
);

CREATE TABLE app_user (
    id                  VARCHAR(36)   NOT NULL PRIMARY KEY,
    username            VARCHAR(64)   NOT NULL,
    username_key        VARCHAR(64)   NOT NULL,
    password_hash       VARCHAR(100),
    role                VARCHAR(16)   NOT NULL,
    monthly_image_quota INTEGER,
    allowed_models      VARCHAR(4000),
    disabled            BOOLEAN       DEFAULT FALSE NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT app_user_username_unique UNIQUE (username_key)
);

CREATE TABLE api_token (
    id           VARCHAR(36)  NOT NULL PRIMARY KEY,
    user_id      VARCHAR(36)  NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    name         VARCHAR(100) NOT NULL,
    token_hash   VARCHAR(64)  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT api_token_hash_unique UNIQUE (token_hash)
);
CREATE INDEX api_token_by_user ON api_token (user_id, created_at);

CREATE TABLE audit_event (
    id      VARCHAR(36)   NOT NULL PRIMARY KEY,
    at      TIMESTAMP WITH TIME ZONE NOT NULL,
    actor   VARCHAR(200)  NOT NULL,
    action  VARCHAR(48)   NOT NULL,
    target  VARCHAR(200),
    address VARCHAR(64)   NOT NULL,
    detail  VARCHAR(1000)
);
CREATE INDEX audit_event_newest ON audit_event (at DESC, id DESC);
CREATE INDEX audit_event_action ON audit_event (action, at DESC);
