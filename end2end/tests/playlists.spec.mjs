// Learning playlists as people use them: an author builds a playlist in the editor with a
// course (found by the inline search) and an external link, puts the link first by drag and
// drop (with JavaScript) or with "Move up" (without), undoes and redoes it, and publishes;
// a learner follows the playlist, marks the link done, completes the course and sees the
// playlist completed. Runs with JavaScript on and off.
import { test, expect } from '@playwright/test';
import { makeAdmin, newPerson, register } from './helpers.mjs';

/** Calls a server fn from a signed-in page, as a form would. */
async function call(page, endpoint, form) {
  const origin = new URL(page.url()).origin;
  const res = await page.request.post(`/api/${endpoint}`, { form, headers: { Origin: origin } });
  expect(res.ok(), `${endpoint}: ${res.status()} ${await res.text()}`).toBeTruthy();
  return res.json();
}

test('an author builds a playlist by drag and drop; a learner follows and completes it', async ({ browser }, info) => {
  test.setTimeout(120_000);
  const javaScriptEnabled = info.project.use.javaScriptEnabled !== false;
  const open = async () => (await browser.newContext({ javaScriptEnabled })).newPage();
  const [ada, lee] = [newPerson('curator'), newPerson('follower')];
  const author = await open();
  const learner = await open();
  // A panic in the browser stops every handler on the page: none may happen.
  const panics = [];
  for (const page of [author, learner]) {
    page.on('console', (m) => { if (m.text().includes('panicked')) panics.push(m.text()); });
  }
  await register(author, ada);
  makeAdmin(ada.email);
  await register(learner, lee);
  const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const courseTitle = `Back health ${unique}`;

  // A published course with one page lesson.
  const slug = await call(author, 'courses/create', { title: courseTitle, summary: '', tags: '', policy: 'open' });
  const module = await call(author, 'courses/add_module', { slug, module_title: 'Basics' });
  await call(author, 'courses/add_lesson', { slug, module: String(module), title: 'Sit well', kind: 'page', body: 'Keep your back straight.' });
  await call(author, 'courses/publish', { slug, publish: 'true' });

  // The author starts a playlist.
  await author.goto('/playlists');
  await author.getByLabel('Playlist title', { exact: true }).fill(`Healthy at work ${unique}`);
  await author.getByRole('button', { name: 'Create playlist' }).click();
  await expect(author.getByRole('heading', { level: 1 })).toContainText('Edit “Healthy at work');
  const editUrl = author.url();
  const playlistUrl = editUrl.replace(/\/edit.*$/, '');

  // The course, found with the inline search.
  await author.getByLabel('Find courses, lessons and discussions', { exact: true }).fill(unique);
  if (!javaScriptEnabled) {
    await author.getByRole('button', { name: 'Find', exact: true }).click();
  }
  await author.getByRole('button', { name: `Add ${courseTitle}` }).click();
  const section = author.getByRole('region', { name: 'Start here' });
  await expect(section.getByRole('listitem', { name: `Course: ${courseTitle}` })).toBeVisible();

  // An external link; a bad address is explained first.
  await author.getByLabel('Link address', { exact: true }).fill('not a web address');
  await author.getByLabel('Link title', { exact: true }).fill('Back care basics');
  await author.getByRole('button', { name: 'Add link' }).click();
  await expect(author.getByLabel('Link address', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(author.getByLabel('Link title', { exact: true })).toHaveValue('Back care basics');
  await author.getByLabel('Link address', { exact: true }).fill('https://example.com/back-care');
  await author.getByLabel('Estimated minutes', { exact: true }).fill('10');
  await author.getByRole('button', { name: 'Add link' }).click();
  const link = section.getByRole('listitem', { name: 'Link: Back care basics' });
  const course = section.getByRole('listitem', { name: `Course: ${courseTitle}` });
  await expect(link).toBeVisible();
  const order = () => section.locator('li.playlist-item strong').allTextContents();
  await expect.poll(order).toEqual([courseTitle, 'Back care basics']);

  // The link goes first: dragged there, or moved up with the keyboard alternative.
  if (javaScriptEnabled) {
    // Held by its handle, at the item's left edge.
    // A synthetic drag is sometimes lost while the list is still settling: drag again only
    // if the order has not changed.
    await expect(async () => {
      if ((await order())[0] !== 'Back care basics') {
        await link.dragTo(course, { sourcePosition: { x: 6, y: 12 }, targetPosition: { x: 6, y: 12 } });
      }
      await expect.poll(order, { timeout: 3_000 }).toEqual(['Back care basics', courseTitle]);
    }).toPass({ timeout: 20_000 });
    await expect(author.getByText('Moved “Back care basics” to position 1 in “Start here”.')).toBeAttached();
  } else {
    await author.getByRole('button', { name: 'Move Back care basics up' }).click();
  }
  await expect.poll(order).toEqual(['Back care basics', courseTitle]);
  await author.getByRole('button', { name: 'Undo the move' }).click();
  await expect.poll(order).toEqual([courseTitle, 'Back care basics']);
  await author.getByRole('button', { name: 'Move Back care basics up' }).click();
  await expect.poll(order).toEqual(['Back care basics', courseTitle]);

  // Details save as they change (with JavaScript), or with their button.
  const tag = `back${Date.now().toString(36)}`;
  await author.getByLabel('Description', { exact: true }).fill('Ten minutes a day for your back.');
  await author.getByLabel('Tags', { exact: true }).fill(`${tag}, posture`);
  if (javaScriptEnabled) {
    await author.getByLabel('Title', { exact: true }).click();
    await expect(author.getByText('All changes saved.')).toBeVisible();
  } else {
    await author.getByRole('button', { name: 'Save details' }).click();
    // The form's answer has arrived before the page is reloaded.
    await author.waitForURL(/[?&]saved=details/);
    await expect(author.getByText('All changes saved.')).toBeVisible();
  }
  // Saved on the server: the editor opened again shows them.
  await author.reload();
  await expect(author.getByLabel('Tags', { exact: true })).toHaveValue(`${tag}, posture`);
  await expect(author.getByLabel('Description', { exact: true })).toHaveValue('Ten minutes a day for your back.');
  await author.getByRole('button', { name: 'Publish playlist' }).click();
  await expect(author.getByRole('heading', { name: 'Published', level: 2 })).toBeVisible();
  // A cover picture (a 1 × 1 PNG is enough).
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
  await author.getByLabel('Cover picture', { exact: true }).setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: png });
  await author.getByRole('button', { name: 'Upload cover' }).click();
  await expect(author.getByText('Cover saved.')).toBeVisible();

  // Learners find it by its tag, with its cover.
  await learner.goto('/playlists');
  await learner.getByLabel('Tag', { exact: true }).fill(tag);
  await learner.getByRole('button', { name: 'Find playlists' }).click();
  const card = learner.locator('.course-card').filter({ has: learner.getByRole('link', { name: `Healthy at work ${unique}` }) });
  await expect(card).toHaveCount(1);
  await expect(card.getByRole('link', { name: tag })).toBeVisible();
  await expect(card.locator('img.card-cover')).toHaveAttribute('src', /^\/media\/playlist\/\d+\/600\?v=\d+$/);
  await learner.getByLabel('Tag', { exact: true }).fill(`${tag}x`);
  await learner.getByRole('button', { name: 'Find playlists' }).click();
  await expect(learner.getByText('No playlists match yet.')).toBeVisible();

  // The learner follows it and works through it.
  await learner.goto(playlistUrl);
  await expect(learner.getByText('Ten minutes a day for your back.')).toBeVisible();
  await learner.getByRole('button', { name: 'Follow playlist' }).click();
  await expect(learner.getByRole('button', { name: 'Stop following' })).toBeVisible();
  await expect(learner.getByText('0 of 2 done')).toBeVisible();
  await learner.getByRole('button', { name: 'Mark “Back care basics” done' }).click();
  await expect(learner.getByText('1 of 2 done')).toBeVisible();
  await learner.getByRole('link', { name: courseTitle }).click();
  await learner.getByRole('button', { name: 'Enrol' }).click();
  await learner.getByRole('link', { name: 'Start: Sit well' }).click();
  await learner.getByRole('button', { name: 'Mark as done' }).click();
  await expect(learner.getByText('You completed this lesson.')).toBeVisible();
  await learner.goto(playlistUrl);
  await expect(learner.getByText('Completed: 2 of 2 done')).toBeVisible();
  expect(panics).toEqual([]);
});

