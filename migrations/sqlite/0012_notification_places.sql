-- Where a notification's subject lives, so that it is checked again when the list is read:
-- someone who has left a private space, or was removed, no longer sees notices about it.
-- `space_id`: the space it is about or happened in (none: on a person's wall, site-wide);
-- `about`: 'content' (what happened in the space: its readers may read it) or 'space' (the
-- space itself, such as an invitation: whoever may know the space exists).
ALTER TABLE notifications ADD COLUMN space_id BIGINT REFERENCES spaces (id) ON DELETE CASCADE;
ALTER TABLE notifications ADD COLUMN about TEXT NOT NULL DEFAULT 'content';
