-- A draft course is its authors' alone: its wrapper space is secret until the course is
-- published (it was listed, as private, from the start).
UPDATE spaces SET visibility = 'secret'
WHERE id IN (SELECT space_id FROM courses WHERE published_at IS NULL);
