-- Real-time events, notifications and their preferences, presence. Times are UTC unix seconds.

-- One row per topic an event goes to. Written in the transaction of the change it announces,
-- so an event exists exactly when its change does; ids order them for catch-up after a
-- reconnect. Pruned after a few days: a client further behind is told to refetch.
CREATE TABLE events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    topic      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);
CREATE INDEX events_by_topic ON events (topic, id);

-- A person's notifications, newest first. Repeated reactions to one post fold into one unread
-- notification ("Ana and 2 others reacted"): the older row is replaced, so ids stay in order.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    actor_id   BIGINT  REFERENCES users (id) ON DELETE CASCADE,
    others     BIGINT  NOT NULL DEFAULT 0,
    object_key TEXT    NOT NULL,
    url        TEXT    NOT NULL,
    context    TEXT    NOT NULL DEFAULT '',
    created_at BIGINT  NOT NULL,
    read_at    BIGINT
);
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id, object_key) WHERE read_at IS NULL;

-- Per kind: in-app on or off, and the e-mail digest wanted (stored for the digest to come).
-- No row means the defaults: in-app on, no e-mail.
CREATE TABLE notification_prefs (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT   NOT NULL,
    in_app  BIGINT NOT NULL DEFAULT 1,
    email   TEXT   NOT NULL DEFAULT 'off' CHECK (email IN ('off', 'daily', 'weekly')),
    PRIMARY KEY (user_id, kind)
);

-- When each person last had a live connection; "online" means seen in the last minute or so.
CREATE TABLE presence (
    user_id BIGINT NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    seen_at BIGINT NOT NULL
);
CREATE INDEX presence_by_time ON presence (seen_at);
