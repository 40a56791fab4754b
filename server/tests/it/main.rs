//! The server's HTTP-level tests, on SQLite and PostgreSQL, in one test binary: each of these
//! files was a binary of its own (about 660 MB each in a debug build, each linked separately),
//! which cost CI minutes of linking and most of its disk. `cargo test -p server --test it
//! spaces::` runs one file's tests; the benchmarks (`bench_*`) are `#[ignore]`d and run with
//! `-- --ignored bench_`.

mod common;

mod accounts;
mod bench_realtime;
mod bench_search;
mod bench_wall;
mod blob_store;
mod course_files;
mod courses;
mod crash;
mod discussions;
mod forums_blogs;
mod limits;
mod markup;
mod notifications;
mod platform;
mod playlists;
mod profiles;
mod realtime;
mod schema;
mod seed;
mod spaces;
