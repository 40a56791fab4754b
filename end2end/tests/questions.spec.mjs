// Ask-the-Expert as people use it: an expert declares a topic, a colleague asks, the expert is
// told and answers, the asker accepts, and a third person finds the answer with search.
// Runs with JavaScript on and off.
import { test, expect } from '@playwright/test';
import { newPerson, register } from './helpers.mjs';

test('ask, route to the expert, answer, accept, and find it again by search', async ({ browser }, info) => {
  test.setTimeout(90_000);
  const javaScriptEnabled = info.project.use.javaScriptEnabled !== false;
  const open = async () => (await browser.newContext({ javaScriptEnabled })).newPage();
  const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const topic = `helm${unique}`;
  const title = `How do we roll back a ${topic} release safely?`;
  const [eve, ana, cy] = [newPerson('expert'), newPerson('asker'), newPerson('finder')];
  const evePage = await open();
  const anaPage = await open();
  const cyPage = await open();
  await register(evePage, eve);
  await register(anaPage, ana);
  await register(cyPage, cy);

  // Eve declares her expertise on her profile.
  await evePage.goto('/profile/edit');
  await evePage.getByLabel('Expertise topics', { exact: true }).fill(topic);
  await evePage.getByRole('button', { name: 'Save profile' }).click();
  await expect(evePage.getByLabel('Expertise topics', { exact: true })).toHaveValue(topic);

  // Ana asks; a question without a topic is explained next to the field, nothing is lost.
  await anaPage.getByRole('banner').getByRole('link', { name: 'Questions' }).click();
  await anaPage.getByRole('link', { name: 'Ask a question' }).click();
  await anaPage.getByLabel('Title', { exact: true }).fill(title);
  await anaPage.getByLabel('Details', { exact: true }).fill('We deploy with **helm** and need a safe way back.');
  await anaPage.getByRole('button', { name: 'Post your question' }).click();
  await expect(anaPage.getByLabel('Topics', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(anaPage.getByLabel('Title', { exact: true })).toHaveValue(title);
  await anaPage.getByLabel('Topics', { exact: true }).fill(topic);
  await anaPage.getByRole('button', { name: 'Post your question' }).click();
  await expect(anaPage.getByRole('heading', { level: 1, name: title })).toBeVisible();

  // Eve is told, finds it in her queue and answers.
  await evePage.goto('/notifications');
  await expect(evePage.getByText('asked a question in your area of expertise')).toBeVisible();
  await evePage.goto('/questions/queue');
  await evePage.getByRole('link', { name: title }).click();
  await expect(evePage.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await evePage.getByLabel('Your answer', { exact: true }).fill('Run `helm rollback` to the previous revision, then check the pods.');
  await evePage.getByRole('button', { name: 'Post your answer' }).click();
  await expect(evePage.getByRole('heading', { name: '1 answer' })).toBeVisible();

  // Ana is told of the answer and accepts it.
  await anaPage.goto('/notifications');
  await expect(anaPage.getByText('answered your question')).toBeVisible();
  await anaPage.goto('/questions');
  await anaPage.getByRole('link', { name: title }).click();
  await anaPage.getByRole('button', { name: 'Accept this answer' }).click();
  await expect(anaPage.getByText('Accepted answer', { exact: true })).toBeVisible();
  await expect(anaPage.getByRole('heading', { level: 1 })).toContainText('Solved');

  // Cy searches from the top bar, finds the question and its accepted answer.
  await cyPage.goto('/');
  await cyPage.getByLabel('Search Cohort').fill(`${topic} rollback`);
  await cyPage.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(cyPage.getByRole('heading', { level: 1 })).toContainText(topic);
  await expect(cyPage.getByRole('link', { name: new RegExp(`roll back a ${topic}`) })).toBeVisible();
  await cyPage.getByRole('link', { name: new RegExp(`roll back a ${topic}`) }).first().click();
  await expect(cyPage.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(cyPage.getByText('Accepted answer', { exact: true })).toBeVisible();
  await expect(cyPage.getByText('helm rollback')).toBeVisible();
});

test('a search that finds nothing says so and offers to ask', async ({ page }) => {
  await register(page, newPerson('nothing'));
  await page.goto('/search?q=qqxyzzynothing');
  await expect(page.getByText('Nothing found.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'ask a question' })).toHaveAttribute('href', '/questions/ask');
});
