// Feeds, notifications and real-time updates as people use them.
import { test, expect } from '@playwright/test';
import { newPerson, register } from './helpers.mjs';

function uniqueSlug(tag) {
  return `${tag}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

async function createSpace(page, slug, visibility = 'public') {
  await page.goto('/spaces/new');
  await page.getByLabel('Name', { exact: true }).fill(`Space ${slug}`);
  await page.getByLabel('Address', { exact: true }).fill(slug);
  await page.getByLabel('Who can see it').selectOption(visibility);
  await page.getByRole('button', { name: 'Create space' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Space ${slug}` })).toBeVisible();
}

async function postOnWall(page, text) {
  await page.getByLabel('Write a post').fill(text);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByRole('article').filter({ hasText: text })).toBeVisible();
}

/** Waits until the tab's socket is open: the space page then lists its person as online. */
async function waitUntilLive(page, name) {
  await expect(page.getByRole('list', { name: 'Members online now' }).getByRole('link', { name })).toBeVisible({
    timeout: 10_000,
  });
}

test('two people: posts, comments and notifications arrive live, and nothing is lost offline', async ({
  browser,
}, info) => {
  test.skip(info.project.use.javaScriptEnabled === false, 'live updates need JavaScript');
  const anaContext = await browser.newContext();
  const benContext = await browser.newContext();
  const ana = await anaContext.newPage();
  const ben = await benContext.newPage();
  const anaPerson = newPerson('live');
  const benPerson = { ...newPerson('live'), name: `Ben ${Date.now().toString(36)}` };
  await register(ana, anaPerson);
  await register(ben, benPerson);
  const slug = uniqueSlug('live');
  await createSpace(ana, slug);
  await ben.goto(`/s/${slug}`);
  await ben.getByRole('button', { name: 'Join space' }).click();
  await expect(ben.getByRole('button', { name: 'Leave space' })).toBeVisible();
  await ana.goto(`/s/${slug}`);
  await ben.goto(`/s/${slug}`);
  await waitUntilLive(ana, anaPerson.name);
  await waitUntilLive(ben, benPerson.name);

  // Ana posts; Ben sees it appear without reloading.
  await ben.evaluate(() => { window.__noReload = true; });
  await postOnWall(ana, 'Hello from Ana, live');
  await expect(ben.getByRole('article').filter({ hasText: 'Hello from Ana, live' })).toBeVisible();

  // Ben comments and reacts; Ana sees both on her open post, and her bell counts them.
  const onBen = ben.getByRole('article').filter({ hasText: 'Hello from Ana, live' });
  await onBen.getByRole('textbox', { name: 'Comment' }).fill('Welcome, @nobody!');
  await onBen.getByRole('button', { name: 'Comment', exact: true }).click();
  await onBen.getByRole('button', { name: /Like 0/ }).click();
  const onAna = ana.getByRole('article').filter({ hasText: 'Hello from Ana, live' });
  await expect(onAna.getByText('Welcome, @nobody!')).toBeVisible();
  await expect(onAna.getByRole('button', { name: /Like 1/ })).toBeVisible();
  await expect(ana.getByRole('link', { name: 'Notifications, 2 unread' })).toBeVisible();
  await expect(ana).toHaveTitle(/^\(2\) /);

  // Ben goes offline; Ana posts twice; back online, Ben's page shows both without a reload.
  await benContext.setOffline(true);
  await postOnWall(ana, 'First while you were away');
  await postOnWall(ana, 'Second while you were away');
  await benContext.setOffline(false);
  await expect(ben.getByRole('article').filter({ hasText: 'First while you were away' })).toBeVisible({ timeout: 15_000 });
  await expect(ben.getByRole('article').filter({ hasText: 'Second while you were away' })).toBeVisible();
  expect(await ben.evaluate(() => window.__noReload)).toBe(true);

  // The notifications page lists them; marking all read clears the bell in the other tab too.
  const anaSecondTab = await anaContext.newPage();
  await anaSecondTab.goto('/notifications');
  await expect(anaSecondTab.getByRole('link', { name: `${benPerson.name} commented on your post` })).toBeVisible();
  await expect(anaSecondTab.getByRole('link', { name: `${benPerson.name} reacted to your post` })).toBeVisible();
  await anaSecondTab.getByRole('button', { name: 'Mark all as read' }).click();
  await expect(anaSecondTab.getByText('You have no unread notifications.')).toBeVisible();
  await expect(ana.getByRole('link', { name: 'Notifications', exact: true })).toBeVisible();
  await anaContext.close();
  await benContext.close();
});

