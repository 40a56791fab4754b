// A SCORM package is untrusted code. An author ships a package whose script tries to make its
// author a site admin when an admin opens the lesson (it did, when packages ran on the site's own
// origin): from the player's frame it reaches neither the site's API nor the lesson page nor
// the session cookie, and the author stays what they were. The package still talks to the
// SCORM API and completes. With JavaScript only: packages need it.
import { test, expect } from '@playwright/test';
import { makeAdmin, newPerson, register, zipOf } from './helpers.mjs';

const manifest = (title) => `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="com.example.probe" version="1"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org"><title>${title}</title>
      <item identifier="item1" identifierref="res1"><title>${title}</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res1" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>`;

// Tries, in turn: the site's API at a relative address, the site's API at the lesson page's
// origin with credentials and as a plain form (making its author an admin), the lesson page's
// document, and the cookies; writes what happened; then completes through the SCORM API like
// any lesson.
const probe = (authorEmail) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Probe</title></head>
<body><h1>Probe</h1><ul id="log"></ul>
<script>
function note(t) { var li = document.createElement("li"); li.textContent = t; document.getElementById("log").appendChild(li); }
var ancestors = location.ancestorOrigins || [];
var site = ancestors.length ? ancestors[ancestors.length - 1] : "";
var form = { method: "POST", credentials: "include", headers: { "content-type": "application/x-www-form-urlencoded" },
  body: "email=" + encodeURIComponent(${JSON.stringify(authorEmail)}) + "&role=admin" };
fetch("/api/admin/set_role", form)
  .then(function (r) { note("Relative API: " + (r.ok ? "answered" : "refused " + r.status)); })
  .catch(function () { note("Relative API: refused"); })
  .then(function () { return fetch(site + "/api/admin/set_role", form); })
  .then(function (r) { note("Site API: " + (r.ok ? "answered" : "refused " + r.status)); },
        function () { note("Site API: refused"); })
  .then(function () {
    // A plain form posted into a hidden frame: no connect-src stops it.
    var sink = document.createElement("iframe");
    sink.name = "sink"; sink.hidden = true; document.body.appendChild(sink);
    var f = document.createElement("form");
    f.method = "POST"; f.action = site + "/api/admin/set_role"; f.target = "sink";
    [["email", ${JSON.stringify(authorEmail)}], ["role", "admin"]].forEach(function (kv) {
      var i = document.createElement("input"); i.type = "hidden"; i.name = kv[0]; i.value = kv[1]; f.appendChild(i);
    });
    document.body.appendChild(f);
    f.submit();
    note("Form posted");
    try { note("Lesson page: read " + window.top.document.title); } catch (e) { note("Lesson page: out of reach"); }
    note("Cookies: " + (document.cookie === "" ? "none" : document.cookie));
    var w = window, api = null;
    while (w && !api) { api = w.API || null; if (w === w.parent) break; w = w.parent; }
    api.LMSInitialize("");
    api.LMSSetValue("cmi.core.lesson_status", "completed");
    api.LMSCommit("");
    api.LMSFinish("");
    note("Probe finished");
  });
</script></body></html>`;

test('a package cannot act as the person who opens it', async ({ browser }, info) => {
  test.skip(info.project.use.javaScriptEnabled === false, 'packages run only with JavaScript');
  test.setTimeout(120_000);
  const open = async () => (await browser.newContext()).newPage();
  const [ada, mal] = [newPerson('admin'), newPerson('author')];
  const admin = await open();
  const author = await open();
  await register(admin, ada);
  makeAdmin(ada.email);
  await register(author, mal);

  // The admin lets Mal write courses.
  // (Again if a submit made while the page hydrated was lost: giving a role twice is harmless.)
  await admin.goto('/admin');
  await expect(async () => {
    await admin.getByLabel("Person's e-mail", { exact: true }).fill(mal.email);
    await admin.getByLabel('Site role', { exact: true }).selectOption('author');
    await admin.getByRole('button', { name: 'Give role' }).click();
    await expect(admin.getByText('Role saved.')).toBeVisible({ timeout: 5_000 });
  }).toPass();

  // Mal writes a course whose package carries the probe.
  const title = `Probe course ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await author.goto('/courses/new');
  await author.getByLabel('Title', { exact: true }).fill(title);
  await author.getByLabel('Enrolment', { exact: true }).selectOption('open');
  await author.getByRole('button', { name: 'Create course' }).click();
  await expect(author.getByRole('heading', { level: 1 })).toContainText(`Edit “${title}”`);
  const courseUrl = author.url().replace(/\/edit.*$/, '');
  await author.getByLabel('New module title', { exact: true }).fill('Basics');
  await author.getByRole('button', { name: 'Add module' }).click();
  await expect(author.getByRole('heading', { name: 'Basics', level: 3 })).toBeVisible();
  await author.getByLabel('Lesson title', { exact: true }).fill('Harmless lesson');
  await author.getByLabel('Kind of lesson', { exact: true }).selectOption('package');
  await author.getByRole('button', { name: 'Add lesson' }).click();
  const pkg = zipOf({ 'imsmanifest.xml': manifest('Harmless lesson'), 'index.html': probe(mal.email) });
  await author.getByLabel('SCORM package for Harmless lesson (.zip)').setInputFiles({ name: 'probe.zip', mimeType: 'application/zip', buffer: pkg });
  await author.getByRole('button', { name: 'Upload package' }).click();
  await expect(author.getByText('Package saved.')).toBeVisible();
  await author.getByRole('button', { name: 'Publish course' }).click();
  await expect(author.getByRole('heading', { name: 'Published', level: 2 })).toBeVisible();

  // The admin takes the lesson; the probe runs with nothing of theirs.
  await admin.goto(courseUrl);
  await admin.getByRole('button', { name: 'Enrol' }).click();
  await admin.getByRole('link', { name: 'Start: Harmless lesson' }).click();
  const frame = admin.frameLocator('iframe[title="Lesson: Harmless lesson"]').frameLocator('iframe[title="Harmless lesson"]');
  await expect(frame.getByText('Probe finished')).toBeVisible();
  await expect(frame.getByText('Relative API: refused 404')).toBeVisible();
  await expect(frame.getByText(/^Site API: refused/)).toBeVisible();
  await expect(frame.getByText('Lesson page: out of reach')).toBeVisible();
  await expect(frame.getByText('Cookies: none')).toBeVisible();
  // The package's own SCORM calls still work.
  await expect(admin.getByRole('status').filter({ hasText: 'Completed' })).toBeVisible();

  // Mal is still an author, not an admin.
  const res = await author.goto('/admin');
  expect(res.status()).toBe(403);
  await expect(author.getByText('Only site admins can change these settings.')).toBeVisible();
  await admin.goto('/admin');
  await expect(admin.getByRole('heading', { name: 'Site roles' })).toBeVisible();
});
