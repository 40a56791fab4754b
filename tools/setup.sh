#!/usr/bin/env bash
# Installs what building Cohort needs, once, into a folder outside the clone
# (COHORT_TOOLS_DIR, default ~/.cohort/tools), and puts it on PATH. Sourced by run.sh and test.sh.
# Later runs find everything installed and return at once.
set -euo pipefail

COHORT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COHORT_TOOLS_DIR="${COHORT_TOOLS_DIR:-$HOME/.cohort/tools}"
CARGO_LEPTOS_VERSION="0.3.10"
BINARYEN_VERSION="132.0.0"
export PATH="$COHORT_TOOLS_DIR/bin:$HOME/.cargo/bin:$PATH"
mkdir -p "$COHORT_TOOLS_DIR/bin"

say() { printf '==> %s\n' "$*"; }

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "error: $1 is required (install $2 first)" >&2; exit 1; }
}
need cargo "Rust with rustup"
need node "Node.js"
need npm "Node.js with npm"
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "error: Node.js 20 or newer is required (found $(node --version))" >&2; exit 1
fi

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo-leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 20 minutes, once)"
  cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked --features no_downloads \
    --root "$COHORT_TOOLS_DIR"
fi

# wasm-bindgen-cli must be exactly the wasm-bindgen version the lock file resolves.
WASM_BINDGEN_VERSION="$(grep -A1 '^name = "wasm-bindgen"$' "$COHORT_ROOT/Cargo.lock" \
  | sed -n 's/^version = "\(.*\)"$/\1/p')"
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked --root "$COHORT_TOOLS_DIR" \
    || cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --root "$COHORT_TOOLS_DIR"
fi

# wasm-opt from npm's binaryen (Debian's binaryen 108 breaks hydration), behind a wrapper.
if ! "$COHORT_TOOLS_DIR/bin/wasm-opt" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  say "installing wasm-opt (binaryen $BINARYEN_VERSION from npm)"
  mkdir -p "$COHORT_TOOLS_DIR/binaryen"
  npm install --prefix "$COHORT_TOOLS_DIR/binaryen" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
  cat > "$COHORT_TOOLS_DIR/bin/wasm-opt" <<WRAP
#!/bin/sh
exec node "$COHORT_TOOLS_DIR/binaryen/node_modules/binaryen/bin/wasm-opt" "\$@"
WRAP
  chmod +x "$COHORT_TOOLS_DIR/bin/wasm-opt"
fi

cd "$COHORT_ROOT"
