#!/usr/bin/env bash
# The benchmark suite: builds a release, seeds a fresh database at a chosen scale, starts the
# server on it and measures it with oha (installed from crates.io into the tools folder).
#
#   ./tools/bench.sh [--scale large|small|demo] [--database sqlite|postgres] [--seconds N]
#                    [--sockets N] [--full] [--no-build: measure the release already built]
#
# Measures: the front-end budget (first page brotli wasm + JS <= 300 KB; over it, the suite
# exits with status 2 after measuring everything else; any non-2xx answer or connection error
# under load makes it exit with status 3), seeding time, cold start to the first
# page served, server-rendered pages (home feed, space, profile, thread) at 1, 16 and 64
# concurrent clients, posting through the server fn at 16 clients, resident memory idle, with
# 1,000 WebSockets open (tools/hold-sockets.mjs) under the home feed load, and at peak. With
# --full it also runs the WebSocket fan-out and search benchmarks (server/tests/it/bench_realtime.rs,
# bench_search.rs). Figures are printed as Markdown rows and
# written to target/bench/results.md; BENCHMARKS.md records them with the machine and date.
set -euo pipefail
# The server and the WebSocket holder each keep a file per socket open.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/setup.sh

scale=large
database=sqlite
seconds=10
full=false
sockets=1000
build=true
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --database) database="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --full) full=true; shift ;;
    --sockets) sockets="$2"; shift 2 ;;
    --no-build) build=false; shift ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done

OHA_VERSION="1.16.0"
if ! oha --version 2>/dev/null | grep -q "$OHA_VERSION"; then
  say "installing oha $OHA_VERSION (the load generator; a few minutes, once)"
  cargo install "oha@$OHA_VERSION" --locked --root "$COHORT_TOOLS_DIR"
fi

if $build; then
  say "building the release"
  cargo leptos build --release --precompress --split
fi

out=target/bench
mkdir -p "$out"
results="$out/results.md"
: > "$results"
: > "$out/peaks"
: > "$out/failures"
row() { printf '%s\n' "$*" | tee -a "$results"; }
row "| what | figure | target |"
row "|---|---|---|"

# --- A fresh, seeded database ----------------------------------------------------------------
data="$(mktemp -d "${TMPDIR:-/tmp}/cohort-bench-XXXXXX")"
port="${COHORT_BENCH_PORT:-3190}"
case "$database" in
  sqlite) db_url="sqlite:$data/cohort.db" ;;
  postgres)
    admin_url="${COHORT_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
    name="cohort_bench_$$"
    psql "$admin_url" -qc "CREATE DATABASE $name" >/dev/null
    db_url="${admin_url%/*}/$name"
    ;;
  *) echo "unknown database: $database" >&2; exit 64 ;;
esac
export COHORT_DATABASE_URL="$db_url" COHORT_CONFIG="$data/none.toml" LEPTOS_SITE_ROOT=target/site
export COHORT_ADDR="127.0.0.1:$port" RUST_LOG=warn
export COHORT_REGISTER_LIMIT_PER_IP=1000000 COHORT_SIGN_IN_LIMIT_PER_IP=1000000
server=target/release/server
cleanup() {
  [ -n "${holder:-}" ] && kill "$holder" 2>/dev/null || true
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true
  if [ "$database" = postgres ]; then psql "$admin_url" -qc "DROP DATABASE IF EXISTS $name" >/dev/null || true; fi
  rm -rf "$data"
}
trap cleanup EXIT

say "seeding the $scale organisation ($database)"
RUST_LOG=error "$server" seed --scale "$scale" --seed 42 | tee "$out/seed.txt"
row "| seed the $scale scale ($database) | $(sed -n 's/^Seeded //p' "$out/seed.txt") | minutes |"
# What to open: the busiest space the admin belongs to, the most followed person, the longest thread.
space=$(sed -n 's/^space: //p' "$out/seed.txt")
person=$(sed -n 's/^person: //p' "$out/seed.txt")
thread=$(sed -n 's/^thread: //p' "$out/seed.txt")

