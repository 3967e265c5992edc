-- Runtime settings changed from the UI. One row per setting that differs from the environment's value;
-- the value is a JSON literal (a number, a string or null), so "explicitly none" and "not set" differ.
CREATE TABLE runtime_setting (
    name        VARCHAR(64)  NOT NULL PRIMARY KEY,
    value_json  VARCHAR(200) NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Provider keys entered in the UI, AES-GCM encrypted with the master key (APP_SECRET_KEY or
-- DATA_DIR/secret.key). Only ciphertext is stored: no key, masked or not, is in plaintext here.
CREATE TABLE stored_credential (
    provider    VARCHAR(20)   NOT NULL PRIMARY KEY,
    ciphertext  VARCHAR(2000) NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
