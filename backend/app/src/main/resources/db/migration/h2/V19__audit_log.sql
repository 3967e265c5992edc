-- The audit log (issue 17): who did what, when, from which address. Never a secret: actions name
-- what changed (fields, providers, token names), not values.
CREATE TABLE audit_event (
    id         VARCHAR(36)   NOT NULL PRIMARY KEY,
    at         TIMESTAMP WITH TIME ZONE NOT NULL,
    actor      VARCHAR(200)  NOT NULL,
    action     VARCHAR(48)   NOT NULL,
    target     VARCHAR(200),
    address    VARCHAR(64)   NOT NULL,
    detail     VARCHAR(1000)
);
CREATE INDEX audit_event_newest ON audit_event (at DESC, id DESC);
CREATE INDEX audit_event_action ON audit_event (action, at DESC);
