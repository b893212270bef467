import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, defineConfig, devices } from '@playwright/test';
import { E2E_ADMIN_TOKEN } from './e2e/admin-token';

// Workers re-read this file: the first read picks the port and data directory, the rest
// inherit them through the environment.
process.env.E2E_PORT ??= freePort();
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'livechat-e2e-'));
const port = Number(process.env.E2E_PORT);
const baseURL = `http://localhost:${port}`;

/** Debian's Chromium unless CHROMIUM_PATH says otherwise; Playwright's own only if installed. */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const executablePath = existsSync(chromiumPath) ? chromiumPath : undefined;
if (!executablePath && !existsSync(chromium.executablePath())) {
  throw new Error(
    `No Chromium at ${chromiumPath} and no browser of Playwright's own: install Debian's ` +
      '`chromium` package, or set CHROMIUM_PATH to a Chromium or Chrome binary.',
  );
}

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    command: 'node dist/server.js',
    url: `${baseURL}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: process.env.E2E_DATA_DIR,
      // Long enough for a reload on a busy machine to count as staying.
      MEMBER_GRACE_SECONDS: '10',
      // Every browser here shares one address; per-session limits still apply.
      RATE_LIMIT_IP_MULTIPLIER: '1000',
      ADMIN_TOKEN: E2E_ADMIN_TOKEN,
      NEXT_TELEMETRY_DISABLED: '1',
    },
  },
});

/** A port nothing listens on now, asked of the operating system (a random guess can collide). */
function freePort(): string {
  const probe =
    "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => {" +
    ' process.stdout.write(String(s.address().port)); s.close(); });';
  return execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }).trim();
}
