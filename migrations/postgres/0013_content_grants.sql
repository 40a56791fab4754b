-- SCORM packages run on a content origin of their own, which never sees the site's session
-- cookie. A launch by someone who may take the lesson issues a grant: a random token (its
-- SHA-256 kept here) in the content addresses, for one SCO, until it expires.
CREATE TABLE content_grants (
    token_hash  TEXT   PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lesson_id   BIGINT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    package_id  BIGINT NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    sco_id      BIGINT NOT NULL REFERENCES package_scos (id) ON DELETE CASCADE,
    site_origin TEXT   NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX content_grants_by_expiry ON content_grants (expires_at);