test('the home feed, filters, what is new, notifications and their settings', async ({ browser }) => {
  const anaContext = await browser.newContext();
  const benContext = await browser.newContext();
  const ana = await anaContext.newPage();
  const ben = await benContext.newPage();
  const anaPerson = newPerson('feed');
  const benPerson = { ...newPerson('feed'), name: `Ben ${Date.now().toString(36)}` };
  await register(ana, anaPerson);
  await register(ben, benPerson);
  const slug = uniqueSlug('feed');
  await createSpace(ana, slug);
  const note = `Notes from the design workshop ${slug}`;
  await postOnWall(ana, note);

  // Ben follows Ana and finds her post on his home page, then in "What's new".
  await ben.goto('/');
  await expect(ben.getByText('Nothing here yet.')).toBeVisible();
  const anaHandle = (await ana.getByRole('banner').getByRole('link', { name: 'My profile' }).getAttribute('href')).slice(3);
  await ben.goto(`/u/${anaHandle}`);
  await ben.getByRole('button', { name: `Follow ${anaPerson.name}` }).click();
  await expect(ben.getByRole('button', { name: `Unfollow ${anaPerson.name}` })).toBeVisible();
  await ben.getByRole('banner').getByRole('link', { name: 'Home' }).click();
  const item = ben.getByRole('listitem').filter({ hasText: note });
  await expect(item).toContainText(`${anaPerson.name} posted in Space ${slug}`);
  await ben.getByRole('navigation', { name: 'Show' }).getByRole('link', { name: 'Questions' }).click();
  await expect(ben.getByText('No questions yet.')).toBeVisible();
  await ben.getByRole('link', { name: 'Posts' }).click();
  await expect(ben.getByRole('listitem').filter({ hasText: note })).toBeVisible();
  await ben.getByRole('banner').getByRole('link', { name: "What's new" }).click();
  await expect(ben.getByRole('heading', { level: 1, name: "What's new" })).toBeVisible();
  await expect(ben.getByRole('listitem').filter({ hasText: note })).toBeVisible();

  // Ana hears of the follow: the bell counts it, the page leads to Ben's profile.
  await ana.goto('/');
  await expect(ana.getByRole('link', { name: 'Notifications, 1 unread' })).toBeVisible();
  await ana.getByRole('link', { name: 'Notifications, 1 unread' }).click();
  await ana.getByRole('link', { name: `${benPerson.name} started following you` }).click();
  await expect(ana.getByRole('heading', { level: 1, name: benPerson.name })).toBeVisible();
  await expect(ana.getByRole('link', { name: 'Notifications', exact: true })).toBeVisible();

  // Settings: follows off and a weekly digest for mentions, kept after a reload.
  await ana.goto('/notifications/settings');
  await ana.getByLabel('Someone follows me').uncheck();
  await ana.getByLabel('E-mail about mentions').selectOption('weekly');
  await ana.getByRole('button', { name: 'Save settings' }).click();
  await ana.waitForLoadState('networkidle');
  await ana.goto('/notifications/settings');
  await expect(ana.getByLabel('Someone follows me')).not.toBeChecked();
  await expect(ana.getByLabel('E-mail about mentions')).toHaveValue('weekly');
  await anaContext.close();
  await benContext.close();
});
