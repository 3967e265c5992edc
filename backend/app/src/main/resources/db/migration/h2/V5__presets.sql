-- Parameter presets: a named set of generation parameters (everything but the prompt) to re-use.
CREATE TABLE preset (
    id          VARCHAR(36)   NOT NULL PRIMARY KEY,
    name        VARCHAR(50)   NOT NULL,
    params_json VARCHAR(4000) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT preset_name_unique UNIQUE (name)
);
