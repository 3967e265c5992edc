-- History at 100k tasks. Lists are newest first: with an index in that order a page reads `limit` rows
-- and stops, instead of sorting every match (the status index alone made H2 sort all 100k rows).
CREATE INDEX generation_task_newest_idx ON generation_task (created_at DESC, id DESC);
CREATE INDEX generation_task_model_idx ON generation_task (model, created_at DESC, id DESC);
CREATE INDEX generation_task_favourite_idx ON generation_task (favourite, created_at DESC, id DESC);
-- Prompt search is a case-insensitive substring match (LIKE '%…%'), which no B-tree index serves; the
-- prompt is lower-cased once when written rather than for every row of every search.
ALTER TABLE generation_task ADD COLUMN prompt_lower VARCHAR(4000) GENERATED ALWAYS AS (LOWER(prompt));
