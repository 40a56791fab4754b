// Who may register, as an admin sets it and as visitors meet it. Runs with JavaScript on and off.
import { test, expect } from '@playwright/test';
import { makeAdmin, newPerson, register } from './helpers.mjs';

test('an admin opens registration by invitation only: one link lets one person in', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const open = async () => (await browser.newContext()).newPage();
  const ada = newPerson('registrar');
  const admin = await open();
  await register(admin, ada);
  makeAdmin(ada.email);
  const mode = admin.getByLabel('Who can register', { exact: true });
  const choose = async (value) => {
    // Again if a submit made while the page hydrated was lost: saving twice is harmless.
    await expect(async () => {
      await admin.goto('/admin');
      await mode.selectOption(value);
      await admin.getByRole('button', { name: 'Save registration setting' }).click();
      await admin.waitForURL(/registration=saved|\/admin$/);
      await admin.goto('/admin');
      await expect(mode).toHaveValue(value, { timeout: 3_000 });
    }).toPass();
  };
  try {
    await choose('invitation');

    // Without a link: told how to get in, with 403.
    const visitor = await open();
    const res = await visitor.goto('/register');
    expect(res.status()).toBe(403);
    await expect(visitor.getByRole('alert')).toHaveText(
      'Registration is by invitation only. Ask a site admin for an invitation link.',
    );
    await expect(visitor.getByLabel('Email', { exact: true })).toHaveCount(0);

    // The admin makes a link for Cy.
    const cy = newPerson('invited');
    const note = cy.name;
    await expect(async () => {
      await admin.goto('/admin');
      await admin.getByLabel('Who is it for (optional)', { exact: true }).fill(note);
      await admin.getByRole('button', { name: 'Make an invitation link' }).click();
      await expect(admin.getByRole('textbox', { name: `Invitation link: For ${note}` })).toBeVisible({ timeout: 5_000 });
    }).toPass();
    const link = await admin.getByRole('textbox', { name: `Invitation link: For ${note}` }).inputValue();
    expect(link.startsWith(`${baseURL}/register?invite=`)).toBe(true);

    // Cy registers through it, and is in.
    const cyPage = await open();
    await cyPage.goto(link);
    await expect(cyPage.getByText('You were invited to join.')).toBeVisible();
    await cyPage.getByLabel('Display name', { exact: true }).fill(cy.name);
    await cyPage.getByLabel('Email', { exact: true }).fill(cy.email);
    await cyPage.getByLabel('Password', { exact: true }).fill(cy.password);
    await cyPage.getByRole('button', { name: 'Register' }).click();
    await expect(cyPage.getByRole('banner').getByText(cy.name)).toBeVisible();

    // Spent: the next person with the same link is turned back.
    const late = await open();
    const again = await late.goto(link);
    expect(again.status()).toBe(403);
    await expect(late.getByRole('alert')).toHaveText(
      'This invitation link has been used or has expired. Ask a site admin for a new one.',
    );
    await admin.goto('/admin');
    await expect(admin.getByRole('listitem').filter({ hasText: `For ${note}` })).toContainText(
      `Used by ${cy.name}`,
    );

    // Closed: no one, and the page says so.
    await choose('closed');
    const closed = await late.goto('/register');
    expect(closed.status()).toBe(403);
    await expect(late.getByRole('alert')).toHaveText(
      'Registration is closed. Ask a site admin if you need an account.',
    );
  } finally {
    // Other tests register people: leave registration open, whatever happened above.
    const res = await admin.request.post('/api/admin/set_registration', {
      form: { mode: 'open' },
      headers: { origin: baseURL, accept: 'application/json' },
    });
    expect(res.status()).toBeLessThan(400);
  }
});
