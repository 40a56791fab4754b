-- Uploaded lesson files (a video the browser plays, a file to download, pictures in a page)
-- and cover pictures for courses and playlists. Times are UTC unix seconds.
--
-- SQLite cannot change a CHECK, so `lessons` (which other tables reference) is rebuilt the way
-- SQLite documents: new table, copy, drop, rename. Migrations run with foreign keys off
-- (`Db::migrate`), so dropping the old table does not cascade to what refers to it.

CREATE TABLE lessons_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    course_id  BIGINT  NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    module_id  BIGINT  NOT NULL REFERENCES course_modules (id) ON DELETE CASCADE,
    position   BIGINT  NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('page', 'video', 'package', 'file')),
    title      TEXT    NOT NULL,
    body_md    TEXT    NOT NULL DEFAULT '',
    body_html  TEXT    NOT NULL DEFAULT '',
    video_url  TEXT    NOT NULL DEFAULT '',
    package_id BIGINT,
    thread_id  BIGINT  REFERENCES topics (id) ON DELETE SET NULL,
    created_at BIGINT  NOT NULL
);
INSERT INTO lessons_new (id, course_id, module_id, position, kind, title, body_md, body_html,
                         video_url, package_id, thread_id, created_at)
SELECT id, course_id, module_id, position, kind, title, body_md, body_html,
       video_url, package_id, thread_id, created_at FROM lessons;
DROP TABLE lessons;
ALTER TABLE lessons_new RENAME TO lessons;
CREATE INDEX lessons_by_module ON lessons (module_id, position);
CREATE INDEX lessons_by_course ON lessons (course_id);

-- A lesson's files: its 'media' (the video of a video lesson, the file of a file lesson; at
-- most one) and the 'image's its page shows. Kept in the database like package files.
CREATE TABLE lesson_files (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    lesson_id    BIGINT  NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    role         TEXT    NOT NULL CHECK (role IN ('media', 'image')),
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         BIGINT  NOT NULL,
    bytes        BLOB    NOT NULL,
    uploaded_by  BIGINT  NOT NULL REFERENCES users (id),
    created_at   BIGINT  NOT NULL
);
CREATE INDEX lesson_files_by_lesson ON lesson_files (lesson_id, role);

-- Course and playlist covers are stored with the other pictures.
CREATE TABLE images_new (
    owner_kind   TEXT   NOT NULL
                 CHECK (owner_kind IN ('avatar', 'cover', 'post', 'article', 'course', 'playlist')),
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
ALTER TABLE courses ADD COLUMN cover_version BIGINT;
ALTER TABLE playlists ADD COLUMN cover_version BIGINT;
