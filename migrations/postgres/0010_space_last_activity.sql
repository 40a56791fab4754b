-- A space's last activity is the time of the newest activity in it, kept by the database as
-- each activity is recorded: written by the app, it cost each post a statement of its own.
-- Times are in seconds, so within a second the space is written (and its row locked) once.
-- The seeder turns this off while it loads activities in bulk, and sets the times itself.
CREATE FUNCTION activities_touch_space() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE spaces SET last_activity_at = NEW.created_at
    WHERE id = NEW.space_id AND last_activity_at < NEW.created_at;
    RETURN NULL;
END
$$;

CREATE TRIGGER activities_touch_space AFTER INSERT ON activities
FOR EACH ROW WHEN (NEW.space_id IS NOT NULL)
EXECUTE FUNCTION activities_touch_space();
