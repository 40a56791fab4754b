-- Forums, Ask-the-Expert Q&A, blogs, tags and search. Times are UTC unix seconds.

-- Forum categories, set by moderators: per space, or the site forum's (space_id NULL).
CREATE TABLE forum_categories (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    space_id    BIGINT  REFERENCES spaces (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    created_at  BIGINT  NOT NULL
);
CREATE UNIQUE INDEX forum_categories_by_name ON forum_categories (COALESCE(space_id, 0), name);

-- A forum thread, a question or a blog article: a title and a Markdown body, in a space
-- (or site-wide when space_id and blog_of are NULL), or on a person's blog (blog_of).
CREATE TABLE topics (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    kind              TEXT    NOT NULL CHECK (kind IN ('thread', 'question', 'article')),
    space_id          BIGINT  REFERENCES spaces (id) ON DELETE CASCADE,
    blog_of           BIGINT  REFERENCES users (id) ON DELETE CASCADE,
    category_id       BIGINT  REFERENCES forum_categories (id) ON DELETE SET NULL,
    author_id         BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title             TEXT    NOT NULL,
    body_md           TEXT    NOT NULL,
    body_html         TEXT    NOT NULL,
    -- Articles may be drafts or scheduled; threads and questions are published at once.
    status            TEXT    NOT NULL DEFAULT 'published'
                              CHECK (status IN ('draft', 'scheduled', 'published')),
    -- Scheduled articles: when they go out (the server publishes them then).
    published_at      BIGINT  NOT NULL,
    -- Articles anyone on the web may read (and that the blog's Atom feed carries): only on
    -- a person's blog or a public space's.
    public            BIGINT  NOT NULL DEFAULT 0,
    cover_version     BIGINT,
    pinned_at         BIGINT,
    locked_at         BIGINT,
    accepted_reply_id BIGINT,
    reply_count       BIGINT  NOT NULL DEFAULT 0,
    last_reply_id     BIGINT  NOT NULL DEFAULT 0,
    created_at        BIGINT  NOT NULL,
    edited_at         BIGINT,
    last_activity_at  BIGINT  NOT NULL
);
CREATE INDEX topics_by_space ON topics (kind, space_id, last_activity_at, id);
CREATE INDEX topics_by_blog ON topics (blog_of, published_at, id) WHERE blog_of IS NOT NULL;
CREATE INDEX topics_by_author ON topics (author_id, id);
CREATE INDEX topics_unanswered ON topics (kind, reply_count, id);
CREATE INDEX topics_by_category ON topics (category_id, last_activity_at, id) WHERE category_id IS NOT NULL;
CREATE INDEX topics_scheduled ON topics (published_at) WHERE status = 'scheduled';

-- Replies in a thread, answers to a question, comments on an article. `parent_id` is the reply
-- answered (shown threaded one level), `quote_of` the reply quoted.
CREATE TABLE replies (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    topic_id   BIGINT  NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    author_id  BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    parent_id  BIGINT  REFERENCES replies (id) ON DELETE SET NULL,
    body_md    TEXT    NOT NULL,
    body_html  TEXT    NOT NULL,
    score      BIGINT  NOT NULL DEFAULT 0,
    created_at BIGINT  NOT NULL,
    edited_at  BIGINT
);
CREATE INDEX replies_by_topic ON replies (topic_id, id);
CREATE INDEX replies_by_author ON replies (author_id, id);

-- Up (+1) and down (-1) votes on answers.
CREATE TABLE votes (
    reply_id   BIGINT NOT NULL REFERENCES replies (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    value      BIGINT NOT NULL CHECK (value IN (-1, 1)),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (reply_id, user_id)
);

CREATE TABLE topic_reactions (
    topic_id   BIGINT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (topic_id, user_id, kind)
);

-- A reader's standing on a topic: subscribed ('watching') or muted, and the last reply read.
CREATE TABLE topic_readers (
    topic_id      BIGINT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    level         TEXT   NOT NULL DEFAULT 'normal' CHECK (level IN ('normal', 'watching', 'muted')),
    last_read_id  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (topic_id, user_id)
);

-- Free tags on posts, topics (and later wiki pages, files, courses, playlists): lowercase.
CREATE TABLE tags (
    target_kind TEXT   NOT NULL,
    target_id   BIGINT NOT NULL,
    tag         TEXT   NOT NULL,
    PRIMARY KEY (target_kind, target_id, tag)
);
CREATE INDEX tags_by_tag ON tags (tag, target_kind, target_id);

-- Experts appointed by a space's moderators for a topic (people also declare expertise on
-- their profiles, in user_tags).
CREATE TABLE appointed_experts (
    space_id     BIGINT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    tag          TEXT   NOT NULL,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    appointed_by BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (space_id, tag, user_id)
);
CREATE INDEX appointed_experts_by_tag ON appointed_experts (tag, user_id);

-- What search finds: one row per searchable thing, written in the transaction that changes it.
-- `space_id` is the space whose readers may see it (NULL: everyone signed in); for a space
-- itself, the space. `visible_from` hides scheduled articles until they are published.
CREATE TABLE search_docs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT    NOT NULL,
    ref_id       BIGINT  NOT NULL,
    space_id     BIGINT  REFERENCES spaces (id) ON DELETE CASCADE,
    author_id    BIGINT  REFERENCES users (id) ON DELETE CASCADE,
    url          TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    tags         TEXT    NOT NULL DEFAULT '',
    created_at   BIGINT  NOT NULL,
    visible_from BIGINT  NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX search_docs_by_ref ON search_docs (kind, ref_id);
-- `kind` is indexed too, so "answers only" narrows the match in the index itself.
CREATE VIRTUAL TABLE search_fts USING fts5 (
    kind, title, body, tags, content = 'search_docs', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, kind, title, body, tags)
    VALUES (new.id, new.kind, new.title, new.body, new.tags);
END;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, kind, title, body, tags)
    VALUES ('delete', old.id, old.kind, old.title, old.body, old.tags);
END;
CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, kind, title, body, tags)
    VALUES ('delete', old.id, old.kind, old.title, old.body, old.tags);
    INSERT INTO search_fts (rowid, kind, title, body, tags)
    VALUES (new.id, new.kind, new.title, new.body, new.tags);
