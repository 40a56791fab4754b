// Accounts as a person uses them. Every test runs twice: with JavaScript (hydrated) and without.
import { test, expect } from '@playwright/test';
import { newPerson, register, signIn, signOut, PASSWORD } from './helpers.mjs';

test('register, sign out, sign in again: the name is in the top bar', async ({ page }) => {
  const ana = newPerson('journey');
  await page.goto('/');
  await page.getByRole('banner').getByRole('link', { name: 'Register' }).click();
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await page.getByLabel('Display name', { exact: true }).fill(ana.name);
  await page.getByLabel('Email', { exact: true }).fill(ana.email);
  await page.getByLabel('Password', { exact: true }).fill(ana.password);
  await page.getByRole('button', { name: 'Register' }).click();

  const banner = page.getByRole('banner');
  await expect(banner.getByRole('link', { name: ana.name })).toBeVisible();
  await expect(page.getByRole('heading', { name: `Welcome, ${ana.name}` })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Find your spaces' })).toHaveAttribute('href', '/spaces');

  await signOut(page);
  await expect(banner.getByText(ana.name)).toHaveCount(0);

  await banner.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Email', { exact: true }).fill(ana.email);
  await page.getByLabel('Password', { exact: true }).fill(ana.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(banner.getByRole('link', { name: ana.name })).toBeVisible();

  // Still signed in after a reload: the session is in the cookie and the database.
  await page.reload();
  await expect(banner.getByRole('link', { name: ana.name })).toBeVisible();
});

test('a weak password is explained next to the field and nothing typed is lost', async ({ page }) => {
  const bo = newPerson('weak');
  await page.goto('/register');
  await page.getByLabel('Display name', { exact: true }).fill(bo.name);
  await page.getByLabel('Email', { exact: true }).fill(bo.email);
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByRole('button', { name: 'Register' }).click();

  const password = page.getByLabel('Password', { exact: true });
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(password).toHaveAccessibleDescription(/Use at least 10 characters\./);
  await expect(page.getByLabel('Display name', { exact: true })).toHaveValue(bo.name);
  await expect(page.getByLabel('Email', { exact: true })).toHaveValue(bo.email);
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
});

test('a taken email and a malformed email are refused next to the email field', async ({ page }) => {
  const cy = newPerson('dup');
  await register(page, cy);
  await signOut(page);

  await page.goto('/register');
  await page.getByLabel('Display name', { exact: true }).fill('Someone Else');
  await page.getByLabel('Email', { exact: true }).fill(cy.email.toUpperCase());
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Register' }).click();
  // Refused without saying that the address has an account.
  await expect(page.getByLabel('Email', { exact: true })).toHaveAccessibleDescription(
    /cannot be used to register/,
  );

  await page.goto('/register');
  await page.getByLabel('Display name', { exact: true }).fill('Someone Else');
  await page.getByLabel('Email', { exact: true }).fill('not-an-email');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByLabel('Email', { exact: true })).toHaveAccessibleDescription(
    /Enter an email address like name@example.com\./,
  );
});

test('a wrong password is refused without telling which part was wrong', async ({ page }) => {
  const di = newPerson('wrong');
  await register(page, di);
  await signOut(page);

  await signIn(page, di.email, 'not the right password');
  await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.');
  await expect(page.getByLabel('Email', { exact: true })).toHaveValue(di.email);

  await signIn(page, `nobody-${di.email}`, 'not the right password');
  await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.');
});

test('change password, then sign in with the new one only', async ({ page }) => {
  const ed = newPerson('change');
  const newPassword = 'a brand new passphrase';
  await register(page, ed);
  await page.getByRole('banner').getByRole('link', { name: ed.name }).click();
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();

  await page.getByLabel('Current password', { exact: true }).fill('wrong current password');
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByLabel('Current password', { exact: true })).toHaveAccessibleDescription(
    /not correct/,
  );

  await page.getByLabel('Current password', { exact: true }).fill(ed.password);
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password has been changed.');

  await signOut(page);
  await signIn(page, ed.email, ed.password);
  await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.');
  await signIn(page, ed.email, newPassword);
  await expect(page.getByRole('banner').getByRole('link', { name: ed.name })).toBeVisible();
});

test('the account page asks a signed-out visitor to sign in first', async ({ page }) => {
  await page.goto('/account');
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  const fo = newPerson('next');
  await register(page, fo);
  await signOut(page);
  await page.goto('/account');
  await page.getByLabel('Email', { exact: true }).fill(fo.email);
  await page.getByLabel('Password', { exact: true }).fill(fo.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
});
