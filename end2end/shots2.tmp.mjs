import { chromium } from '@playwright/test';
const base = 'http://127.0.0.1:3300';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await (await browser.newContext()).newPage();
await page.goto(`${base}/sign-in`);
await page.getByLabel('Email', { exact: true }).fill('ada@example.com');
await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
await page.getByRole('button', { name: 'Sign in' }).click();
await page.getByRole('banner').getByText('Ada Admin').waitFor();
await page.goto(`${base}/s/welding`);
await page.getByText('earlier comments are not shown').first().waitFor();
for (const width of [1280, 360]) {
  await page.setViewportSize({ width, height: 1000 });
  await page.waitForTimeout(300);
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (scroll > 0) console.log(`SIDEWAYS ${width}: ${scroll}`);
  const top = await page.locator('article.post').first().evaluate(e => e.getBoundingClientRect().top + window.scrollY);
  await page.screenshot({ path: `/tmp/shots/wall-earlier-${width}.png`, fullPage: true, clip: { x: 0, y: top - 10, width, height: 800 } });
}
await browser.close();
