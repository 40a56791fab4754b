-- Learning playlists (curated pathways of courses, lessons, forum threads, questions,
-- articles and external links), their followers and progress; course ratings and reviews.
-- Times are UTC unix seconds.

CREATE TABLE playlists (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id       BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title          TEXT    NOT NULL,
    description    TEXT    NOT NULL DEFAULT '',
    -- 'public': everyone signed in; 'space': members of `space_id`; 'private': the owner.
    visibility     TEXT    NOT NULL CHECK (visibility IN ('public', 'space', 'private')),
    space_id       BIGINT  REFERENCES spaces (id) ON DELETE SET NULL,
    published_at   BIGINT,
    forked_from    BIGINT  REFERENCES playlists (id) ON DELETE SET NULL,
    follower_count BIGINT  NOT NULL DEFAULT 0,
    -- The state before the last change, for "Undo" (JSON), and what that change was.
    undo_state     TEXT,
    undo_label     TEXT,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL
);
CREATE INDEX playlists_by_owner ON playlists (owner_id, updated_at);
CREATE INDEX playlists_published ON playlists (published_at, id);

-- Ids may be given explicitly: undo puts rows back as they were.
CREATE TABLE playlist_sections (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    playlist_id BIGINT  NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
    title       TEXT    NOT NULL,
    position    BIGINT  NOT NULL
);
CREATE INDEX playlist_sections_by_playlist ON playlist_sections (playlist_id, position);

-- An item: a course, a lesson or a topic (thread, question, article) by id, or an external
-- link with its own title, description and estimated minutes.
CREATE TABLE playlist_items (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    playlist_id BIGINT  NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
    section_id  BIGINT  NOT NULL REFERENCES playlist_sections (id) ON DELETE CASCADE,
    position    BIGINT  NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('course', 'lesson', 'topic', 'link')),
    ref_id      BIGINT,
    url         TEXT    NOT NULL DEFAULT '',
    title       TEXT    NOT NULL DEFAULT '',
    description TEXT    NOT NULL DEFAULT '',
    minutes     BIGINT
);
CREATE INDEX playlist_items_by_section ON playlist_items (section_id, position);
CREATE INDEX playlist_items_by_playlist ON playlist_items (playlist_id);

CREATE TABLE playlist_follows (
    playlist_id BIGINT NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followed_at BIGINT NOT NULL,
    PRIMARY KEY (playlist_id, user_id)
);
CREATE INDEX playlist_follows_by_user ON playlist_follows (user_id);

-- Items a learner marked done themselves (external links, topics). No foreign key to the
-- item: a removed item's marks stay, so undoing the removal brings them back (ids are never
-- reused).
CREATE TABLE playlist_done (
    item_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    done_at BIGINT NOT NULL,
    PRIMARY KEY (item_id, user_id)
);

-- Ratings (1 to 5 stars) and reviews of a course by learners who started it.
CREATE TABLE course_ratings (
    course_id  BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    stars      BIGINT NOT NULL CHECK (stars BETWEEN 1 AND 5),
    review     TEXT   NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (course_id, user_id)
);
