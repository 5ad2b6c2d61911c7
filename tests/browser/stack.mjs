// Starts the whole local stack (scripts/stack.sh) on test ports for the browser tests, and drives
// the pieces the tests need: the simulator's control API, a Chromium page logged in as a client,
// SQL on the stack's database.
//
// A stack is chosen by deployment mode (proxied | direct: the addon's deployment_mode) and
// database (sqlite | mariadb: a fresh database per run on TEST_MYSQL_URL, dropped at the end).
// Each (mode, database) pair gets its own ports and directory, so files can run one after another
// without waiting for ports to be released.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// A base other than the default lets a second checkout run its browser tests at the same time.
const BASE = Number(process.env.EB_BROWSER_PORT_BASE ?? 18000);
const SLOTS = { 'proxied/sqlite': 0, 'direct/sqlite': 100, 'proxied/mariadb': 200, 'direct/mariadb': 300 };

/** The MariaDB server the tests may create databases on (TEST_MYSQL_URL, as the Rust tests). */
function mysqlServer() {
  const url = new URL(process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/');
  return { url, args: ['-h', url.hostname, '-P', url.port || '3306', '-u', decodeURIComponent(url.username || 'root'), ...(url.password ? [`-p${decodeURIComponent(url.password)}`] : [])] };
}

export class Stack {
  constructor({ mode = 'proxied', db = 'sqlite' } = {}) {
    if (!(`${mode}/${db}` in SLOTS)) throw new Error(`unknown stack ${mode}/${db}`);
    this.mode = mode;
    this.db = db;
    const base = BASE + SLOTS[`${mode}/${db}`];
    this.ports = { web: base + 80, api: base + 90, eazybackup: base + 60, obc: base + 61 };
    this.webBase = `http://127.0.0.1:${this.ports.web}`;
    this.dir = path.join(ROOT, `var/test-browser-${base}`);
    this.dbName = db === 'mariadb' ? `eb_browser_${randomBytes(4).toString('hex')}` : null;
  }

  get label() { return `${this.mode} mode, ${this.db === 'mariadb' ? 'MariaDB' : 'SQLite'}`; }

  env() {
    const env = {
      ...process.env,
      STACK_DIR: this.dir,
      WEB_PORT: String(this.ports.web),
      API_PORT: String(this.ports.api),
      SIM_PORT_eazybackup: String(this.ports.eazybackup),
      SIM_PORT_obc: String(this.ports.obc),
      EB_DEPLOYMENT_MODE: this.mode,
      // Background jobs are slowed down so the tests' own jobs are easy to follow.
      SIM_TIME_ARGS: '--job-every-secs 30 --job-duration-secs 40',
    };
    delete env.DB_DSN;
    if (this.dbName) {
      const { url } = mysqlServer();
      env.DB_DSN = `mysql://${url.username || 'root'}${url.password ? `:${url.password}` : ''}@${url.hostname}:${url.port || 3306}/${this.dbName}`;
    }
    return env;
  }

  up() {
    if (this.dbName) this.mysql(`CREATE DATABASE \`${this.dbName}\``, false);
    execFileSync(path.join(ROOT, 'scripts/stack.sh'), ['up'], { env: this.env(), stdio: 'inherit' });
    return this;
  }

  down() {
    try {
      execFileSync(path.join(ROOT, 'scripts/stack.sh'), ['down'], { env: this.env(), stdio: 'inherit' });
    } finally {
      if (this.dbName) this.mysql(`DROP DATABASE IF EXISTS \`${this.dbName}\``, false);
    }
  }

  mysql(sql, inDatabase = true) {
    const { args } = mysqlServer();
    execFileSync('mysql', [...args, ...(inDatabase ? [this.dbName] : []), '-e', sql], { stdio: ['ignore', 'inherit', 'inherit'] });
  }

  /** Runs SQL on the stack's database (written to suit both SQLite and MariaDB). */
  sql(sql) {
    if (this.dbName) return this.mysql(sql);
    execFileSync('sqlite3', ['-bail', path.join(this.dir, 'whmcs.sqlite'), sql], { stdio: ['ignore', 'inherit', 'inherit'] });
  }

  /** Starts a job now on a simulated Comet server; returns its GUID. */
  async simStartJob(profile, body) {
    const res = await fetch(`http://127.0.0.1:${this.ports[profile]}/__sim/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`sim /__sim/jobs ${res.status}: ${text}`);
    const json = JSON.parse(text);
    return json.job_id ?? json.JobID ?? json.GUID;
  }

  /** A new page in a fresh context, logged in to the stand-in as the given client. */
  async loginAs(browser, email, password, viewport = { width: 1280, height: 900 }) {
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
    await page.goto(`${this.webBase}/login.php`);
    await page.fill('input[name="username"]', email);
    await page.fill('input[name="password"]', password);
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    return page;
  }
}

// The default stack (proxied, SQLite) as module-level helpers, for files that need only one.
const defaultStack = new Stack();
export const ports = defaultStack.ports;
export const webBase = defaultStack.webBase;
export const stackDir = defaultStack.dir;
export const stackUp = () => defaultStack.up();
export const stackDown = () => defaultStack.down();
export const stackSql = (sql) => defaultStack.sql(sql);
export const simStartJob = (profile, body) => defaultStack.simStartJob(profile, body);
export const loginAs = (...args) => defaultStack.loginAs(...args);

export async function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

export function tempDir() {
  return mkdtempSync(path.join(tmpdir(), 'eb-browser-'));
}

/** Pixels the page scrolls sideways (0 when it fits the viewport). */
export function sidewaysOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
