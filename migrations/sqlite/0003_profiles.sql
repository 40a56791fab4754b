-- Profiles (handle, details, status update, avatar), skills and expertise, links; space tags
-- and covers; site settings. Times are UTC unix seconds.
ALTER TABLE users ADD COLUMN handle TEXT;
UPDATE users SET handle = 'user' || id;
CREATE UNIQUE INDEX users_by_handle ON users (handle);
ALTER TABLE users ADD COLUMN job_title TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN department TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN location TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN bio_md TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN bio_html TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN status_text TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN status_at BIGINT;
-- Bumped on every new avatar, so its address changes and caches can keep it for long.
ALTER TABLE users ADD COLUMN avatar_version BIGINT;

-- Skills and expertise topics: lowercase tags, used by expertise search and Q&A routing.
CREATE TABLE user_tags (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT   NOT NULL CHECK (kind IN ('skill', 'expertise')),
    tag     TEXT   NOT NULL,
    PRIMARY KEY (user_id, kind, tag)
);
CREATE INDEX user_tags_by_tag ON user_tags (kind, tag, user_id);

CREATE TABLE user_links (
    user_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    label    TEXT   NOT NULL,
    url      TEXT   NOT NULL,
    PRIMARY KEY (user_id, position)
);

-- Resized, re-encoded images (no metadata survives): avatars in fixed sizes, space covers,
-- pictures on posts.
CREATE TABLE images (
    owner_kind   TEXT   NOT NULL CHECK (owner_kind IN ('avatar', 'cover', 'post')),
    owner_id     BIGINT NOT NULL,
    size         BIGINT NOT NULL,
    content_type TEXT   NOT NULL,
    bytes        BLOB   NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (owner_kind, owner_id, size)
);

ALTER TABLE spaces ADD COLUMN cover_version BIGINT;
ALTER TABLE posts ADD COLUMN picture_version BIGINT;
-- Pinned posts head a space's wall; without this, finding them reads the whole wall.
CREATE INDEX posts_pinned ON posts (space_id, pinned_at) WHERE pinned_at IS NOT NULL;
CREATE TABLE space_tags (
    space_id BIGINT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    tag      TEXT   NOT NULL,
    PRIMARY KEY (space_id, tag)
);
CREATE INDEX space_tags_by_tag ON space_tags (tag, space_id);
CREATE INDEX spaces_by_created ON spaces (created_at, id);
CREATE INDEX spaces_by_members ON spaces (member_count, id);

-- "Following" lists, newest first.
CREATE INDEX follows_by_follower ON follows (follower_id, created_at);

CREATE TABLE site_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
