-- A space's last activity is the time of the newest activity in it, kept by the database as
-- each activity is recorded: written by the app, it cost each post a statement of its own, a
-- turn on SQLite's one writer connection. Times are in seconds, so within a second the space
-- is written once.
CREATE TRIGGER activities_touch_space AFTER INSERT ON activities
WHEN NEW.space_id IS NOT NULL
BEGIN
    UPDATE spaces SET last_activity_at = NEW.created_at
    WHERE id = NEW.space_id AND last_activity_at < NEW.created_at;
END;