END;

-- Every search: for the knowledge-gap analytics (zero results, nothing opened).
CREATE TABLE search_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    term        TEXT    NOT NULL,
    kind        TEXT    NOT NULL DEFAULT '',
    results     BIGINT  NOT NULL,
    opened_url  TEXT,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX search_log_zero ON search_log (results, created_at);

-- Article covers are stored with the other pictures: widen the kinds an image may belong to
-- (SQLite cannot change a CHECK, so the table is rebuilt).
CREATE TABLE images_new (
    owner_kind   TEXT   NOT NULL CHECK (owner_kind IN ('avatar', 'cover', 'post', 'article')),
    owner_id     BIGINT NOT NULL,
    size         BIGINT NOT NULL,
    content_type TEXT   NOT NULL,
    bytes        BLOB   NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (owner_kind, owner_id, size)
);
INSERT INTO images_new (owner_kind, owner_id, size, content_type, bytes, created_at)
SELECT owner_kind, owner_id, size, content_type, bytes, created_at FROM images;
DROP TABLE images;
ALTER TABLE images_new RENAME TO images;

-- What already exists becomes findable: wall posts, spaces and people.
INSERT INTO search_docs (kind, ref_id, space_id, author_id, url, title, body, tags, created_at)
SELECT 'post', p.id, p.space_id, p.author_id,
       CASE WHEN p.space_id IS NOT NULL THEN '/s/' || s.slug || '#post-' || p.id
            ELSE '/u/' || COALESCE(u.handle, 'user' || u.id) || '#post-' || p.id END,
       '', p.body_md, '', p.created_at
FROM posts p LEFT JOIN spaces s ON s.id = p.space_id LEFT JOIN users u ON u.id = p.profile_id;
INSERT INTO search_docs (kind, ref_id, space_id, author_id, url, title, body, tags, created_at)
SELECT 'space', s.id, s.id, NULL, '/s/' || s.slug, s.name, s.description,
       COALESCE((SELECT group_concat(tag, ' ') FROM space_tags t WHERE t.space_id = s.id), ''), s.created_at
FROM spaces s;
INSERT INTO search_docs (kind, ref_id, space_id, author_id, url, title, body, tags, created_at)
SELECT 'person', u.id, NULL, u.id, '/u/' || COALESCE(u.handle, 'user' || u.id), u.display_name,
       u.job_title || ' ' || u.department || ' ' || u.location || ' ' || u.bio_md,
       COALESCE((SELECT group_concat(tag, ' ') FROM user_tags t WHERE t.user_id = u.id), ''), u.created_at
FROM users u;
