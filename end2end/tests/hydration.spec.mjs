// With JavaScript, every page hydrates without errors and forms then answer in place: a
// hydration failure leaves a page that still works as plain HTML, which the other tests would
// not notice.
import { test, expect } from '@playwright/test';
import { newPerson, register } from './helpers.mjs';

const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

test('pages hydrate, and posting answers in place', async ({ page }, info) => {
  test.skip(info.project.use.javaScriptEnabled === false, 'hydration needs JavaScript');
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /panicked|hydration/i.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  const ana = newPerson('hydrate');
  await register(page, ana);
  const slug = `hydrate-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await page.goto('/spaces/new');
  await page.getByLabel('Name', { exact: true }).fill(`Hydrate ${slug}`);
  await page.getByLabel('Address', { exact: true }).fill(slug);
  await page.getByLabel('Topics', { exact: true }).fill('testing');
  await page.getByRole('button', { name: 'Create space' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Hydrate ${slug}` })).toBeVisible();

  // A full load of the space page, then a post with a picture that appears without a reload.
  await page.goto(`/s/${slug}`);
  await page.evaluate(() => { window.__cohortMarker = 'still here'; });
  await expect.poll(async () => errors.length, { timeout: 2000 }).toBe(0);
  await page.getByLabel('Write a post').fill('Posted in place');
  await page.getByLabel('Picture (optional)').setInputFiles({
    name: 'p.png',
    mimeType: 'image/png',
    buffer: Buffer.from(PNG_1PX, 'base64'),
  });
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByRole('article', { name: `Post by ${ana.name}` })).toContainText('Posted in place');
  await expect(page.getByLabel('Write a post')).toHaveValue('');
  expect(await page.evaluate(() => window.__cohortMarker)).toBe('still here');

  // Moving between pages by their links draws each page in place, without a full reload.
  for (const [link, heading] of [
    ['Courses', 'Courses'],
    ['Playlists', 'Learning playlists'],
    ['Questions', 'Questions'],
    ['Forum', 'Site forum'],
    ['Home', `Welcome, ${ana.name}`],
  ]) {
    await page.getByRole('banner').getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  }
  expect(await page.evaluate(() => window.__cohortMarker)).toBe('still here');

  // The other pages load and hydrate cleanly too.
  for (const path of ['/spaces', `/spaces?tag=testing&sort=members`, '/profile/edit', '/account']) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
  }
  await page.getByRole('banner').getByRole('link', { name: 'My profile' }).click();
  await expect(page.getByRole('heading', { level: 1, name: ana.name })).toBeVisible();
  await page.reload();
  await page.waitForLoadState('networkidle');
  expect(errors).toEqual([]);
});
