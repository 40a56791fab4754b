// Blogs as people use them: a person writes a draft nobody else sees, publishes it publicly,
// a colleague comments and reacts, and a visitor who is not signed in reads it and finds it
// in the blog's Atom feed. Runs with JavaScript on and off.
import { test, expect } from '@playwright/test';
import { newPerson, register } from './helpers.mjs';

test('draft, publish publicly, comment and react, read signed out and in the Atom feed', async ({ browser, request }, info) => {
  test.setTimeout(90_000);
  const javaScriptEnabled = info.project.use.javaScriptEnabled !== false;
  const open = async () => (await browser.newContext({ javaScriptEnabled })).newPage();
  const [ana, bo] = [newPerson('writer'), newPerson('reader')];
  const anaPage = await open();
  const boPage = await open();
  const visitor = await open();
  await register(anaPage, ana);
  await register(boPage, bo);
  const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const title = `What we learned onboarding ${unique}`;

  // Ana writes a draft from her profile; a missing title is explained and nothing is lost.
  await anaPage.getByRole('banner').getByRole('link', { name: 'My profile' }).click();
  const profileUrl = anaPage.url();
  await anaPage.getByRole('link', { name: 'Blog', exact: true }).click();
  await expect(anaPage.getByText('No articles yet. Write the first one.')).toBeVisible();
  const blogUrl = anaPage.url();
  await anaPage.getByRole('link', { name: 'Write an article' }).click();
  await anaPage.getByLabel('Article', { exact: true }).fill('Every newcomer gets a **buddy** for a month.');
  await anaPage.getByLabel('Tags', { exact: true }).fill('onboarding');
  await anaPage.getByRole('button', { name: 'Save article' }).click();
  await expect(anaPage.getByLabel('Title', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(anaPage.getByLabel('Article', { exact: true })).toHaveValue('Every newcomer gets a **buddy** for a month.');
  await anaPage.getByLabel('Title', { exact: true }).fill(title);
  await anaPage.getByRole('button', { name: 'Save article' }).click();
  await expect(anaPage.getByRole('heading', { level: 1 })).toContainText(title);
  await expect(anaPage.getByRole('heading', { level: 1 })).toContainText('Draft');
  const articleUrl = anaPage.url();

  // Bo does not see the draft.
  await boPage.goto(blogUrl);
  await expect(boPage.getByText('No articles yet.')).toBeVisible();
  await boPage.goto(articleUrl);
  await expect(boPage.getByRole('heading', { level: 1, name: title })).toHaveCount(0);

  // Ana publishes it, public on the web.
  await anaPage.getByRole('link', { name: 'Edit article' }).click();
  await anaPage.getByLabel('Published now').check();
  await anaPage.getByLabel(/^Public: anyone on the web/).check();
  await anaPage.getByRole('button', { name: 'Save article' }).click();
  await expect(anaPage.getByRole('heading', { level: 1 })).toContainText(title);
  await expect(anaPage.getByRole('heading', { level: 1 })).not.toContainText('Draft');

  // Bo finds it on her blog, comments and reacts.
  await boPage.goto(profileUrl);
  await boPage.getByRole('link', { name: 'Blog', exact: true }).click();
  await boPage.getByRole('link', { name: title }).click();
  await expect(boPage.getByRole('heading', { level: 1 })).toContainText(title);
  await boPage.getByLabel('Your comment', { exact: true }).fill('The buddy idea worked for me too.');
  await boPage.getByRole('button', { name: 'Post comment' }).click();
  await expect(boPage.getByRole('heading', { name: '1 comment' })).toBeVisible();
  await boPage.getByRole('button', { name: /Like 0/ }).click();
  await expect(boPage.getByRole('button', { name: /Like 1/ })).toBeVisible();

  // Ana hears of the comment.
  await anaPage.goto('/notifications');
  await expect(anaPage.getByText('commented on your post')).toBeVisible();

  // A visitor who is not signed in reads it, and a feed reader finds it.
  await visitor.goto(articleUrl);
  await expect(visitor.getByRole('heading', { level: 1 })).toContainText(title);
  await expect(visitor.getByText('The buddy idea worked for me too.')).toBeVisible();
  await expect(visitor.getByRole('link', { name: 'Sign in', exact: true }).first()).toBeVisible();
  const feed = await request.get(`${blogUrl}/feed.xml`);
  expect(feed.status()).toBe(200);
  expect(feed.headers()['content-type']).toContain('application/atom+xml');
  expect(await feed.text()).toContain(title);
});
