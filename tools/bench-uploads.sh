#!/usr/bin/env bash
# Peak server memory while several people upload big files at once: N clients (default 8)
# each upload a M MB (default 200) lesson file, or SCORM package (a zip holding one M MB file
# beside its manifest), at the same moment, to a release server on a fresh SQLite database.
# Prints the server's resident memory idle and at its peak (VmHWM), the wall time, and fails
# (status 3) if any upload is not answered 200.
#
#   ./tools/bench-uploads.sh [--clients N] [--mb M] [--kind file|package]
#                            [--server PATH: a server binary to measure instead of
#                            target/release/server (an older build, say)]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

clients=8
mb=200
server=target/release/server
kind=file
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) clients="$2"; shift 2 ;;
    --mb) mb="$2"; shift 2 ;;
    --server) server="$2"; shift 2 ;;
    --kind) kind="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done
[ -x "$server" ] || { echo "no server at $server: build the release first (cargo leptos build --release)" >&2; exit 64; }

data="$(mktemp -d "${TMPDIR:-/tmp}/cohort-upload-bench-XXXXXX")"
port="${COHORT_BENCH_PORT:-3195}"
base="http://127.0.0.1:$port"
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

COHORT_DATABASE_URL="sqlite:$data/cohort.db" COHORT_CONFIG="$data/none.toml" \
  COHORT_ADDR="127.0.0.1:$port" COHORT_CONTENT_ADDR="127.0.0.1:$((port + 1))" \
  COHORT_SETUP_TOKEN=bench-setup COHORT_MAX_PACKAGE_MB=$((mb + 10)) \
  COHORT_UPLOAD_LIMIT_PER_MINUTE=1000 COHORT_WRITE_LIMIT_PER_MINUTE=1000 \
  RUST_LOG=error "$server" &
pid=$!
for _ in $(seq 1 300); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

jar="$data/cookies"
call() { # endpoint, then curl form arguments; prints the JSON answer
  local endpoint="$1"; shift
  curl -sf -b "$jar" -c "$jar" -H "Origin: $base" -H 'Accept: application/json' "$@" "$base/api/$endpoint"
}
call auth/register -d display_name=Bench -d email=bench@example.com \
  -d 'password=correct horse battery' -d setup=bench-setup >/dev/null
slug="$(call courses/create -d title='Upload bench' -d policy=open | tr -d '"')"
module="$(call courses/add_module -d "slug=$slug" -d 'module_title=Files')"
lessons=()
for i in $(seq 1 "$clients"); do
  lessons+=("$(call courses/add_lesson -d "slug=$slug" -d "module=$module" -d "title=File $i" -d "kind=$kind")")
done

file="$data/big.bin"
head -c "$((mb * 1024 * 1024))" /dev/urandom > "$file"
field=file
endpoint=media/lesson-file
if [ "$kind" = package ]; then
  field=package
  endpoint=media/package
  python3 - "$file" "$data/big.zip" <<'PY'
import sys, zipfile
manifest = """<?xml version="1.0"?>
<manifest identifier="bench" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
 <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
 <organizations default="o"><organization identifier="o"><title>Bench</title>
  <item identifier="i" identifierref="r"><title>Bench</title></item></organization></organizations>
 <resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="index.html">
  <file href="index.html"/></resource></resources>
</manifest>"""
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_STORED) as z:
    z.writestr("imsmanifest.xml", manifest)
    z.writestr("index.html", "<!doctype html><title>Bench</title><p>Big package.")
    z.write(sys.argv[1], "media/big.bin")
PY
  file="$data/big.zip"
fi
idle="$(awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")"
echo 5 > "/proc/$pid/clear_refs" 2>/dev/null || true
start=$(date +%s.%N)
codes="$data/codes"
uploads=()
for lesson in "${lessons[@]}"; do
  curl -s -o /dev/null -w '%{http_code}\n' -b "$jar" -H "Origin: $base" -H 'Accept: application/json' \
    -F "lesson=$lesson" -F "$field=@$file;filename=$(basename "$file")" "$base/$endpoint" >> "$codes" &
  uploads+=($!)
done
wait "${uploads[@]}" || true
end=$(date +%s.%N)
peak="$(awk '/^VmHWM:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")"
ok="$(grep -c '^200$' "$codes" || true)"
echo "| uploads ($kind) | $clients × $mb MB at once |"
echo "|---|---|"
echo "| answered 200 | $ok of $clients |"
echo "| server memory idle (VmRSS) | $idle MB |"
echo "| server memory peak during the uploads (VmHWM) | $peak MB |"
echo "| wall time | $(echo "$end - $start" | bc) s |"
[ "$ok" = "$clients" ] || { echo "failed answers: $(sort "$codes" | uniq -c | tr '\n' ' ')" >&2; exit 3; }
