-- Model-specific switches (e.g. use_pre_llm) as resolved at submit time, as a JSON object.
ALTER TABLE generation_task ADD COLUMN options_json VARCHAR(2000) DEFAULT '{}' NOT NULL;
