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
    // The package runs in the player and reports completion through window.API.
    const sco = learner.frameLocator('iframe[title="Lesson: Lifting safely"]');
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
