// End-to-end tests against the release build, in Debian's Chromium (never a downloaded browser).
// Each run starts the server on its own port with a fresh SQLite database.
import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = process.env.COHORT_E2E_PORT || '3107';
const dataDir = process.env.COHORT_E2E_DATA || mkdtempSync(join(tmpdir(), 'cohort-e2e-'));
process.env.COHORT_E2E_DATA = dataDir; // workers re-read this file: keep one folder

export default defineConfig({
  testDir: './tests',
  // Generous deadlines: every expectation waits for what it names and passes as soon as it is
  // there; the deadline only matters on a busy machine (the README's test command must pass there).
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'js', use: { javaScriptEnabled: true } },
    { name: 'no-js', use: { javaScriptEnabled: false } },
  ],
  webServer: {
    command: './target/release/server',
    cwd: '..',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      COHORT_ADDR: `127.0.0.1:${port}`,
      COHORT_DATABASE_URL: `sqlite:${dataDir}/cohort.db`,
      COHORT_CONFIG: `${dataDir}/none.toml`,
      LEPTOS_SITE_ROOT: 'target/site',
      COHORT_REGISTER_LIMIT_PER_IP: '10000',
      COHORT_SIGN_IN_LIMIT_PER_IP: '10000',
      RUST_LOG: 'warn',
    },
  },
});
