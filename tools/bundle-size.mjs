// Prints the size of the browser bundle (wasm, JS, CSS in target/site/pkg): raw, gzip, brotli.
// Usage: node tools/bundle-size.mjs [site-root] [--budget KB] [--area NAME]
//   (after `cargo leptos build --release`)
// Unsplit, every page loads the one wasm and JS, which are then the first page. A build split by
// area (`--split`: app/src/areas.rs) has a main wasm and JS every page loads, and per area a wasm
// file of its own plus the shared chunks it needs. With --area NAME the first page is the main
// files and that area's (`--area main`: the main files alone, as for the home page, whose code
// is in the main wasm); without it every file counts.
// With --budget, exits with status 1 when the first page's brotli wasm + JS is over it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : null;
};
const budgetArg = option('--budget');
const budget = budgetArg === null ? null : Number(budgetArg);
const area = option('--area');
const pkg = join(args[0] || 'target/site', 'pkg');
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

// With hashed file names, the build's current files are those named in target/release/hash.txt
// and the chunks its split manifest names (older builds' files may still be in the folder).
const hashFile = process.env.COHORT_HASH_FILE || 'target/release/hash.txt';
const hashes = existsSync(hashFile)
  ? Object.fromEntries(
      readFileSync(hashFile, 'utf8')
        .split('\n')
        .map((l) => l.split(':').map((p) => p.trim()))
        .filter((p) => p.length === 2 && p[1]),
    )
  : null;
const names = readdirSync(pkg).filter((n) => !/\.(br|gz)$/.test(n) && statSync(join(pkg, n)).isFile());
// (With hashes, only the manifest hash.txt names: an unsplit build after a split one leaves the
// old manifest in the folder.)
const manifestName = names.find((n) =>
  hashes
    ? hashes.manifest && n === `__wasm_split_manifest.${hashes.manifest}.json`
    : n.startsWith('__wasm_split_manifest'),
);
// The manifest: for each area, the shared chunks it needs besides its own `split_<area>`.
const manifest = manifestName ? JSON.parse(readFileSync(join(pkg, manifestName), 'utf8')) : {};
const chunks = new Set(Object.values(manifest).flat().map((m) => `${m}.wasm`));
const ownSplit = (key) => names.find((n) => n.startsWith(`split_${key}.`) && n.endsWith('.wasm'));
const splits = new Set(Object.keys(manifest).map(ownSplit).filter(Boolean));
const current = (name) =>
  !hashes || chunks.has(name) || splits.has(name) || Object.values(hashes).some((h) => name.includes(`.${h}.`));

// The first page: the main wasm and JS, the split loader, and the named area's own split file
// with the shared chunks the manifest lists for it (the server lists the same files as preload
// links in the page).
let firstPage = null;
if (area) {
  const key = area === 'main' ? 'main' : Object.keys(manifest).find((k) => k === area);
  if (!key || (key === 'main' && !manifestName)) {
    console.error(`error: no area named ${area} in the build (was it built with --split?)`);
    process.exit(1);
  }
  const main = names.filter((n) =>
    ['js', 'wasm', 'split'].some((part) => hashes?.[part] && n.includes(`.${hashes[part]}.`)),
  );
  firstPage = new Set(
    key === 'main' ? main : [...main, ...manifest[key].map((m) => `${m}.wasm`), ownSplit(key)],
  );
}

const sizes = (name) => {
  const data = readFileSync(join(pkg, name));
  return {
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
const add = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });
const zero = { raw: 0, gzip: 0, brotli: 0 };
const line = (label, s) => console.log([label, kb(s.raw), kb(s.gzip), kb(s.brotli)].join('\t'));

let all = zero;
let first = zero;
console.log(['file', 'raw', 'gzip', 'brotli', firstPage ? 'first page' : ''].join('\t').trimEnd());
for (const name of names.sort().filter(current)) {
  const s = sizes(name);
  const code = /\.(wasm|js)$/.test(name);
  const onFirst = code && (firstPage ? firstPage.has(name) : true);
  console.log([name, kb(s.raw), kb(s.gzip), kb(s.brotli), firstPage && onFirst ? 'yes' : ''].join('\t').trimEnd());
  if (code) all = add(all, s);
  if (onFirst) first = add(first, s);
}
if (firstPage) {
  const missing = [...firstPage].filter((n) => !n || !names.includes(n));
  if (missing.length) {
    console.error(`error: the manifest names files the build does not have: ${missing.join(', ')}`);
    process.exit(1);
  }
}
line('all wasm+js', all);
line('wasm+js', first);
if (budget !== null && first.brotli / 1024 > budget) {
  console.error(`over budget: ${kb(first.brotli)} brotli wasm + JS for the first page, budget ${budget} KB`);
  process.exit(1);
}
