-- Courses (modules, lessons, SCORM packages), their wrapper space, enrolment and progress.
-- Times are UTC unix seconds.

-- A course. Its social wrapper (discussion, instructor blog, Q&A, cohort) is an ordinary space
-- created with it (`space_id`): the course's authors own it, enrolled learners are its members.
CREATE TABLE courses (
    id           BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug         TEXT    NOT NULL UNIQUE,
    title        TEXT    NOT NULL,
    summary      TEXT    NOT NULL DEFAULT '',
    space_id     BIGINT  NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    -- 'open': anyone signed in enrols; 'request': authors approve; 'assigned': only assigned.
    enrol_policy TEXT    NOT NULL CHECK (enrol_policy IN ('open', 'request', 'assigned')),
    published_at BIGINT,
    created_by   BIGINT  NOT NULL REFERENCES users (id),
    created_at   BIGINT  NOT NULL,
    lesson_count BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX courses_published ON courses (published_at, id);

CREATE TABLE course_authors (
    course_id BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX course_authors_by_user ON course_authors (user_id);

CREATE TABLE course_modules (
    id        BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id BIGINT  NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    title     TEXT    NOT NULL,
    position  BIGINT  NOT NULL
);
CREATE INDEX course_modules_by_course ON course_modules (course_id, position);

-- A lesson: a Markdown page, a video (a URL the browser plays, or an embeddable page), or a
-- SCORM package (`package_id`, once uploaded). `thread_id`: its discussion, made on first post.
CREATE TABLE lessons (
    id         BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id  BIGINT  NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    module_id  BIGINT  NOT NULL REFERENCES course_modules (id) ON DELETE CASCADE,
    position   BIGINT  NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('page', 'video', 'package')),
    title      TEXT    NOT NULL,
    body_md    TEXT    NOT NULL DEFAULT '',
    body_html  TEXT    NOT NULL DEFAULT '',
    video_url  TEXT    NOT NULL DEFAULT '',
    package_id BIGINT,
    thread_id  BIGINT  REFERENCES topics (id) ON DELETE SET NULL,
    created_at BIGINT  NOT NULL
);
CREATE INDEX lessons_by_module ON lessons (module_id, position);
CREATE INDEX lessons_by_course ON lessons (course_id);

-- An uploaded SCORM package, checked and unpacked; its files are kept in the database so
-- several instances need no shared disk.
CREATE TABLE packages (
    id          BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lesson_id   BIGINT  NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    version     TEXT    NOT NULL CHECK (version IN ('1.2', '2004')),
    title       TEXT    NOT NULL,
    file_count  BIGINT  NOT NULL,
    total_bytes BIGINT  NOT NULL,
    uploaded_by BIGINT  NOT NULL REFERENCES users (id),
    created_at  BIGINT  NOT NULL
);

-- The launchable items (SCOs) of a package, in the manifest's order.
CREATE TABLE package_scos (
    id         BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    package_id BIGINT  NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    position   BIGINT  NOT NULL,
    identifier TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    href       TEXT    NOT NULL
);
CREATE INDEX package_scos_by_package ON package_scos (package_id, position);

CREATE TABLE package_files (
    package_id   BIGINT NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    path         TEXT   NOT NULL,
    content_type TEXT   NOT NULL,
    bytes        BYTEA  NOT NULL,
    PRIMARY KEY (package_id, path)
);

-- A learner's SCORM data model for one SCO: what the content stored (JSON object of element
-- to value), and the time of earlier sessions.
CREATE TABLE scorm_attempts (
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sco_id       BIGINT NOT NULL REFERENCES package_scos (id) ON DELETE CASCADE,
    data         TEXT   NOT NULL,
    session_key  TEXT   NOT NULL DEFAULT '',
    -- Hundredths of a second: earlier sessions, and the session of `session_key`.
    prior_time   BIGINT NOT NULL DEFAULT 0,
    session_time BIGINT NOT NULL DEFAULT 0,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, sco_id)
);

-- Enrolment: 'active', or 'requested' (waiting for an author). `due_at` set by an assignment.
CREATE TABLE enrolments (
    course_id    BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status       TEXT   NOT NULL CHECK (status IN ('active', 'requested')),
    assigned_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    due_at       BIGINT,
    enrolled_at  BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    completed_count BIGINT NOT NULL DEFAULT 0,
    completed_at BIGINT,
    -- Whether the cohort may see this learner's progress.
    share_progress BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX enrolments_by_user ON enrolments (user_id, status);

-- Per learner per lesson: 'started' or 'completed', with the score a package reported (0-100).
CREATE TABLE lesson_progress (
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lesson_id    BIGINT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    course_id    BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    status       TEXT   NOT NULL CHECK (status IN ('started', 'completed')),
    score        DOUBLE PRECISION,
    updated_at   BIGINT NOT NULL,
    completed_at BIGINT,
    PRIMARY KEY (user_id, lesson_id)
);
CREATE INDEX lesson_progress_by_course ON lesson_progress (course_id, user_id);
