// Courses as people use them: an author creates a course, uploads a small SCORM 1.2 package
// (a bad one first, refused with a clear message) and publishes it; a learner finds it,
// enrols, launches the package, which sets completion through the SCORM API, sees the
// progress, posts in the lesson's discussion and finds the course under "My learning".
// Runs with JavaScript on and off (the package itself needs JavaScript).
import { test, expect } from '@playwright/test';
import { makeAdmin, newPerson, register, zipOf } from './helpers.mjs';

const MANIFEST = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="com.example.lifting" version="1"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org"><title>Lifting safely</title>
      <item identifier="item1" identifierref="res1"><title>Lifting safely</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res1" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>`;

// The SCO: finds the API in a parent window, starts, and on "Finish the lesson" reports
// completion and a score, commits and finishes.
const SCO = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lifting safely</title></head>
<body><h1>Bend your knees</h1><p id="entry"></p>
<button id="finish" type="button">Finish the lesson</button>
<script>
var w = window, api = null;
while (w && !api) { api = w.API || null; if (w === w.parent) break; w = w.parent; }
api.LMSInitialize("");
document.getElementById("entry").textContent = "Entry: " + api.LMSGetValue("cmi.core.entry");
api.LMSSetValue("cmi.core.lesson_status", "incomplete");
api.LMSCommit("");
document.getElementById("finish").onclick = function () {
  api.LMSSetValue("cmi.core.score.raw", "100");
  api.LMSSetValue("cmi.core.lesson_status", "completed");
  api.LMSSetValue("cmi.core.session_time", "0000:00:05.00");
  api.LMSCommit("");
  api.LMSFinish("");
  this.textContent = "Finished";
};
</script></body></html>`;

test('an author publishes a SCORM course; a learner takes it, discusses it, and sees progress', async ({ browser }, info) => {
  test.setTimeout(120_000);
  const javaScriptEnabled = info.project.use.javaScriptEnabled !== false;
  const open = async () => (await browser.newContext({ javaScriptEnabled })).newPage();
  const [ada, lee] = [newPerson('author'), newPerson('learner')];
  const author = await open();
  const learner = await open();
  await register(author, ada);
  makeAdmin(ada.email);
  await register(learner, lee);
  const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const title = `Lifting at work ${unique}`;

  // The author creates the course; a missing title is explained.
  await author.goto('/courses');
  await author.getByRole('link', { name: 'New course' }).click();
  await author.getByLabel('Summary', { exact: true }).fill('Lift without hurting your back.');
  await author.getByRole('button', { name: 'Create course' }).click();
  await expect(author.getByLabel('Title', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(author.getByLabel('Summary', { exact: true })).toHaveValue('Lift without hurting your back.');
  await author.getByLabel('Title', { exact: true }).fill(title);
  await author.getByLabel('Enrolment', { exact: true }).selectOption('open');
  await author.getByRole('button', { name: 'Create course' }).click();
  await expect(author.getByRole('heading', { level: 1 })).toContainText(`Edit “${title}”`);
  const editUrl = author.url();
  const courseUrl = editUrl.replace(/\/edit.*$/, '');

  // A module with a SCORM lesson.
  await author.getByLabel('New module title', { exact: true }).fill('Basics');
  await author.getByRole('button', { name: 'Add module' }).click();
  await expect(author.getByRole('heading', { name: 'Basics', level: 3 })).toBeVisible();
  await author.getByLabel('Lesson title', { exact: true }).fill('Lifting safely');
  await author.getByLabel('Kind of lesson', { exact: true }).selectOption('package');
  await author.getByRole('button', { name: 'Add lesson' }).click();
  const fileField = author.getByLabel('SCORM package for Lifting safely (.zip)');
  await expect(fileField).toBeVisible();

  // A zip without a manifest is refused, with the reason beside the field.
  await fileField.setInputFiles({ name: 'notes.zip', mimeType: 'application/zip', buffer: zipOf({ 'notes.txt': 'hello' }) });
  await author.getByRole('button', { name: 'Upload package' }).click();
  await expect(author.getByText('no imsmanifest.xml at its top level')).toBeVisible();
  await expect(author.getByLabel('SCORM package for Lifting safely (.zip)')).toHaveAttribute('aria-invalid', 'true');

  const pkg = zipOf({ 'imsmanifest.xml': MANIFEST, 'index.html': SCO });
  await author.getByLabel('SCORM package for Lifting safely (.zip)').setInputFiles({ name: 'lifting.zip', mimeType: 'application/zip', buffer: pkg });
  await author.getByRole('button', { name: 'Upload package' }).click();
  await expect(author.getByText('Package saved.')).toBeVisible();
  await expect(author.getByText('SCORM 1.2 package “Lifting safely”')).toBeVisible();
  await author.getByRole('button', { name: 'Publish course' }).click();
  await expect(author.getByRole('heading', { name: 'Published', level: 2 })).toBeVisible();

  // The learner finds it in the catalog and enrols.
  await learner.goto('/courses');
  await learner.getByLabel('Words', { exact: true }).fill(unique);
  await learner.getByRole('button', { name: 'Find courses' }).click();
  await learner.getByRole('link', { name: title }).click();
  await expect(learner).toHaveURL(courseUrl);
  await learner.getByRole('button', { name: 'Enrol' }).click();
  await expect(learner.getByText('0% complete')).toBeVisible();
  await learner.getByRole('link', { name: 'Start: Lifting safely' }).click();
  await expect(learner.getByRole('heading', { name: 'Lifting safely', level: 1 })).toBeVisible();

  if (javaScriptEnabled) {
    // The package runs in the player (on the content origin) and reports completion through
    // window.API.
    const sco = learner.frameLocator('iframe[title="Lesson: Lifting safely"]').frameLocator('iframe[title="Lifting safely"]');
    await expect(sco.getByText('Entry: ab-initio')).toBeVisible();
    await sco.getByRole('button', { name: 'Finish the lesson' }).click();
    await expect(learner.getByRole('status').filter({ hasText: 'Completed' })).toContainText('score 100 · course 100% complete');
    // Reloaded, the progress is the server's.
    await learner.reload();
    await expect(learner.getByText('Completed · score 100 · course 100% complete')).toBeVisible();
  } else {
    await expect(learner.getByText('It needs JavaScript in your browser.')).toBeVisible();
  }

  // The learner asks in the lesson's discussion, next to the lesson.
  await learner.getByRole('button', { name: 'Post to the discussion' }).click();
  await expect(learner.getByLabel('Your post', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await learner.getByLabel('Your post', { exact: true }).fill('Does this apply to boxes on high shelves?');
  await learner.getByRole('button', { name: 'Post to the discussion' }).click();
  const discussion = learner.getByRole('region', { name: 'Lesson discussion' });
  await expect(discussion.getByText('Does this apply to boxes on high shelves?')).toBeVisible();

  // The author sees it in the course's lesson too.
  await author.goto(courseUrl);
  await author.getByRole('link', { name: 'Lifting safely · SCORM package' }).click();
  await expect(author.getByRole('region', { name: 'Lesson discussion' }).getByText('Does this apply to boxes on high shelves?')).toBeVisible();

  // The learner rates the course.
  await learner.goto(courseUrl);
  const reviews = learner.getByRole('region', { name: 'Ratings and reviews' });
  await reviews.getByRole('button', { name: 'Save rating' }).click();
  await expect(reviews.getByText('Choose from 1 to 5 stars.')).toBeVisible();
  await reviews.getByLabel('5 stars', { exact: true }).check();
  await reviews.getByLabel('Your review', { exact: true }).fill('Short and practical.');
  await reviews.getByRole('button', { name: 'Save rating' }).click();
  await expect(reviews.getByText('5.0 out of 5 (1 rating)')).toBeVisible();
  await expect(reviews.getByRole('listitem').filter({ hasText: 'Short and practical.' })).toBeVisible();

  // My learning.
  await learner.goto('/learning');
  const section = learner.getByRole('region', { name: javaScriptEnabled ? 'Done' : 'In progress' });
  await expect(section.getByRole('link', { name: title })).toBeVisible();
});

// A 1 × 1 PNG, and the first bytes of an MP4 file (enough for the server's checks).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const MP4 = Buffer.concat([Buffer.from('\0\0\0\x18ftypmp42\0\0\0\0mp42isom', 'latin1'), Buffer.alloc(4096, 7)]);

test('an author gives a course a cover, an uploaded video, a file and a page picture; a learner gets them', async ({ browser }, info) => {
  test.setTimeout(120_000);
  const javaScriptEnabled = info.project.use.javaScriptEnabled !== false;
  const open = async () => (await browser.newContext({ javaScriptEnabled })).newPage();
  const [ada, lee] = [newPerson('author'), newPerson('learner')];
  const author = await open();
  const learner = await open();
  await register(author, ada);
  makeAdmin(ada.email);
  await register(learner, lee);
  const title = `Media course ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

  await author.goto('/courses/new');
  await author.getByLabel('Title', { exact: true }).fill(title);
  await author.getByRole('button', { name: 'Create course' }).click();
  await expect(author.getByRole('heading', { level: 1 })).toContainText(`Edit “${title}”`);
  const courseUrl = author.url().replace(/\/edit.*$/, '');
  await author.getByLabel('New module title', { exact: true }).fill('Basics');
  await author.getByRole('button', { name: 'Add module' }).click();
  await expect(author.getByRole('heading', { name: 'Basics', level: 3 })).toBeVisible();

  const addLesson = async (lessonTitle, kind, body = '') => {
    const form = author.locator('details').filter({ has: author.getByText('Add a lesson to Basics') });
    if (!(await form.evaluate((d) => d.open))) await form.getByText('Add a lesson to Basics').click();
    await form.getByLabel('Lesson title', { exact: true }).fill(lessonTitle);
    await form.getByLabel('Kind of lesson', { exact: true }).selectOption(kind);
    if (body) await form.getByLabel('Text (Markdown)', { exact: true }).fill(body);
    await form.getByRole('button', { name: 'Add lesson' }).click();
    await expect(author.getByRole('listitem').filter({ hasText: lessonTitle }).first()).toBeVisible();
  };

  // A video lesson whose video is uploaded: a file that is not a video is refused.
  await addLesson('Watch the lift', 'video');
  await expect(author.getByText('Video missing')).toBeVisible();
  const videoField = author.getByLabel('Video file for Watch the lift (MP4, WebM or Ogg)');
  await videoField.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await author.getByRole('button', { name: 'Upload video' }).click();
  await expect(author.getByText('This is not a video browsers can play')).toBeVisible();
  await expect(author.getByLabel('Video file for Watch the lift (MP4, WebM or Ogg)')).toHaveAttribute('aria-invalid', 'true');
  await author.getByLabel('Video file for Watch the lift (MP4, WebM or Ogg)').setInputFiles({ name: 'lift.mp4', mimeType: 'video/mp4', buffer: MP4 });
  await author.getByRole('button', { name: 'Upload video' }).click();
  await expect(author.getByText('Video saved.')).toBeVisible();
  await expect(author.getByRole('link', { name: /^lift\.mp4/ })).toBeVisible();

  // A file lesson.
  await addLesson('Checklist', 'file');
  await author.getByLabel('File for Checklist', { exact: true }).setInputFiles({ name: 'checklist.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 checklist') });
  await author.getByRole('button', { name: 'Upload file' }).click();
  await expect(author.getByText('File saved.')).toBeVisible();

  // A page with an uploaded picture, put in its text with the Markdown line shown.
  await addLesson('Posture', 'page', 'Keep your back straight.');
  await author.getByLabel('Picture for Posture', { exact: true }).setInputFiles({ name: 'posture.png', mimeType: 'image/png', buffer: PNG });
  await author.getByRole('button', { name: 'Upload picture' }).click();
  await expect(author.getByText('Picture saved.')).toBeVisible();
  const line = (await author.getByRole('list', { name: 'Pictures for Posture' }).locator('code').textContent()).trim();
  expect(line).toMatch(/^!\[Describe the picture\]\(\/media\/lesson-file\/\d+\)$/);
  const lessonItem = author.getByRole('listitem').filter({ hasText: 'Posture' }).first();
  await lessonItem.getByText('Edit Posture').click();
  await lessonItem.getByLabel('Text (Markdown)', { exact: true }).fill(`Keep your back straight.\n\n${line.replace('Describe the picture', 'A straight back')}`);
  await lessonItem.getByRole('button', { name: 'Save lesson' }).click();
  if (!javaScriptEnabled) await author.waitForURL(/\/edit/);

  // A cover, then publish.
  await author.getByLabel('Cover picture', { exact: true }).setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: PNG });
  await author.getByRole('button', { name: 'Upload cover' }).click();
  await expect(author.getByText('Cover saved.')).toBeVisible();
  await author.getByRole('button', { name: 'Publish course' }).click();
  await expect(author.getByRole('heading', { name: 'Published', level: 2 })).toBeVisible();

  // The learner sees the cover, enrols, plays the video and downloads the file.
  await learner.goto(courseUrl);
  await expect(learner.locator('img.cover')).toHaveAttribute('src', /^\/media\/course\/\d+\/1200\?v=\d+$/);
  await learner.getByRole('button', { name: 'Enrol' }).click();
  await learner.getByRole('link', { name: /Watch the lift/ }).first().click();
  const video = learner.locator('video.lesson-video');
  await expect(video).toHaveAttribute('src', /^\/media\/lesson-file\/\d+$/);
  const videoRes = await learner.request.get(await video.getAttribute('src'), { headers: { Range: 'bytes=0-11' } });
  expect(videoRes.status()).toBe(206);
  expect(videoRes.headers()['content-range']).toBe(`bytes 0-11/${MP4.length}`);

  await learner.getByRole('link', { name: 'Next lesson' }).click();
  const download = learner.getByRole('link', { name: 'Download checklist.pdf' });
  await expect(download).toBeVisible();
  const fileRes = await learner.request.get(await download.getAttribute('href'));
  expect(fileRes.headers()['content-disposition']).toContain('attachment; filename="checklist.pdf"');
  await learner.getByRole('button', { name: 'Mark as done' }).click();
  await expect(learner.getByText('You completed this lesson.')).toBeVisible();

  await learner.getByRole('link', { name: 'Next lesson' }).click();
  const picture = learner.getByRole('img', { name: 'A straight back' });
  await expect(picture).toBeVisible();
  expect(await picture.evaluate((img) => img.complete && img.naturalWidth > 0)).toBe(true);
});
