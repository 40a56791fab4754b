// Prints the size of the browser bundle (wasm, JS, CSS in target/site/pkg): raw, gzip, brotli.
// Usage: node tools/bundle-size.mjs [site-root]   (after `cargo leptos build --release`)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const pkg = join(process.argv[2] || 'target/site', 'pkg');
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let total = { raw: 0, gzip: 0, brotli: 0 };
console.log(['file', 'raw', 'gzip', 'brotli'].join('\t'));
for (const name of readdirSync(pkg).sort()) {
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