test('text typed in the inline search before the page is ready is looked up once it is', async ({ browser }, info) => {
  test.skip(info.project.use.javaScriptEnabled === false, 'without JavaScript the Find button looks it up');
  const page = await (await browser.newContext()).newPage();
  const ada = newPerson('early');
  await register(page, ada);
  makeAdmin(ada.email);
  const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const courseTitle = `Posture ${unique}`;
  const slug = await call(page, 'courses/create', { title: courseTitle, summary: '', tags: '', policy: 'open' });
  const module = await call(page, 'courses/add_module', { slug, module_title: 'Basics' });
  await call(page, 'courses/add_lesson', { slug, module: String(module), title: 'Stand well', kind: 'page', body: 'Shoulders back.' });
  await call(page, 'courses/publish', { slug, publish: 'true' });
  await page.goto('/playlists');
  await page.getByLabel('Playlist title', { exact: true }).fill(`Early ${unique}`);
  await page.getByRole('button', { name: 'Create playlist' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Edit “Early');
  const editUrl = page.url();

  // The page's code is held back while the author types, then let through.
  let release;
  let heldBack = 0;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/*.wasm', async (route) => { heldBack += 1; await held; await route.continue(); });
  await page.goto(editUrl, { waitUntil: 'domcontentloaded' });
  await page.getByLabel('Find courses, lessons and discussions', { exact: true }).fill(unique);
  // The page's code really was waiting while the text went in.
  await expect.poll(() => heldBack).toBeGreaterThan(0);
  release();
  await expect(page.getByRole('button', { name: `Add ${courseTitle}` })).toBeVisible();
  await page.context().close();
});