# --- Cold start --------------------------------------------------------------------------------
url="http://127.0.0.1:$port"
started=$(date +%s%N)
"$server" > "$out/server.log" 2>&1 &
pid=$!
until curl -fso /dev/null "$url/"; do
  kill -0 "$pid" 2>/dev/null || { cat "$out/server.log"; exit 1; }
  sleep 0.01
done
cold=$(( ($(date +%s%N) - started) / 1000000 ))
row "| cold start (existing database) to the first page served | $cold ms | ≤ 1 s |"
sleep 1
rss() { awk "/^$1:/ {printf \"%.1f MB\", \$2 / 1024}" "/proc/$pid/status"; }
row "| server memory, idle | $(rss VmRSS) resident | ≤ 50 MB |"

# --- Signed in as a seeded person ----------------------------------------------------------------
jar="$data/cookies"
curl -fs -c "$jar" -o /dev/null -H "Origin: $url" \
  --data-urlencode "email=admin@example.com" --data-urlencode "password=learn-together" \
  "$url/api/auth/sign_in"
cookie="$(awk '$6 == "cohort_session" {print "cohort_session=" $7}' "$jar")"
[ -n "$cookie" ] || { echo "error: could not sign in as the seeded admin" >&2; exit 1; }

# --- Front-end budget: the first page (the home page, whose code is in the main wasm) ----------
budget_status=0
node tools/bundle-size.mjs --budget 300 --area main > "$out/bundle.txt" || budget_status=$?
cat "$out/bundle.txt"
first=$(grep '^wasm+js' "$out/bundle.txt" | cut -f2- || true)
css=$(grep '\.css' "$out/bundle.txt" | head -n1 | cut -f2- || true)
row "| first page (home) wasm + JS (raw, gzip, brotli) | ${first//$'\t'/, } | brotli ≤ 300 KB |"
# Every other area, opened first (a link to a thread, a course...): no budget of its own. The
# areas are those the build's split manifest names (app/src/areas.rs defines them).
manifest=$(ls target/site/pkg/__wasm_split_manifest.*.json 2>/dev/null | grep -F -e "$(sed -n 's/^manifest: //p' target/release/hash.txt)" | head -n1)
for area in $(node -e 'console.log(Object.keys(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))).join(" "))' "$manifest"); do
  sizes=$(node tools/bundle-size.mjs --area "$area" | grep '^wasm+js' | cut -f2- || true)
  row "| first page in area $area, wasm + JS (raw, gzip, brotli) | ${sizes//$'\t'/, } | |"
done
all=$(grep '^all wasm+js' "$out/bundle.txt" | cut -f2- || true)
row "| every wasm + JS file of the build (raw, gzip, brotli) | ${all//$'\t'/, } | |"
row "| CSS (raw, gzip, brotli) | ${css//$'\t'/, } | |"

# Load from oha, signed in as the seeded admin and, as a browser asks, for compressed pages
# (which costs the server its share).
# Requests still in flight when the time is up are waited for, so none is counted as failed.
load() { # oha args
  oha --no-tui --output-format json --wait-ongoing-requests-after-deadline \
    -H "Cookie: $cookie" -H "Accept-Encoding: br, gzip" "$@"
}

