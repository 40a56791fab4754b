-- The bytes of lesson files and package files move out of the database into the blob store
-- (`infra::blob_store`). A row with a `blob_key` has its bytes there (and an empty `bytes`);
-- rows without one are moved at start-up, one at a time, so a restart resumes the move.
ALTER TABLE lesson_files ADD COLUMN blob_key TEXT;
ALTER TABLE package_files ADD COLUMN blob_key TEXT;
ALTER TABLE package_files ADD COLUMN size BIGINT;
-- The sweep of objects no row names asks by name.
CREATE INDEX lesson_files_by_blob ON lesson_files (blob_key);
CREATE INDEX package_files_by_blob ON package_files (blob_key);
