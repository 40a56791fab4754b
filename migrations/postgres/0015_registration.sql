-- Who may register is an admin's choice (site setting `registration`: open, invitation or
-- closed). Invitation links are single-use and expire; `used_by` is the account made with one.
CREATE TABLE site_invitations (
    id         BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token      TEXT    NOT NULL UNIQUE,
    note       TEXT    NOT NULL,
    created_by BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL,
    used_by    BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    used_at    BIGINT
);
CREATE INDEX site_invitations_by_created ON site_invitations (created_at);
