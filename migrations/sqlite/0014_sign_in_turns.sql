-- Sign-in attempts on each account are slowed down, never locked out: how many failed in a
-- row, and when the next attempt may run (unix milliseconds). See `rate_limit::take_turn`.
CREATE TABLE sign_in_turns (
    account    TEXT   PRIMARY KEY,
    attempts   BIGINT NOT NULL,
    next_at_ms BIGINT NOT NULL
);
