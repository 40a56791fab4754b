// Screenshots of the pages this change touched, at 1280 and 360 px (deleted after use).
import { chromium } from '@playwright/test';

const base = process.env.BASE || 'http://127.0.0.1:3300';
const out = '/tmp/shots';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });

async function shoot(page, name) {
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(200);
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (scroll > 0) console.log(`SIDEWAYS SCROLL ${name} at ${width}: ${scroll}px`);
    await page.screenshot({ path: `${out}/${name}-${width}.png`, fullPage: true });
  }
}

const ctx = await browser.newContext();
const admin = await ctx.newPage();
await admin.goto(`${base}/register?setup=shot`);
await shoot(admin, 'register-setup');
await admin.getByLabel('Display name', { exact: true }).fill('Ada Admin');
await admin.getByLabel('Email', { exact: true }).fill('ada@example.com');
await admin.getByLabel('Password', { exact: true }).fill('correct horse battery');
await admin.getByRole('button', { name: 'Register' }).click();
await admin.getByRole('banner').getByText('Ada Admin').waitFor();
await admin.goto(`${base}/admin`);
await admin.getByLabel('Who can register').selectOption('invitation');
await admin.getByRole('button', { name: 'Save registration setting' }).click();
await admin.waitForTimeout(1000);
await admin.goto(`${base}/admin`);
await admin.getByLabel('Who is it for (optional)').fill('Cy from Welding');
await admin.getByRole('button', { name: 'Make an invitation link' }).click();
await admin.getByRole('textbox', { name: 'Invitation link: For Cy from Welding' }).waitFor();
await admin.getByLabel('Who is it for (optional)').fill('Dee');
await admin.getByRole('button', { name: 'Make an invitation link' }).click();
await admin.getByRole('textbox', { name: 'Invitation link: For Dee' }).waitFor();
const link = await admin.getByRole('textbox', { name: 'Invitation link: For Cy from Welding' }).inputValue();
await admin.goto(`${base}/admin#invitations`);
await shoot(admin, 'admin-registration');

const visitor = await (await browser.newContext()).newPage();
await visitor.goto(`${base}/register`);
await shoot(visitor, 'register-invitation-only');
await visitor.goto(link);
await shoot(visitor, 'register-invited');
await visitor.getByLabel('Display name', { exact: true }).fill('Cy');
await visitor.getByLabel('Email', { exact: true }).fill('ada@example.com');
await visitor.getByLabel('Password', { exact: true }).fill('correct horse battery');
await visitor.getByRole('button', { name: 'Register' }).click();
await visitor.getByText('cannot be used to register').waitFor();
await shoot(visitor, 'register-taken');

// Closed
await admin.goto(`${base}/admin`);
await admin.getByLabel('Who can register').selectOption('closed');
await admin.getByRole('button', { name: 'Save registration setting' }).click();
await admin.waitForTimeout(1000);
const closed = await (await browser.newContext()).newPage();
await closed.goto(`${base}/register`);
await shoot(closed, 'register-closed');

// A post with more comments than a wall shows.
if (process.env.WALL) {
  await admin.goto(`${base}${process.env.WALL}`);
  await admin.getByText('earlier comments are not shown').first().waitFor();
  await shoot(admin, 'wall-earlier-comments');
}
await browser.close();
