// Prints the size of the browser bundle (wasm, JS, CSS in target/site/pkg): raw, gzip, brotli.
// Usage: node tools/bundle-size.mjs [site-root] [--budget KB]   (after `cargo leptos build --release`)
// With --budget, exits with status 1 when the first page's brotli wasm + JS is over it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const args = process.argv.slice(2);
const at = args.indexOf('--budget');
const budget = at >= 0 ? Number(args.splice(at, 2)[1]) : null;
const pkg = join(args[0] || 'target/site', 'pkg');
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let total = { raw: 0, gzip: 0, brotli: 0 };
console.log(['file', 'raw', 'gzip', 'brotli'].join('\t'));
// With hashed file names, the build's current files are those named in target/release/hash.txt
// (older builds' files may still be in the folder).
const hashFile = process.env.COHORT_HASH_FILE || 'target/release/hash.txt';
const hashes = existsSync(hashFile)
  ? readFileSync(hashFile, 'utf8').split('\n').map((l) => l.split(':')[1]?.trim()).filter(Boolean)
  : null;
const current = (name) =>
  !/\.(br|gz)$/.test(name) && (!hashes || hashes.some((h) => name.includes(`.${h}.`)));
for (const name of readdirSync(pkg).sort().filter(current)) {
  const data = readFileSync(join(pkg, name));
  const gzip = gzipSync(data, { level: 9 }).length;
  const brotli = brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
  }).length;
  console.log([name, kb(data.length), kb(gzip), kb(brotli)].join('\t'));
  if (/\.(wasm|js)$/.test(name)) {
    total = { raw: total.raw + data.length, gzip: total.gzip + gzip, brotli: total.brotli + brotli };
  }
}
console.log(['wasm+js', kb(total.raw), kb(total.gzip), kb(total.brotli)].join('\t'));
if (budget !== null && total.brotli / 1024 > budget) {
  console.error(`over budget: ${kb(total.brotli)} brotli wasm + JS for the first page, budget ${budget} KB`);
  process.exit(1);
}
