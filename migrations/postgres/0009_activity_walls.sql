-- The home feed reads each of its sources (the reader's spaces, the people they follow, their
-- own activity and their wall) from an index of its own. Activity on a person's wall (posts on
-- it, comments on those posts, reactions to them) records whose wall it is, so the reader's
-- wall is one index range too.

ALTER TABLE activities ADD COLUMN wall_id BIGINT;

UPDATE activities SET wall_id = (SELECT p.profile_id FROM posts p WHERE p.id = activities.object_id)
WHERE object_type = 'post' AND space_id IS NULL;

UPDATE activities SET wall_id = (SELECT p.profile_id FROM comments c JOIN posts p ON p.id = c.post_id
                                 WHERE c.id = activities.object_id)
WHERE object_type = 'comment' AND space_id IS NULL;

CREATE INDEX activities_by_wall ON activities (wall_id, id) WHERE wall_id IS NOT NULL;
