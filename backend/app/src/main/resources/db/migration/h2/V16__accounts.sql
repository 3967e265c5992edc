-- Accounts (issue 17): the people who share one studio. The login of APP_AUTH_USERNAME keeps its
-- password in the environment (password_hash NULL: "the one APP_AUTH_PASSWORD says"); every other
-- account has a BCrypt hash here, never the password.
CREATE TABLE app_user (
    id                  VARCHAR(36)   NOT NULL PRIMARY KEY,
    username            VARCHAR(64)   NOT NULL,
    -- Names are unique whatever their case: "Li" and "li" would be the same person at the login.
    username_key        VARCHAR(64)   NOT NULL,
    password_hash       VARCHAR(100),
    role                VARCHAR(16)   NOT NULL,
    -- Images per calendar month (UTC) on top of MONTHLY_IMAGE_QUOTA; NULL = no limit of its own.
    monthly_image_quota INT,
    -- A JSON array of model ids; NULL = every model.
    allowed_models      VARCHAR(4000),
    disabled            BOOLEAN       NOT NULL DEFAULT FALSE,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT app_user_username_unique UNIQUE (username_key)
);

-- Personal API tokens: only a SHA-256 of the token is kept (the token is 256 random bits, so a fast
-- hash is enough; it is shown once, when made).
CREATE TABLE api_token (
    id           VARCHAR(36)  NOT NULL PRIMARY KEY,
    user_id      VARCHAR(36)  NOT NULL,
    name         VARCHAR(100) NOT NULL,
    token_hash   VARCHAR(64)  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT api_token_hash_unique UNIQUE (token_hash),
    CONSTRAINT api_token_user FOREIGN KEY (user_id) REFERENCES app_user (id) ON DELETE CASCADE
);
CREATE INDEX api_token_by_user ON api_token (user_id, created_at);
