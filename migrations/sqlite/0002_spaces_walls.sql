-- Spaces (communities of practice), membership, walls, comments, reactions, follows and the
-- activity log the feeds build on. Times are UTC unix seconds.
CREATE TABLE spaces (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    slug             TEXT    NOT NULL UNIQUE,
    name             TEXT    NOT NULL,
    description      TEXT    NOT NULL DEFAULT '',
    visibility       TEXT    NOT NULL CHECK (visibility IN ('public', 'private', 'secret')),
    join_policy      TEXT    NOT NULL CHECK (join_policy IN ('open', 'request', 'invite')),
    parent_id        BIGINT  REFERENCES spaces (id) ON DELETE CASCADE,
    created_by       BIGINT  NOT NULL REFERENCES users (id),
    created_at       BIGINT  NOT NULL,
    last_activity_at BIGINT  NOT NULL,
    member_count     BIGINT  NOT NULL DEFAULT 0,
    archived_at      BIGINT
);
CREATE INDEX spaces_by_parent ON spaces (parent_id);
CREATE INDEX spaces_by_activity ON spaces (last_activity_at, id);

CREATE TABLE space_members (
    space_id  BIGINT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role      TEXT   NOT NULL CHECK (role IN ('owner', 'moderator', 'member')),
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (space_id, user_id)
);
CREATE INDEX space_members_by_user ON space_members (user_id, space_id);

-- Pending join requests (asked by the person) and invitations (sent by a member).
CREATE TABLE space_requests (
    space_id   BIGINT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT   NOT NULL CHECK (kind IN ('request', 'invite')),
    invited_by BIGINT REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (space_id, user_id)
);

-- A wall post lives on exactly one wall: a space's or a person's.
CREATE TABLE posts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    author_id      BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    space_id       BIGINT  REFERENCES spaces (id) ON DELETE CASCADE,
    profile_id     BIGINT  REFERENCES users (id) ON DELETE CASCADE,
    body_md        TEXT    NOT NULL,
    body_html      TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    edited_at      BIGINT,
    pinned_at      BIGINT,
    comment_count  BIGINT  NOT NULL DEFAULT 0,
    reaction_count BIGINT  NOT NULL DEFAULT 0,
    CHECK ((space_id IS NULL) <> (profile_id IS NULL))
);
CREATE INDEX posts_on_space_wall ON posts (space_id, id);
CREATE INDEX posts_on_profile_wall ON posts (profile_id, id);

CREATE TABLE comments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id    BIGINT  NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    parent_id  BIGINT  REFERENCES comments (id) ON DELETE CASCADE,
    author_id  BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body_md    TEXT    NOT NULL,
    body_html  TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    edited_at  BIGINT
);
CREATE INDEX comments_by_post ON comments (post_id, id);

CREATE TABLE reactions (
    post_id    BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT   NOT NULL CHECK (kind IN ('like', 'celebrate', 'insightful', 'support', 'curious')),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (post_id, user_id, kind)
);

CREATE TABLE follows (
    follower_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followee_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (follower_id, followee_id),
    CHECK (follower_id <> followee_id)
);
CREATE INDEX follows_by_followee ON follows (followee_id, follower_id);

-- Who did what to which object, where: the record the feeds are built from.
CREATE TABLE activities (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id    BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    verb        TEXT    NOT NULL,
    object_type TEXT    NOT NULL,
    object_id   BIGINT  NOT NULL,
    space_id    BIGINT  REFERENCES spaces (id) ON DELETE CASCADE,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX activities_by_space ON activities (space_id, id);
CREATE INDEX activities_by_actor ON activities (actor_id, id);
