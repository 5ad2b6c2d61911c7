// The Account settings tab end to end (issue 11): an email-report change that lands in the
// simulator's profile, a password change accepted (the simulator then refuses the old password,
// WHMCS stores the new one for the service and no other column of the service changes), and TOTP
// enrolment with a code computed here from the key the page shows. Proxied mode on SQLite and
// MariaDB, and direct mode on SQLite (the password still goes through WHMCS there).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stack, launchBrowser, sidewaysOverflow } from './stack.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STACKS = [
  { mode: 'proxied', db: 'sqlite' },
  { mode: 'proxied', db: 'mariadb' },
  { mode: 'direct', db: 'sqlite' },
];
// demo/fleet.json: the eazybackup simulator's admin, and the seeded account's password.
const ADMIN = { Username: 'websocket', AuthType: 'Password', Password: 'sim-admin-eazybackup' };
const FIRST_PASSWORD = 'demo-acme-dental';
const NEW_PASSWORD = 'brand-new-pass-2026';

/** A Comet API call on the stack's eazybackup simulator; resolves { status, json }. */
async function comet(stack, endpoint, fields) {
  const res = await fetch(`http://127.0.0.1:${stack.ports.eazybackup}/api/v1/${endpoint}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { json = null; }
  return { status: res.status, json };
}

const simProfile = async (stack) => (await comet(stack, 'admin/get-user-profile', { ...ADMIN, TargetUser: 'acme-dental' })).json;

/** Whether the simulator lets acme-dental log in with `password` alone. */
async function passwordLogsIn(stack, password) {
  const r = await comet(stack, 'user/web/session/start', { Username: 'acme-dental', AuthType: 'Password', Password: password });
  return r.status === 200 && (r.json?.Status ?? 200) < 400 && typeof r.json?.SessionKey === 'string';
}

/** tblhosting row 101 with the password decrypted (tests/php/service-row.php, on the stack's database). */
function serviceRow(stack) {
  const env = { ...process.env, WHMCS_DB_DSN: `sqlite:${path.join(stack.dir, 'whmcs.sqlite')}` };
  if (stack.dbName) {
    const url = new URL(process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/');
    env.WHMCS_DB_DSN = `mysql:host=${url.hostname};port=${url.port || 3306};dbname=${stack.dbName}`;
    env.WHMCS_DB_USER = decodeURIComponent(url.username || 'root');
    env.WHMCS_DB_PASS = decodeURIComponent(url.password || '');
  }
  const out = execFileSync('php', [path.join(ROOT, 'tests/php/service-row.php'), '101'], { env, encoding: 'utf8' });
  return JSON.parse(out.trim());
}

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/=+$/, '').toUpperCase()) {
    const i = alphabet.indexOf(c);
    if (i < 0) continue;
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 6238 (HMAC-SHA1, 30 s, 6 digits) at unix second `now`. */
function totpCode(secret, now) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 30)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const o = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[o] & 0x7f) << 24) | (mac[o + 1] << 16) | (mac[o + 2] << 8) | mac[o + 3];
  return String(bin % 1_000_000).padStart(6, '0');
}

async function openAccount(stack, browser, viewport) {
  const page = await stack.loginAs(browser, 'alice@example.com', 'demo-alice', viewport);
  await page.goto(`${stack.webBase}/index.php?m=eazybackup&a=console&serviceid=101#account`);
  await page.waitForFunction(() => document.querySelector('[data-testid="account"]')?.dataset.state === 'ready', null, { timeout: 20000 });
  return page;
}

// EB_ACCOUNT_STACK=proxied/sqlite (say) runs one stack only.
const only = process.env.EB_ACCOUNT_STACK;
for (const options of STACKS.filter((s) => !only || `${s.mode}/${s.db}` === only)) {
  describe(`account settings (${options.mode} mode, ${options.db})`, () => {
    const stack = new Stack(options);
    let browser;

    before(async () => {
      stack.up();
      browser = await launchBrowser();
    });

    after(async () => {
      await browser?.close();
      stack.down();
    });

    test('an email-report change is saved to the simulator\'s profile', async () => {
      const page = await openAccount(stack, browser);
      const email = page.locator('[data-testid="account-email"]');
      await email.locator('[data-testid="account-recipient-input"]').fill('reports@acme.test');
      await email.locator('[data-testid="account-recipient-input"]').press('Enter');
      const recipient = email.locator('[data-testid="account-recipients"] li').filter({ hasText: 'reports@acme.test' });
      await recipient.getByLabel(/Choose this recipient/).check();
      await recipient.getByRole('button', { name: 'Add a report' }).click();
      await recipient.getByLabel('Failures only').check();
      await email.locator('[data-testid="account-email-enabled"]').check();
      await email.locator('[data-testid="account-email-save"]').click();
      await page.locator('[data-testid="toast"]').filter({ hasText: 'Saved.' }).waitFor({ timeout: 45000 });

      const profile = await simProfile(stack);
      assert.ok(profile.Emails.includes('reports@acme.test'), JSON.stringify(profile.Emails));
      assert.equal(profile.SendEmailReports, true);
      const report = profile.OverrideEmailSettings['reports@acme.test'].Reports[0];
      assert.equal(report.ReportType, 1);
      assert.equal(report.SummaryFrequency[0].FrequencyType, 8011);
      assert.equal(report.SummaryFrequency[0].SecondsPast, 8 * 3600);
      assert.match(JSON.stringify(report.Filter), /7001/);

      // The preview is Comet's rendering of that report.
      await recipient.getByRole('button', { name: 'Preview' }).click();
      await page.locator('[data-testid="account-preview"]').waitFor({ state: 'visible', timeout: 45000 });
      assert.match(await page.locator('[data-testid="account-preview"]').innerText(), /acme-dental/);
      assert.deepEqual(page.consoleErrors, [], 'the browser console reported errors');
      await page.context().close();
    });

    test('a password change: Comet takes it, the old one is refused, WHMCS stores it and nothing else', async () => {
      assert.equal(await passwordLogsIn(stack, FIRST_PASSWORD), true, 'the seeded password logs in first');
      const before = serviceRow(stack);
      const page = await openAccount(stack, browser);
      const form = page.locator('[data-testid="account-password"]');
      await form.getByLabel('Current password').fill(FIRST_PASSWORD);
      await form.getByLabel('New password', { exact: true }).fill('short');
      await form.getByLabel('New password again').fill('short');
      assert.match(await form.locator('[data-testid="account-password-problem"]').innerText(), /at least 8/);
      assert.equal(await form.locator('[data-testid="account-password-save"]').isDisabled(), true);
      await form.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await form.getByLabel('New password again').fill(NEW_PASSWORD);
      await form.locator('[data-testid="account-password-save"]').click();
      await page.locator('[data-testid="account-password-devices"]').waitFor({ state: 'visible', timeout: 20000 });

      assert.equal(await passwordLogsIn(stack, FIRST_PASSWORD), false, 'the simulator refuses the old password');
      assert.equal(await passwordLogsIn(stack, NEW_PASSWORD), true, 'the simulator takes the new password');
      const after = serviceRow(stack);
      assert.equal(after.password_plain, NEW_PASSWORD, 'WHMCS stores the new service password');
      const changed = Object.keys(before).filter((k) => !['password', 'password_plain'].includes(k) && before[k] !== after[k]);
      assert.deepEqual(changed, [], 'no other column of the service changed');
      assert.deepEqual(Object.keys(after), Object.keys(before));
      assert.deepEqual(page.consoleErrors, [], 'the browser console reported errors');
      await page.context().close();
    });

    test('TOTP enrolment: a code computed from the shown key switches it on; then it is turned off', async () => {
      const page = await openAccount(stack, browser);
      const totp = page.locator('[data-testid="account-totp"]');
      await totp.locator('[data-testid="account-totp-start"]').click();
      await page.locator('[data-testid="account-totp-enrol"]').waitFor({ state: 'visible', timeout: 15000 });
      const secret = (await page.locator('[data-testid="account-totp-secret"]').innerText()).trim();
      assert.match(secret, /^[A-Z2-7]{16,}$/);
      const clock = await (await fetch(`http://127.0.0.1:${stack.ports.eazybackup}/__sim/clock`)).json();
      await totp.getByLabel('Code from the app').fill(totpCode(secret, clock.now));
      await totp.locator('[data-testid="account-totp-confirm"]').click();
      await page.waitForFunction(() => /^On/.test(document.querySelector('[data-testid="account-totp-state"]')?.textContent ?? ''), null, { timeout: 15000 });
      assert.equal((await simProfile(stack)).AllowPasswordAndTOTPLogin, true);
      assert.equal(await passwordLogsIn(stack, NEW_PASSWORD), false, 'the password alone no longer logs in');

      await totp.locator('[data-testid="account-totp-disable"]').click();
      await page.locator('[data-testid="confirm"] button').filter({ hasText: 'Turn off two-factor' }).click();
      await page.waitForFunction(() => /^Off/.test(document.querySelector('[data-testid="account-totp-state"]')?.textContent ?? ''), null, { timeout: 15000 });
      assert.equal(await passwordLogsIn(stack, NEW_PASSWORD), true);
      assert.deepEqual(page.consoleErrors, [], 'the browser console reported errors');
      await page.context().close();
    });

    test('at phone width the tab has no sideways scroll', async () => {
      const page = await openAccount(stack, browser, { width: 390, height: 844 });
      await page.locator('[data-testid="account-downloads"] li').first().waitFor({ timeout: 15000 });
      assert.equal(await sidewaysOverflow(page), 0);
      assert.deepEqual(page.consoleErrors, [], 'the browser console reported errors');
      await page.context().close();
    });
  });
}
