-- Uploaded lesson files (a video the browser plays, a file to download, pictures in a page)
-- and cover pictures for courses and playlists. Times are UTC unix seconds.

ALTER TABLE lessons DROP CONSTRAINT lessons_kind_check;
ALTER TABLE lessons ADD CONSTRAINT lessons_kind_check
    CHECK (kind IN ('page', 'video', 'package', 'file'));

-- A lesson's files: its 'media' (the video of a video lesson, the file of a file lesson; at
-- most one) and the 'image's its page shows. Kept in the database like package files.
CREATE TABLE lesson_files (
    id           BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lesson_id    BIGINT  NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    role         TEXT    NOT NULL CHECK (role IN ('media', 'image')),
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         BIGINT  NOT NULL,
    bytes        BYTEA   NOT NULL,
    uploaded_by  BIGINT  NOT NULL REFERENCES users (id),
    created_at   BIGINT  NOT NULL
);
CREATE INDEX lesson_files_by_lesson ON lesson_files (lesson_id, role);

-- Course and playlist covers are stored with the other pictures.
ALTER TABLE images DROP CONSTRAINT images_owner_kind_check;
ALTER TABLE images ADD CONSTRAINT images_owner_kind_check
    CHECK (owner_kind IN ('avatar', 'cover', 'post', 'article', 'course', 'playlist'));
ALTER TABLE courses ADD COLUMN cover_version BIGINT;
ALTER TABLE playlists ADD COLUMN cover_version BIGINT;
