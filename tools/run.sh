#!/usr/bin/env bash
# Sets everything up, builds a release, and runs Cohort on http://127.0.0.1:3000 with its
# embedded defaults (a SQLite database in ./data, created and migrated on first start).
# Extra arguments go to the server (try --help).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

say "building Cohort (release)"
cargo leptos build --release
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
say "starting Cohort on http://${COHORT_ADDR:-127.0.0.1:3000} (Ctrl-C stops it)"
exec target/release/server "$@"
