// Starts the whole local stack (scripts/stack.sh) on test ports for the browser tests, and drives
// the pieces the tests need: the simulator's control API, a Chromium page logged in as a client.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// A base other than the default lets a second checkout run its browser tests at the same time.
const base = Number(process.env.EB_BROWSER_PORT_BASE ?? 18000);
export const ports = { web: base + 80, api: base + 90, eazybackup: base + 60, obc: base + 61 };
export const webBase = `http://127.0.0.1:${ports.web}`;
export const stackDir = path.join(ROOT, `var/test-browser-${base}`);

const stackEnv = {
  ...process.env,
  STACK_DIR: stackDir,
  WEB_PORT: String(ports.web),
  API_PORT: String(ports.api),
  SIM_PORT_eazybackup: String(ports.eazybackup),
  SIM_PORT_obc: String(ports.obc),
  // Background jobs are slowed down so the tests' own jobs are easy to follow.
  SIM_TIME_ARGS: '--job-every-secs 30 --job-duration-secs 40',
};

export function stackUp() {
  execFileSync(path.join(ROOT, 'scripts/stack.sh'), ['up'], { env: stackEnv, stdio: 'inherit' });
}

export function stackDown() {
  execFileSync(path.join(ROOT, 'scripts/stack.sh'), ['down'], { env: stackEnv, stdio: 'inherit' });
}

/** Starts a job now on a simulated Comet server; returns its GUID. */
export async function simStartJob(profile, body) {
  const res = await fetch(`http://127.0.0.1:${ports[profile]}/__sim/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`sim /__sim/jobs ${res.status}: ${text}`);
  const json = JSON.parse(text);
  return json.job_id ?? json.JobID ?? json.GUID;
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A new page in a fresh context, logged in to the stand-in as the given client. */
export async function loginAs(browser, email, password, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  // Every console error and uncaught exception, from the first page on: an error there is a bug.
  page.consoleErrors = [];
  // Alpine reports template faults (a duplicate x-for key, a bad expression) as warnings.
  page.on('console', (m) => {
    if (m.type() === 'error' || (m.type() === 'warning' && m.text().startsWith('Alpine'))) {
      page.consoleErrors.push(`${m.text()} ${m.location()?.url ?? ''}`);
    }
  });
  page.on('pageerror', (e) => page.consoleErrors.push(`uncaught: ${e.message}`));
  await page.goto(`${webBase}/login.php`);
  await page.fill('input[name="username"]', email);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  return page;
}

/** Runs SQL on the stack's SQLite database (the stack runs on SQLite unless DB_DSN is set). */
export function stackSql(sql) {
  execFileSync('sqlite3', ['-bail', path.join(stackDir, 'whmcs.sqlite'), sql], { stdio: ['ignore', 'inherit', 'inherit'] });
}

export function tempDir() {
  return mkdtempSync(path.join(tmpdir(), 'eb-browser-'));
}
