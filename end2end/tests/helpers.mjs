import { expect } from '@playwright/test';

export const PASSWORD = 'correct horse battery staple';

/** A person nobody has registered yet. */
export function newPerson(tag) {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
  return { name: `Ana ${tag} ${id}`, email: `ana-${tag}-${id}@example.com`, password: PASSWORD };
}

export async function register(page, person) {
  await page.goto('/register');
  await page.getByLabel('Display name', { exact: true }).fill(person.name);
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByRole('banner').getByText(person.name)).toBeVisible();
}

export async function signOut(page) {
  const banner = page.getByRole('banner');
  await banner.getByRole('button', { name: 'Sign out' }).click();
  await expect(banner.getByRole('link', { name: 'Sign in' })).toBeVisible();
}

export async function signIn(page, email, password) {
  await page.goto('/sign-in');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
