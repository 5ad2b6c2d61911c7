// The Storage vaults tab end to end (simulator, both databases, proxied mode): request a vault from
// a template and see it listed with usage; change a vault's retention and see the preview; delete a
// snapshot with the two-step confirmation; run unlock and deep verify and see their jobs finish;
// the tab fits a phone screen. Any browser console error fails the test.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Stack, launchBrowser, sidewaysOverflow } from './stack.mjs';

const STACKS = [
  { mode: 'proxied', db: 'sqlite' },
  { mode: 'proxied', db: 'mariadb' },
];

const vaultsUrl = (stack, serviceId) => `${stack.webBase}/index.php?m=eazybackup&a=console&serviceid=${serviceId}#vaults`;

async function openVaults(stack, page, serviceId) {
  await page.goto(vaultsUrl(stack, serviceId));
  await page.waitForFunction(() => document.querySelector('[data-testid="vaults"]')?.dataset.state === 'ready', null, { timeout: 30000 });
}

const card = (page, name) => page.locator('[data-testid="vault-card"]').filter({ has: page.locator('[data-field="name"]', { hasText: name }) }).first();

async function confirmDialog(page) {
  const dialog = page.locator('[data-testid="confirm"]');
  await dialog.waitFor({ state: 'visible' });
  await dialog.locator('button').last().click();
  await dialog.waitFor({ state: 'hidden' });
}

for (const options of STACKS) {
  describe(`vaults (${options.mode} mode, ${options.db})`, () => {
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

    test('the list, requesting a vault, the retention preview, snapshot deletion and maintenance jobs', async () => {
      const page = await stack.loginAs(browser, 'alice@example.com', 'demo-alice');
      await openVaults(stack, page, 101);
      const cards = page.locator('[data-testid="vault-card"]');
      assert.ok((await cards.count()) > 0, 'no vault listed');
      const cloud = card(page, 'eazyBackup Cloud');
      assert.equal(await cloud.locator('[data-field="type"]').innerText(), 'Comet');
      const usage = await cloud.locator('[data-field="usage"]').innerText();
      assert.match(usage, /\d/, usage);
      assert.ok(!/undefined|NaN|vaults_/.test(await cards.first().innerText()), 'a raw key or undefined is shown');

      // Request a vault from a template: it is listed with its type and usage line.
      const before = await cards.count();
      await page.locator('[data-testid="vault-request-open"]').click();
      const select = page.locator('[data-testid="vault-template"]');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="vault-template"] option').length > 0);
      await select.selectOption({ label: 'Wasabi (ca-central-1)' });
      await page.locator('[data-testid="vault-request-submit"]').click();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="vault-card"]').length === n + 1, before, { timeout: 20000 });
      const made = card(page, 'Wasabi (ca-central-1)');
      assert.equal(await made.locator('[data-field="type"]').innerText(), 'S3-compatible');
      assert.match(await made.locator('[data-field="usage"]').innerText(), /Not measured yet|\d/);

      // Retention: keep the newest backup only, preview which snapshots go, save.
      await cloud.locator('[data-testid="vault-retention-open"]').click();
      const editor = cloud.locator('[data-testid="vault-retention"]');
      const keepAll = editor.locator('[data-testid="retention-keep-all"]');
      if (await keepAll.isChecked()) await keepAll.uncheck();
      // The vault's own rules go first (rules add up: any one keeps a snapshot).
      while ((await editor.locator('[data-testid="retention-rule-remove"]').count()) > 0) {
        await editor.locator('[data-testid="retention-rule-remove"]').first().click();
      }
      await editor.locator('[data-testid="retention-add-rule"]').click();
      const rule = editor.locator('[data-testid="retention-rule"]').last();
      await rule.locator('[data-testid="retention-rule-type"]').selectOption('900');
      await rule.locator('input[data-field="jobs"]').fill('1');
      await editor.locator('[data-testid="retention-preview"]').click();
      const result = editor.locator('[data-testid="retention-preview-result"]');
      await result.waitFor({ state: 'visible', timeout: 30000 });
      const kept = Number(await result.locator('[data-testid="preview-kept"]').innerText());
      const removed = Number(await result.locator('[data-testid="preview-removed"]').innerText());
      assert.ok(kept > 0 && removed > 0, `kept ${kept}, removed ${removed}`);
      assert.equal(await result.locator('[data-keep="no"]').count(), removed);
      await editor.locator('[data-testid="retention-save"]').click();
      await page.waitForFunction(() => [...document.querySelectorAll('[data-field="retention"]')].some((e) => /newest 1 backup/.test(e.textContent)), null, { timeout: 20000 });

      // Snapshots: select one, Delete, then the dialog that names it.
      await cloud.locator('[data-testid="vault-snapshots-open"]').click();
      const snaps = cloud.locator('[data-testid="snapshot"]');
      await snaps.first().waitFor({ state: 'visible', timeout: 30000 });
      const count = await snaps.count();
      const victim = await snaps.first().getAttribute('data-snapshot-id');
      await snaps.first().locator('input[type="checkbox"]').check();
      await cloud.locator('[data-testid="snapshots-delete"]').click();
      await cloud.locator('[data-testid="snapshots-delete-confirm"]').click();
      await confirmDialog(page);
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="vault-card"] [data-testid="snapshot"]').length === n - 1, count, { timeout: 20000 });
      assert.equal(await cloud.locator(`[data-snapshot-id="${victim}"]`).count(), 0);
      const deletion = cloud.locator('[data-testid="vault-job"]').first();
      assert.match(await deletion.innerText(), /Delete snapshot/);

      // Maintenance: unlock and deep verify, each confirmed, each followed to its end.
      for (const [action, label] of [['unlock', 'Unlock'], ['deep_verify', 'Deep verify']]) {
        await cloud.locator('[data-testid="vault-menu"]').click();
        await cloud.locator(`[data-testid="vault-action"][data-action="${action}"]`).click();
        await confirmDialog(page);
        const job = cloud.locator('[data-testid="vault-job"]').first();
        await page.waitForFunction((l) => document.querySelector('[data-testid="vault-job"]')?.textContent.includes(l), label, { timeout: 20000 });
        const jobId = await job.getAttribute('data-job-id');
        assert.ok(jobId, `${action}: the job is named`);
        await page.waitForFunction((id) => document.querySelector(`[data-testid="vault-job"][data-job-id="${id}"]`)?.dataset.status === 'success', jobId, { timeout: 60000 });
      }
      await page.waitForFunction(() => [...document.querySelectorAll('[data-field="deep-verified"]')].some((e) => e.textContent.trim() !== 'Never'), null, { timeout: 20000 });

      // Delete the requested vault (nothing uses it).
      await made.locator('[data-testid="vault-menu"]').click();
      await made.locator('[data-testid="vault-delete"]').click();
      await confirmDialog(page);
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="vault-card"]').length === n, before, { timeout: 20000 });
      assert.deepEqual(page.consoleErrors, [], 'the browser console reported errors');
      await page.context().close();
    });

    test('the tab fits a phone screen', async () => {
      const page = await stack.loginAs(browser, 'alice@example.com', 'demo-alice', { width: 390, height: 844 });
      await openVaults(stack, page, 101);
      await card(page, 'eazyBackup Cloud').locator('[data-testid="vault-snapshots-open"]').click();
      await page.locator('[data-testid="snapshot"]').first().waitFor({ state: 'visible', timeout: 30000 });
      assert.equal(await sidewaysOverflow(page), 0, 'the page scrolls sideways at 390 px');
      assert.deepEqual(page.consoleErrors, [], 'the browser console reported errors');
      await page.context().close();
    });
  });
}
