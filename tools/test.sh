#!/usr/bin/env bash
# Sets everything up and runs every test: formatting, unit, integration on SQLite and on
# PostgreSQL, and the end-to-end suite in headless Chromium (with JavaScript on and off).
# PostgreSQL: COHORT_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres).
# Without a reachable server those tests are skipped, except under CI=true, where this script
# starts (or installs) PostgreSQL and fails if it still cannot connect.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "error: '$*' needs root, and sudo is not installed" >&2; return 1
  fi
}
apt_install() {
  say "installing $* from Debian"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# --- PostgreSQL -------------------------------------------------------------------------------
export COHORT_TEST_POSTGRES_URL="${COHORT_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_hostport="$(echo "$COHORT_TEST_POSTGRES_URL" | sed -E 's#^[a-z]+://([^@/]*@)?([^/?]+).*#\2#')"
pg_host="${pg_hostport%%:*}"; pg_port="${pg_hostport##*:}"; [ "$pg_port" = "$pg_hostport" ] && pg_port=5432
pg_up() { timeout 2 bash -c "exec 3<>/dev/tcp/$pg_host/$pg_port" 2>/dev/null; }
wait_pg() { for _ in $(seq 1 30); do pg_up && return 0; sleep 1; done; return 1; }

if ! pg_up; then
  if [ "${CI:-}" = "true" ]; then
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
      apt_install postgresql
      # A cluster this script created: let local tests in without a password.
      for hba in /etc/postgresql/*/main/pg_hba.conf; do
        as_root sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
      done
    fi
    say "starting PostgreSQL"
    pg_version="$(ls /etc/postgresql | sort -V | tail -n1)"
    as_root pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start || true
    # Reload, so an edited pg_hba.conf applies to a cluster the install already started.
    as_root pg_ctlcluster --skip-systemctl-redirect "$pg_version" main reload || true
    wait_pg || { echo "error: PostgreSQL is required under CI=true and is not reachable at $pg_hostport" >&2; exit 1; }
  else
    echo "NOTE: PostgreSQL is not reachable at $pg_hostport: the PostgreSQL integration tests will be SKIPPED."
    echo "      Start it, or set COHORT_TEST_POSTGRES_URL, to run them."
  fi
fi

# --- Browser and end-to-end packages -----------------------------------------------------------
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] || apt_install chromium
export CHROMIUM_PATH="$CHROMIUM"
say "installing end-to-end packages"
(cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)

# --- Tests ----------------------------------------------------------------------------------
say "checking formatting"
cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
cargo fmt --all --check

# A fresh clone builds everything once: incremental compilation would only add its caches
# (gigabytes) to the disk and time to the build.
if [ "${CI:-}" = "true" ]; then export CARGO_INCREMENTAL=0; fi

say "unit and integration tests (SQLite and PostgreSQL)"
cargo test --workspace

say "building the release for the end-to-end tests"
cargo leptos build --release --precompress --split

say "end-to-end tests in headless Chromium"
(cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npx playwright test)