# oha's JSON: latency percentiles (seconds) and requests per second. Answers other than 2xx
# and connection errors are counted into $out/failures: a throughput with failures is no figure,
# and the run fails at the end if there were any.
measure() { # name path concurrency [extra oha args]
  local what="$1" path="$2" c="$3"; shift 3
  # The peak resident memory of this phase alone (Linux resets it on writing 5 to clear_refs).
  awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" >> "$out/peaks"
  echo 5 > "/proc/$pid/clear_refs" 2>/dev/null || true
  load -z "${seconds}s" -c "$c" "$@" "$url$path" > "$out/oha.json"
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const p = r.latencyPercentiles, ms = (s) => (s * 1000).toFixed(1);
    const codes = Object.entries(r.statusCodeDistribution).map(([k, v]) => `${v}×${k}`).join(" ");
    const bad = Object.entries(r.statusCodeDistribution).filter(([k]) => !k.startsWith("2"));
    const errors = Object.entries(r.errorDistribution || {});
    const failed = [...bad, ...errors].reduce((n, [, v]) => n + v, 0);
    if (failed > 0) {
      const what = [...bad.map(([k, v]) => `${v}×${k}`), ...errors.map(([k, v]) => `${v}× ${k}`)];
      require("fs").appendFileSync(process.argv[3], `${process.argv[4]}: ${what.join(", ")}\n`);
    }
    console.log(`p50 ${ms(p.p50)} ms, p95 ${ms(p.p95)} ms, p99 ${ms(p.p99)} ms, ` +
      `${r.summary.requestsPerSec.toFixed(0)} req/s (${codes}` +
      (failed > 0 ? `; **${failed} FAILED**` : "") + "), " + process.argv[2]);
  ' "$out/oha.json" "peak $(rss VmHWM)" "$out/failures" "$what $path, $c clients"
}

# Before each page is measured, 2 s of the same load at 16 clients, not counted: each pooled
# SQLite connection keeps a page cache of its own, and one client warms only one connection.
warm() { # path
  load -z 2s -c 16 "$url$1" > /dev/null
}

for page in "home feed|/" "space|/s/$space" "profile|/u/$person" "thread|/t/$thread"; do
  name="${page%%|*}"; path="${page#*|}"
  warm "$path"
  for c in 1 16 64; do
    target=""
    [ "$name" = "home feed" ] && [ "$c" = 16 ] && target="p99 ≤ 50 ms, ≥ 1,000 req/s"
    row "| $name page ($path), $c concurrent | $(measure "$name" "$path" "$c") | $target |"
  done
done

row "| post to a space wall (server fn), 16 concurrent ($database) | $(measure post /api/walls/post 16 \
  -m POST -H "Origin: $url" -T application/x-www-form-urlencoded -d "slug=$space&body=Benchmark+post") | ≥ 2,000 writes/s, p99 ≤ 50 ms |"
row "| server memory, after the page and posting load | $(rss VmRSS) resident | |"

# --- 1,000 open WebSockets under the feed load ---------------------------------------------------
say "opening $sockets WebSockets"
node tools/hold-sockets.mjs "$url" "$cookie" "$sockets" site > "$out/sockets.txt" &
holder=$!
until grep -q '^open' "$out/sockets.txt" 2>/dev/null; do
  kill -0 "$holder" 2>/dev/null || { echo "error: could not open the WebSockets" >&2; exit 1; }
  sleep 0.2
done
row "| server memory, $sockets WebSockets open | $(rss VmRSS) resident | |"
row "| home feed page (/), 16 concurrent, $sockets WebSockets open | $(measure "home feed" / 16) | |"
row "| server memory, $sockets WebSockets open, after the feed load | $(rss VmRSS) resident | ≤ 250 MB |"
kill "$holder" 2>/dev/null || true
holder=""
awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" >> "$out/peaks"
peak=$(sort -n "$out/peaks" | tail -n1 | awk '{printf "%.1f MB", $1 / 1024}')
row "| server memory, peak of the whole run | $peak resident | ≤ 250 MB |"

if $full; then
  say "fan-out and search benchmarks"
  (ulimit -n 65536; cargo test --release -p server --test it \
    -- --ignored --nocapture --test-threads 1 bench_realtime:: bench_search::) 2>&1 | tee "$out/full.txt"
fi

say "results in $results"
if [ -s "$out/failures" ]; then
  echo "FAILED: requests failed or connections dropped under load:" >&2
  cat "$out/failures" >&2
  exit 3
fi
if [ "$budget_status" != 0 ]; then
  echo "FAILED: the first page's brotli wasm + JS is over its 300 KB budget" >&2
  exit 2
fi
