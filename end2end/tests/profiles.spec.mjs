// Profiles as people use them: editing one's profile (with a mistake first), a status update,
// a picture, following someone, and a post with an @mention on their wall.
// Runs with JavaScript on and off.
import { test, expect } from '@playwright/test';
import { newPerson, pngClaiming, register } from './helpers.mjs';

const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

test('a profile: edit, status, picture, followers and a mention on the wall', async ({ browser }, info) => {
  const javaScriptEnabled = info.project.use.javaScriptEnabled !== false;
  const open = async () => (await browser.newContext({ javaScriptEnabled })).newPage();
  const [ana, bo] = [newPerson('profile'), newPerson('follower')];
  const anaPage = await open();
  const boPage = await open();
  await register(anaPage, ana);
  await register(boPage, bo);
  const handle = `ana_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

  // Ana opens her profile and edits it; a bad handle is explained and nothing typed is lost.
  await anaPage.getByRole('banner').getByRole('link', { name: 'My profile' }).click();
  await expect(anaPage.getByRole('heading', { level: 1, name: ana.name })).toBeVisible();
  await anaPage.getByRole('link', { name: 'Edit profile' }).click();
  await anaPage.getByLabel('Handle', { exact: true }).fill('no spaces!');
  await anaPage.getByLabel('Job title', { exact: true }).fill('Learning designer');
  await anaPage.getByLabel('Skills', { exact: true }).fill('Facilitation, SQL');
  await anaPage.getByRole('button', { name: 'Save profile' }).click();
  await expect(anaPage.getByText('Use only letters a to z, digits and underscores.')).toBeVisible();
  await expect(anaPage.getByLabel('Job title', { exact: true })).toHaveValue('Learning designer');
  await anaPage.getByLabel('Handle', { exact: true }).fill(handle);
  await anaPage.getByLabel('Bio', { exact: true }).fill('I design **onboarding** journeys.');
  await anaPage.getByRole('button', { name: 'Save profile' }).click();
  await expect(anaPage.getByLabel('Handle', { exact: true })).toHaveValue(handle);
  await expect(anaPage.getByText('Use only letters a to z')).toHaveCount(0);

  // A picture claiming 12,000 × 12,000 pixels is refused at once, with the reason.
  await anaPage.getByLabel('Picture file').setInputFiles({
    name: 'huge.png',
    mimeType: 'image/png',
    buffer: pngClaiming(12000, 12000),
  });
  await anaPage.getByRole('button', { name: 'Upload picture' }).click();
  await expect(anaPage.getByText(/This picture has too many pixels \(12000 × 12000\)/)).toBeVisible();

  // A picture: resized on the server and shown on the profile.
  await anaPage.getByLabel('Picture file').setInputFiles({
    name: 'me.png',
    mimeType: 'image/png',
    buffer: Buffer.from(PNG_1PX, 'base64'),
  });
  await anaPage.getByRole('button', { name: 'Upload picture' }).click();
  await expect(anaPage.getByText('Picture saved.')).toBeVisible();

  // Her profile shows it all; she sets a status.
  await anaPage.goto(`/u/${handle}`);
  await expect(anaPage.getByText('Learning designer')).toBeVisible();
  await expect(anaPage.getByRole('list', { name: 'Skills' })).toContainText('facilitation');
  await expect(anaPage.getByText('onboarding journeys')).toBeVisible();
  await expect(anaPage.locator('img.avatar-large')).toBeVisible();
  await anaPage.getByLabel('Status update').fill('Preparing the onboarding course');
  await anaPage.getByRole('button', { name: 'Update status' }).click();
  await expect(anaPage.getByLabel('Status', { exact: true })).toContainText('Preparing the onboarding course');

  // Bo follows Ana and greets her on her wall, mentioning her.
  await boPage.goto(`/u/${handle}`);
  await expect(boPage.getByLabel('Status', { exact: true })).toContainText('Preparing the onboarding course');
  await boPage.getByRole('button', { name: `Follow ${ana.name}` }).click();
  await expect(boPage.getByRole('button', { name: `Unfollow ${ana.name}` })).toBeVisible();
  await expect(boPage.getByRole('link', { name: '1 follower' })).toBeVisible();
  await boPage.getByLabel('Write a post').fill(`Welcome, @${handle}!`);
  await boPage.getByLabel('Picture (optional)').setInputFiles({
    name: 'hello.png',
    mimeType: 'image/png',
    buffer: Buffer.from(PNG_1PX, 'base64'),
  });
  await boPage.getByRole('button', { name: 'Post', exact: true }).click();
  const post = boPage.getByRole('article', { name: `Post by ${bo.name}` });
  await expect(post.getByRole('link', { name: `@${handle}` })).toHaveAttribute('href', `/u/${handle}`);
  await expect(post.getByRole('img', { name: `Picture posted by ${bo.name}` })).toBeVisible();

  // Ana sees her new follower.
  await anaPage.goto(`/u/${handle}`);
  await anaPage.getByRole('link', { name: '1 follower' }).click();
  await expect(anaPage.getByRole('heading', { level: 1, name: `People following ${ana.name}` })).toBeVisible();
  await expect(anaPage.getByRole('link', { name: bo.name })).toBeVisible();
});
