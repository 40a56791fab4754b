#!/usr/bin/env bash
# Sets everything up, builds a release, and runs Cohort on http://127.0.0.1:3000 with its
# embedded defaults (a SQLite database in ./data, created and migrated on first start).
# Extra arguments go to the server (try --help); `--demo` fills a new, empty database with a
# small demo organisation to look around in (it never touches one that has accounts). On a
# first start in a terminal, without --demo, it asks.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

say "building Cohort (release)"
cargo leptos build --release --precompress --split
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"

args=("$@")
default_db="data/cohort.db"
if [ "$#" = 0 ] && [ -z "${COHORT_DATABASE_URL:-}" ] && [ ! -e "$default_db" ] && [ -t 0 ] \
   && [ -z "${COHORT_DEMO:-}" ]; then
  read -r -p "==> New database. Fill it with a demo organisation (40 people, spaces, posts, threads, a course)? [y/N] " answer
  case "$answer" in [yY]*) args+=(--demo) ;; esac
fi
say "starting Cohort on http://${COHORT_ADDR:-127.0.0.1:3000} (Ctrl-C stops it)"
exec target/release/server ${args[@]+"${args[@]}"}
