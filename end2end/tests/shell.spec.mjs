// The app shell: status codes, hydration, security headers, small screens.
import { test, expect } from '@playwright/test';
import { newPerson, register } from './helpers.mjs';

test('an unknown address answers 404 with a page that leads home', async ({ page }) => {
  const res = await page.goto('/no-such-page');
  expect(res.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to the home page' }).click();
  await expect(page.getByRole('heading', { name: 'Learn from each other' })).toBeVisible();
});

test('pages carry a nonce-based CSP and hydrate without errors', async ({ page }, info) => {
  const problems = [];
  // Chromium logs every 4xx answer; a refused form is the server doing its job.
  const expected = /Failed to load resource: the server responded with a status of 4\d\d/;
  page.on('console', (m) => {
    if (m.type() === 'error' && !expected.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  const res = await page.goto('/register');
  const csp = res.headers()['content-security-policy'];
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]+'/);
  expect(csp).not.toContain('unsafe-inline');
  expect(res.headers()['x-content-type-options']).toBe('nosniff');

  if (info.project.name === 'js') {
    // A hydrated form answers in place: the error shows without a page load carrying it in the URL.
    await page.waitForLoadState('networkidle');
    await page.getByRole('button', { name: 'Register' }).click();
    await expect(page.getByLabel('Display name', { exact: true })).toHaveAccessibleDescription(
      'Enter your name.',
    );
    expect(page.url()).not.toContain('__err');
  }
  expect(problems).toEqual([]);
});

test('the layout fits a 360 px wide phone, signed out and signed in', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/register');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Register' })).toBeVisible();
  const width = () => page.evaluate(() => document.documentElement.scrollWidth);
  expect(await width()).toBeLessThanOrEqual(360);
  // Signed in, the top bar holds every section of the site: it wraps rather than widening
  // the page.
  await register(page, newPerson('phone'));
  for (const path of ['/spaces', '/learning', '/profile/edit']) {
    await page.goto(path);
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My learning' })).toBeVisible();
    expect(await width(), path).toBeLessThanOrEqual(360);
  }
});

test('the build files have hashed names, are compressed and cached for a year', async ({ page, request }) => {
  await page.goto('/register');
  const files = await page.evaluate(() => [
    ...[...document.querySelectorAll('link[rel="stylesheet"], link[rel="modulepreload"], link[rel="preload"]')].map((l) => l.getAttribute('href')),
  ]);
  const css = files.find((f) => f && f.endsWith('.css'));
  const wasm = files.find((f) => f && f.endsWith('.wasm'));
  for (const file of [css, wasm]) {
    expect(file, `${files}`).toMatch(/^\/pkg\/cohort\.[A-Za-z0-9_-]{8,}\.(css|wasm)$/);
    const res = await request.get(file, { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(res.status()).toBe(200);
    expect(res.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers()['content-encoding']).toBe('br');
  }
  // Pages themselves are compressed too, and never cached as immutable.
  const html = await request.get('/register', { headers: { 'Accept-Encoding': 'gzip' } });
  expect(html.headers()['content-encoding']).toBe('gzip');
  // With brotli, the server compresses the whole page itself, and it arrives whole.
  const brotli = await request.get('/register', { headers: { 'Accept-Encoding': 'br, gzip' } });
  expect(brotli.headers()['content-encoding']).toBe('br');
  expect(brotli.headers()['vary'] ?? '').toContain('accept-encoding');
  expect(await brotli.text()).toContain('</html>');
  expect(html.headers()['cache-control'] ?? '').not.toContain('immutable');
});

// The code is split by area (app/src/areas.rs): the home page needs the main wasm alone, and a
// page of another area also fetches that area's own file, named in the page's head.
test('the home page loads only the main code; another area fetches its own file', async ({ page }, info) => {
  test.skip(info.project.use.javaScriptEnabled === false, 'code loading needs JavaScript');
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const wasm = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith('.wasm')) wasm.push(path);
  });

  await page.goto('/');
  await page.waitForLoadState('networkidle');
  expect(wasm.filter((p) => /^\/pkg\/cohort\./.test(p)), `${wasm}`).toHaveLength(1);
  expect(wasm.filter((p) => /\/(split|chunk)_/.test(p)), `${wasm}`).toEqual([]);
  await expect(page.locator('meta[name="cohort-area"]')).toHaveCount(0);

  wasm.length = 0;
  await page.goto('/register');
  await expect(page.locator('meta[name="cohort-area"]')).toHaveAttribute('content', 'welcome');
  await page.waitForLoadState('networkidle');
  expect(wasm.some((p) => /^\/pkg\/split_welcome\./.test(p)), `${wasm}`).toBe(true);
  // Hydrated from that file: the form answers in place.
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByLabel('Display name', { exact: true })).toHaveAccessibleDescription('Enter your name.');
  expect(page.url()).not.toContain('__err');

  // Back home by its link: drawn in place from the main code, with nothing more fetched.
  wasm.length = 0;
  await page.getByRole('banner').getByRole('link', { name: 'Cohort' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Learn from each other' })).toBeVisible();
  expect(wasm).toEqual([]);
  expect(errors).toEqual([]);
});

test('untouched fields are drawn quietly and as wide as their form; refused ones in the error colour', async ({ page }, info) => {
  await page.goto('/register');
  const name = page.getByLabel('Display name', { exact: true });
  const style = (locator) =>
    locator.evaluate((el) => {
      const s = getComputedStyle(el);
      const form = el.closest('form').getBoundingClientRect().width;
      return { border: s.borderTopColor, borderWidth: s.borderTopWidth, width: el.getBoundingClientRect().width, form };
    });
  // The error colour, as the stylesheet paints a field's error message.
  const danger = await page.evaluate(() => {
    const p = document.createElement('p');
    p.className = 'field-error';
    p.textContent = 'x';
    document.body.append(p);
    const colour = getComputedStyle(p).color;
    p.remove();
    return colour;
  });
  for (const label of ['Display name', 'Email', 'Password']) {
    const field = await style(page.getByLabel(label, { exact: true }));
    expect(field.border, `${label} before anything is typed`).not.toBe(danger);
    expect(field.borderWidth, label).toBe('1px');
    expect(field.width, `${label} fills its form`).toBeGreaterThan(field.form * 0.9);
  }
  // Sent empty, the refused field turns to the error colour (in place with JavaScript, on the
  // page the server sends back without it).
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(name).toHaveAccessibleDescription('Enter your name.');
  const refused = await style(name);
  expect(refused.border, `refused field (${info.project.name})`).toBe(danger);
});
