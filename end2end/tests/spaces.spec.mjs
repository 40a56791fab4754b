// Spaces as people use them: a private space, a join request, approval, a post, a comment and
// a reaction seen by the other person, and a non-member who sees none of it.
// Runs with JavaScript on and off (three people, three browser contexts).
import { test, expect } from '@playwright/test';
import { newPerson, register } from './helpers.mjs';

test('a private space: request, approval, post, comment and reaction; outsiders see nothing', async ({ browser }, info) => {
  const javaScriptEnabled = info.project.use.javaScriptEnabled !== false;
  const open = async () => (await browser.newContext({ javaScriptEnabled })).newPage();
  const [ana, bo, cy] = [newPerson('owner'), newPerson('joiner'), newPerson('outsider')];
  const anaPage = await open();
  const boPage = await open();
  const cyPage = await open();
  for (const [page, person] of [[anaPage, ana], [boPage, bo], [cyPage, cy]]) {
    await register(page, person);
  }

  // Ana creates a private space that takes requests, and posts on its wall.
  const slug = `circle-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const name = `Leadership circle ${slug}`;
  await anaPage.getByRole('banner').getByRole('link', { name: 'Spaces' }).click();
  await anaPage.getByRole('link', { name: 'Create a space' }).click();
  await anaPage.getByLabel('Name', { exact: true }).fill(name);
  await anaPage.getByLabel('Address', { exact: true }).fill(slug);
  await anaPage.getByLabel('Description', { exact: true }).fill('Where new leaders learn from each other');
  await anaPage.getByLabel('Who can see it').selectOption('private');
  await anaPage.getByLabel('How people join').selectOption('request');
  await anaPage.getByRole('button', { name: 'Create space' }).click();
  await expect(anaPage.getByRole('heading', { level: 1, name })).toBeVisible();
  await anaPage.getByLabel('Write a post').fill('Welcome to the **circle**');
  await anaPage.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(anaPage.getByRole('article', { name: `Post by ${ana.name}` })).toContainText('Welcome to the circle');

  // Bo finds it in the directory but cannot read it yet, and asks to join.
  await boPage.goto(`/spaces?q=${slug}`);
  await boPage.getByRole('link', { name }).click();
  await expect(boPage.getByText('for members only')).toBeVisible();
  await expect(boPage.getByText('Welcome to the circle')).toHaveCount(0);
  await boPage.getByRole('button', { name: 'Request to join' }).click();
  await expect(boPage.getByText('Your request to join is waiting for a moderator.')).toBeVisible();

  // Ana approves.
  await anaPage.reload();
  const requests = anaPage.getByRole('region', { name: 'Requests to join' });
  await requests.getByRole('button', { name: `Approve ${bo.name}` }).click();
  await expect(requests.getByText('Nobody is waiting.')).toBeVisible();

  // Bo now reads the wall, comments and reacts.
  await boPage.reload();
  const post = boPage.getByRole('article', { name: `Post by ${ana.name}` });
  await expect(post).toContainText('Welcome to the circle');
  await post.getByLabel('Comment', { exact: true }).fill('Glad to be here');
  await post.getByRole('button', { name: 'Comment', exact: true }).click();
  await expect(boPage.getByRole('article', { name: `Post by ${ana.name}` })).toContainText('Glad to be here');
  await expect(
    boPage.getByRole('article', { name: `Post by ${ana.name}` }).getByLabel('Comment', { exact: true }),
  ).toHaveValue('');
  await boPage.getByRole('article', { name: `Post by ${ana.name}` }).getByRole('button', { name: 'Like 0' }).click();
  await expect(
    boPage.getByRole('article', { name: `Post by ${ana.name}` }).getByRole('button', { name: 'Like 1' }),
  ).toHaveAttribute('aria-pressed', 'true');

  // Ana sees Bo's comment and reaction.
  await anaPage.reload();
  const seen = anaPage.getByRole('article', { name: `Post by ${ana.name}` });
  await expect(seen).toContainText('Glad to be here');
  await expect(seen.getByRole('button', { name: 'Like 1' })).toBeVisible();
  const members = anaPage.getByRole('complementary', { name: 'Members' });
  await expect(members).toContainText(bo.name);

  // Ana makes Bo a moderator.
  await members.getByLabel(`Role of ${bo.name}`).selectOption('moderator');
  await members.getByRole('button', { name: `Save role for ${bo.name}` }).click();
  await expect(
    anaPage.getByRole('complementary', { name: 'Members' }).getByRole('listitem').filter({ hasText: bo.name }),
  ).toContainText('Moderator');

  // Cy, not a member, sees none of it.
  await cyPage.goto(`/s/${slug}`);
  await expect(cyPage.getByText('for members only')).toBeVisible();
  for (const text of ['Welcome to the circle', 'Glad to be here', bo.name]) {
    await expect(cyPage.getByText(text)).toHaveCount(0);
  }
  for (const page of [anaPage, boPage, cyPage]) await page.context().close();
});

test('a secret space is not found by anyone outside it', async ({ page, browser }, info) => {
  const javaScriptEnabled = info.project.use.javaScriptEnabled !== false;
  const owner = newPerson('secret');
  await register(page, owner);
  const slug = `secret-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await page.goto('/spaces/new');
  await page.getByLabel('Name', { exact: true }).fill(`Skunkworks ${slug}`);
  await page.getByLabel('Address', { exact: true }).fill(slug);
  await page.getByLabel('Who can see it').selectOption('secret');
  await page.getByLabel('How people join').selectOption('invite');
  await page.getByRole('button', { name: 'Create space' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Skunkworks ${slug}` })).toBeVisible();

  const other = await (await browser.newContext({ javaScriptEnabled })).newPage();
  await register(other, newPerson('nosy'));
  const res = await other.goto(`/s/${slug}`);
  expect(res.status()).toBe(404);
  await expect(other.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await other.goto(`/spaces?q=${slug}`);
  await expect(other.getByText(`Skunkworks ${slug}`)).toHaveCount(0);
  await other.context().close();
});

test('creating a space with a bad address keeps what was typed', async ({ page }) => {
  await register(page, newPerson('badslug'));
  await page.goto('/spaces/new');
  await page.getByLabel('Name', { exact: true }).fill('Data guild');
  await page.getByLabel('Address', { exact: true }).fill('Not A Slug');
  await page.getByLabel('Description', { exact: true }).fill('All about data');
  await page.getByRole('button', { name: 'Create space' }).click();
  await expect(page.getByLabel('Address', { exact: true })).toHaveAccessibleDescription(/single hyphens/);
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Data guild');
  await expect(page.getByLabel('Description', { exact: true })).toHaveValue('All about data');
});

test('an owner edits and pins a post, archives the space, then deletes it by typing its name', async ({ page }) => {
  await register(page, newPerson('manager'));
  const slug = `manage-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const name = `Book club ${slug}`;
  await page.goto('/spaces/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Address', { exact: true }).fill(slug);
  await page.getByRole('button', { name: 'Create space' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

  for (const text of ['First thoughts', 'Second thoughts']) {
    await page.getByLabel('Write a post').fill(text);
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await expect(page.getByRole('article').filter({ hasText: text })).toBeVisible();
  }
  const first = page.getByRole('article').filter({ hasText: 'First thoughts' });
  await first.getByText('Edit', { exact: true }).click();
  await first.getByLabel('Edit post').fill('First thoughts, revised');
  await first.getByRole('button', { name: 'Save changes' }).click();
  const revised = page.getByRole('article').filter({ hasText: 'First thoughts, revised' });
  await expect(revised).toContainText('(edited)');
  await revised.getByRole('button', { name: 'Pin to top' }).click();
  await expect(page.getByRole('article').first()).toContainText('Pinned');
  await expect(page.getByRole('article').first()).toContainText('First thoughts, revised');

  await page.getByRole('button', { name: 'Archive space' }).click();
  await expect(page.getByText('Archived: read-only')).toBeVisible();
  await expect(page.getByLabel('Write a post')).toHaveCount(0);
  await page.getByRole('button', { name: 'Restore space' }).click();
  await expect(page.getByLabel('Write a post')).toBeVisible();

  await page.getByText('Delete this space').click();
  await page.getByLabel("Type the space's name to confirm").fill('wrong name');
  await page.getByRole('button', { name: 'Delete space' }).click();
  await expect(page.getByLabel("Type the space's name to confirm")).toHaveAccessibleDescription(/exactly to delete it/);
  // Without JavaScript the page came back with the section folded again.
  const confirm = page.getByLabel("Type the space's name to confirm");
  if (!(await confirm.isVisible())) await page.getByText('Delete this space').click();
  await confirm.fill(name);
  await page.getByRole('button', { name: 'Delete space' }).click();
  await expect(page).toHaveURL(/\/spaces$/);
  const gone = await page.goto(`/s/${slug}`);
  expect(gone.status()).toBe(404);
});

test('invitations: an owner finds and invites someone to a secret space, who accepts and is made moderator', async ({ browser }, info) => {
  const javaScriptEnabled = info.project.use.javaScriptEnabled !== false;
  const open = async () => (await browser.newContext({ javaScriptEnabled })).newPage();
  const [ana, bo] = [newPerson('inviter'), newPerson('invitee')];
  const anaPage = await open();
  const boPage = await open();
  await register(anaPage, ana);
  await register(boPage, bo);
  const slug = `council-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const name = `Council ${slug}`;
  await anaPage.goto('/spaces/new');
  await anaPage.getByLabel('Name', { exact: true }).fill(name);
  await anaPage.getByLabel('Address', { exact: true }).fill(slug);
  await anaPage.getByLabel('Who can see it').selectOption('secret');
  await anaPage.getByLabel('How people join').selectOption('invite');
  await anaPage.getByRole('button', { name: 'Create space' }).click();
  await expect(anaPage.getByRole('heading', { level: 1, name })).toBeVisible();

  // Ana searches for Bo by name and invites him.
  await anaPage.getByLabel('Find people to invite').fill(bo.name);
  await anaPage.getByRole('button', { name: 'Find', exact: true }).click();
  await anaPage.getByRole('button', { name: `Invite ${bo.name}` }).click();
  await expect(anaPage.getByRole('button', { name: `Invite ${bo.name}` })).toHaveCount(0);

  // Bo sees the invitation in the directory, opens the space and accepts.
  await boPage.goto('/spaces');
  const invitations = boPage.getByRole('region', { name: 'Invitations' });
  await invitations.getByRole('link', { name }).click();
  await expect(boPage.getByText('You are invited to join this space.')).toBeVisible();
  await boPage.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(boPage.getByText('You are a member of this space.')).toBeVisible();

  // Ana makes Bo a moderator; Bo sees the moderators' tools.
  await anaPage.reload();
  const members = anaPage.getByRole('complementary', { name: 'Members' });
  await members.getByLabel(`Role of ${bo.name}`).selectOption('moderator');
  await members.getByRole('button', { name: `Save role for ${bo.name}` }).click();
  await expect(
    anaPage.getByRole('complementary', { name: 'Members' }).getByRole('listitem').filter({ hasText: bo.name }),
  ).toContainText('Moderator');
  await boPage.reload();
  await expect(boPage.getByText('You are a moderator of this space.')).toBeVisible();
  await expect(boPage.getByRole('heading', { name: 'Invite people' })).toBeVisible();
  for (const page of [anaPage, boPage]) await page.context().close();
});
