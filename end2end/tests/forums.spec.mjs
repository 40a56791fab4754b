// Forums as people use them: a moderator sets categories, a member starts a thread in one,
// another reads it (new, unread), replies and quotes, switches between threaded and flat,
// the moderator moves and locks it. A draft reply survives a reload (with JavaScript).
// Runs with JavaScript on and off.
import { test, expect } from '@playwright/test';
import { newPerson, register } from './helpers.mjs';

test('categories, a thread, replies with quote, threaded and flat, move and lock', async ({ browser }, info) => {
  test.setTimeout(90_000);
  const javaScriptEnabled = info.project.use.javaScriptEnabled !== false;
  const open = async () => (await browser.newContext({ javaScriptEnabled })).newPage();
  const [ana, bo] = [newPerson('moderator'), newPerson('member')];
  const anaPage = await open();
  const boPage = await open();
  await register(anaPage, ana);
  await register(boPage, bo);
  const slug = `guild-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

  // Ana creates an open space and gives its forum two categories.
  await anaPage.goto('/spaces/new');
  await anaPage.getByLabel('Name', { exact: true }).fill(`Platform guild ${slug}`);
  await anaPage.getByLabel('Address', { exact: true }).fill(slug);
  await anaPage.getByLabel('Description', { exact: true }).fill('Builders of the platform');
  await anaPage.getByLabel('Who can see it').selectOption('public');
  await anaPage.getByLabel('How people join').selectOption('open');
  await anaPage.getByRole('button', { name: 'Create space' }).click();
  await anaPage.getByRole('link', { name: 'Space forum' }).click();
  await expect(anaPage.getByRole('heading', { level: 1 })).toContainText('Forum of Platform guild');
  const manage = anaPage.getByRole('region', { name: 'Categories' });
  await manage.getByLabel('Category name').fill('Help');
  await manage.getByRole('button', { name: 'Add category' }).click();
  await expect(anaPage.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: 'Help' })).toBeVisible();
  await anaPage.getByRole('region', { name: 'Categories' }).getByLabel('Category name').fill('Releases');
  await anaPage.getByRole('region', { name: 'Categories' }).getByRole('button', { name: 'Add category' }).click();
  await expect(anaPage.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: 'Releases' })).toBeVisible();

  // Bo joins, opens the Help category and starts a thread there.
  await boPage.goto(`/s/${slug}`);
  await boPage.getByRole('button', { name: 'Join space' }).click();
  await expect(boPage.getByRole('button', { name: 'Leave space' })).toBeVisible();
  await boPage.getByRole('link', { name: 'Space forum' }).click();
  await boPage.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: 'Help' }).click();
  await boPage.getByRole('link', { name: 'Start a thread' }).click();
  await expect(boPage.getByLabel('Category')).toHaveValue(/\d+/);
  const title = `Our build is red on main ${slug}`;
  await boPage.getByLabel('Title', { exact: true }).fill(title);
  await boPage.getByLabel('Message', { exact: true }).fill('Since this morning the **integration** job fails.');
  await boPage.getByRole('button', { name: 'Start the thread' }).click();
  await expect(boPage.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(boPage.getByText('category Help')).toBeVisible();

  // Ana sees it as new in the Help category, opens it and replies.
  await anaPage.goto(`/s/${slug}/forum`);
  await anaPage.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: 'Help' }).click();
  const row = anaPage.getByRole('listitem').filter({ hasText: title });
  await expect(row.getByText('New', { exact: true })).toBeVisible();
  await row.getByRole('link', { name: title }).click();
  await anaPage.getByLabel('Your reply', { exact: true }).fill('Which test fails first?');
  await anaPage.getByRole('button', { name: 'Post reply' }).click();
  await expect(anaPage.getByRole('heading', { name: '1 reply' })).toBeVisible();

  // Bo quotes Ana's reply; the quote comes pre-filled and the answer hangs under hers.
  await boPage.reload();
  await boPage.getByRole('link', { name: 'Quote' }).click();
  await expect(boPage.getByLabel('Your reply', { exact: true })).toHaveValue(/Which test fails first\?/);
  await expect(boPage.getByText(`Replying to ${ana.name}`)).toBeVisible();
  await boPage.getByLabel('Your reply', { exact: true }).fill(`> Which test fails first?\n\nThe payments one.`);
  await boPage.getByRole('button', { name: 'Post reply' }).click();
  await expect(boPage.getByRole('heading', { name: '2 replies' })).toBeVisible();
  await expect(boPage.getByText(`replying to ${ana.name}`)).toBeVisible();
  await boPage.getByRole('link', { name: 'Show flat by time' }).click();
  await expect(boPage.getByRole('link', { name: 'Show threaded' })).toBeVisible();
  await expect(boPage.locator('.reply.nested')).toHaveCount(0);
  await boPage.getByRole('link', { name: 'Show threaded' }).click();
  await expect(boPage.locator('.reply.nested')).toHaveCount(1);

  // A reply being typed is kept in the browser and survives a reload.
  if (javaScriptEnabled) {
    await boPage.getByLabel('Your reply', { exact: true }).fill('Half a thought about flaky tests');
    await boPage.reload();
    await expect(boPage.getByLabel('Your reply', { exact: true })).toHaveValue('Half a thought about flaky tests');
  }

  // Ana moves the thread to Releases and locks it; Bo can no longer reply.
  await anaPage.reload();
  await anaPage.getByLabel('Category', { exact: true }).selectOption({ label: 'Releases' });
  await anaPage.getByRole('button', { name: 'Move thread' }).click();
  await expect(anaPage.getByText('category Releases')).toBeVisible();
  await anaPage.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(anaPage.getByRole('button', { name: 'Unlock' })).toBeVisible();
  await boPage.goto(`/s/${slug}/forum`);
  await boPage.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: 'Releases' }).click();
  await boPage.getByRole('link', { name: title }).click();
  await expect(boPage.getByText('This topic is locked: no more replies.')).toBeVisible();
  await expect(boPage.getByLabel('Your reply', { exact: true })).toHaveCount(0);
});
