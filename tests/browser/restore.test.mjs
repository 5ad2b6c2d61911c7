// The Restore tab end to end (proxied mode, SQLite and MariaDB): the wizard restores two files of
// a chosen snapshot to another path — the simulator records exactly that restore — and follows
// the job to its end; "Find a file" lists a file's versions across snapshots and restores an
// older one. Screenshots at 1280 and 390 px go to docs/screenshots/restore-*.png (SQLite run).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stack, launchBrowser, sidewaysOverflow } from './stack.mjs';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
const STACKS = [
  { mode: 'proxied', db: 'sqlite' },
  { mode: 'proxied', db: 'mariadb' },
];

async function sim(stack, route, init) {
  const res = await fetch(`http://127.0.0.1:${stack.ports.eazybackup}${route}`, init);
  assert.ok(res.ok, `${route}: ${res.status}`);
  return res.json();
}

async function openRestore(stack, page) {
  await page.goto(`${stack.webBase}/index.php?m=eazybackup&a=console&serviceid=101`);
  await page.locator('#eb-tab-restore').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="restore"]')?.dataset.state === 'ready', null, { timeout: 20000 });
}

/** Device → a file item that backs up to a vault → that vault → the newest snapshot. */
async function chooseUpToSnapshot(page) {
  await page.locator('[data-testid="restore-device"]:not([disabled])').first().click();
  await page.locator('[data-testid="restore-item"][data-engine="engine1/file"]:not([data-vaults="0"])').first().click();
  await page.locator('[data-testid="restore-vault"][data-mine="true"]').first().click();
  await page.locator('[data-testid="restore-snapshot"]').first().waitFor({ timeout: 20000 });
}

for (const options of STACKS) {
  describe(`restore (${options.mode} mode, ${options.db})`, () => {
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

    test('the wizard restores two files of a chosen snapshot to another path and follows the job', async () => {
      const page = await stack.loginAs(browser, 'alice@example.com', 'demo-alice');
      await openRestore(stack, page);
      await chooseUpToSnapshot(page);
      const snapshotId = await page.locator('[data-testid="restore-snapshot"]').nth(1).getAttribute('data-snapshot-id');
      await page.locator('[data-testid="restore-snapshot"]').nth(1).click();
      const folder = page.locator('[data-testid="restore-object"][data-depth="0"]:has([data-testid="restore-open"]:visible)').first();
      await folder.waitFor({ timeout: 20000 });
      await folder.locator('[data-testid="restore-open"]').click();
      const files = page.locator('[data-testid="restore-object"][data-depth="1"][data-kind="file"]');
      await files.nth(1).waitFor({ timeout: 20000 });
      const chosen = [await files.nth(0).getAttribute('data-path'), await files.nth(1).getAttribute('data-path')];
      await files.nth(0).locator('[data-testid="restore-select"]').check();
      await files.nth(1).locator('[data-testid="restore-select"]').check();
      if (stack.db === 'sqlite') {
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: path.join(SHOTS, 'restore-browse-desktop.png'), fullPage: true });
      }
      await page.locator('[data-testid="restore-next"]').click();
      await page.locator('[data-testid="restore-type"][data-type="files"]').check();
      await page.locator('[data-testid="restore-dest-path"]').check();
      await page.locator('[data-testid="restore-dest-input"]').fill('/srv/restored');
      await page.locator('[data-testid="restore-review"]').click();
      assert.equal(await page.locator('[data-testid="restore-confirm-destination"]').innerText(), '/srv/restored');
      await page.locator('[data-testid="restore-start"]').click();
      await page.locator('[data-testid="restore-step-follow"]').waitFor({ state: 'visible', timeout: 20000 });

      const restores = await sim(stack, '/__sim/restores');
      const r = restores.at(-1);
      assert.deepEqual([...r.Paths].sort(), [...chosen].sort());
      assert.equal(r.Snapshot, snapshotId);
      assert.equal(r.Options.DestPath, '/srv/restored');
      assert.equal(r.Options.Type, 0);
      assert.equal(r.Username, 'acme-dental');
      await sim(stack, `/__sim/jobs/${r.JobID}/finish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":5000}' });
      await page.waitForFunction(() => document.querySelector('[data-testid="restore-step-follow"]')?.dataset.jobState === 'success', null, { timeout: 20000 });
      assert.ok(await page.locator('[data-testid="restore-summary"]').isVisible());
      assert.deepEqual(page.consoleErrors, []);
      await page.context().close();
    });

    test('find a file across snapshots and restore an older version, at phone width', async () => {
      const page = await stack.loginAs(browser, 'alice@example.com', 'demo-alice', { width: 390, height: 844 });
      await openRestore(stack, page);
      await chooseUpToSnapshot(page);
      await page.locator('[data-testid="restore-snapshot"]').first().click();
      const file = page.locator('[data-testid="restore-object"][data-depth="0"][data-kind="file"]').first();
      await file.waitFor({ timeout: 20000 });
      const filePath = await file.getAttribute('data-path');
      const name = filePath.split('/').pop();
      await page.locator('[data-testid="restore-find-input"]').fill(name);
      await page.locator('[data-testid="restore-find-go"]').click();
      const hit = page.locator(`[data-testid="restore-find-path"][data-path="${filePath}"]`);
      await hit.waitFor({ timeout: 20000 });
      const versions = hit.locator('[data-testid="restore-find-version"]');
      assert.ok((await versions.count()) >= 2, 'a version per snapshot');
      assert.ok(await sidewaysOverflow(page) <= 1, 'no sideways scroll at 390 px');
      if (stack.db === 'sqlite') await page.screenshot({ path: path.join(SHOTS, 'restore-find-phone.png'), fullPage: true });
      const oldest = versions.last();
      const oldSnapshot = await oldest.getAttribute('data-snapshot-id');
      await oldest.locator('[data-testid="restore-find-restore"]').click();
      await page.locator('[data-testid="restore-dest-original"]').check();
      await page.locator('[data-testid="restore-review"]').click();
      await page.locator('[data-testid="restore-start"]').click();
      await page.locator('[data-testid="restore-step-follow"]').waitFor({ state: 'visible', timeout: 20000 });
      const r = (await sim(stack, '/__sim/restores')).at(-1);
      assert.equal(r.Snapshot, oldSnapshot);
      assert.deepEqual(r.Paths, [filePath]);
      assert.equal(r.Options.DestIsOriginalLocation, true);
      assert.deepEqual(page.consoleErrors, []);
      await page.context().close();
    });
  });
}
