-- Whether the queue is paused, kept where every replica (and the next start) reads it: a pause
-- held only in memory was lost at a restart and unknown to a replica started after it.
CREATE TABLE queue_state (
    name   VARCHAR(16) NOT NULL PRIMARY KEY,
    paused BOOLEAN     NOT NULL
);
INSERT INTO queue_state (name, paused) VALUES ('queue', FALSE);
