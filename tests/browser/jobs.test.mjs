// The Jobs tab end to end, proxied through WHMCS, on SQLite and on MariaDB: filter to the failures
// of one device, open a failed job's log, search it, download it; cancel a running job and see
// "cancel requested" until the device ends it; at phone width the tab fits the screen.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Stack, launchBrowser, sidewaysOverflow } from './stack.mjs';

const STACKS = [
  { mode: 'proxied', db: 'sqlite' },
  { mode: 'proxied', db: 'mariadb' },
];

const jobsUrl = (stack) => `${stack.webBase}/index.php?m=eazybackup&a=console&serviceid=101#jobs`;

async function openJobs(stack, page) {
  await page.goto(jobsUrl(stack));
  await page.waitForFunction(() => document.querySelector('[data-testid="jobs"]')?.dataset.state === 'ready', null, { timeout: 20000 });
}

/** The job's row (table or card, whichever is shown), waiting until the list holds it. */
async function waitForRow(page, jobId, extra = '') {
  await page.waitForFunction(([id, more]) => [...document.querySelectorAll(`[data-job-id="${id}"]${more}`)].some((e) => e.offsetParent !== null),
    [jobId, extra], { timeout: 60000 });
  return page.locator(`[data-job-id="${jobId}"]:visible`);
}

/** One job as the API describes it, read through the page's own proxy. */
function apiJob(page, jobId) {
  return page.evaluate(async (id) => {
    const res = await fetch(`index.php?m=eazybackup&a=api&path=${encodeURIComponent(`/services/101/jobs/${id}`)}`, { credentials: 'same-origin' });
    return res.json();
  }, jobId);
}

for (const options of STACKS) {
  describe(`jobs tab (${options.mode} mode, ${options.db})`, () => {
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

    test('filter to one device\'s failures, open a log, search it and download it', async () => {
      const failed = await stack.simStartJob('eazybackup', { username: 'acme-dental', duration_secs: 1, outcome: 7002 });
      const page = await stack.loginAs(browser, 'alice@example.com', 'demo-alice');
      await openJobs(stack, page);
      await waitForRow(page, failed, '[data-status="error"]');
      const { job } = await apiJob(page, failed);
      assert.equal(job.status_class, 'error');

      await page.locator('[data-testid="jobs-device"]').selectOption(job.device_id);
      await page.locator('[data-status-chip="error"]').click();
      assert.equal(await page.locator('[data-status-chip="error"]').getAttribute('aria-pressed'), 'true');
      await page.waitForFunction((dev) => {
        const rows = [...document.querySelectorAll('[data-testid="job-row"]')];
        return rows.length > 0 && rows.every((r) => r.dataset.status === 'error' && r.dataset.deviceId === dev);
      }, job.device_id, { timeout: 20000 });
      const row = await waitForRow(page, failed);

      await row.locator('[data-testid="job-open"]').click();
      const drawer = page.locator('[data-testid="job-drawer"]');
      await drawer.waitFor({ state: 'visible' });
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="log-entry"]').length >= 2, null, { timeout: 20000 });
      assert.equal(await drawer.locator('[data-testid="job-detail-status"]').innerText(), job.status_label);
      await drawer.locator('[data-testid="log-first-error"]').click();
      const focused = await page.evaluate(() => document.activeElement?.dataset?.severity);
      assert.equal(focused, 'E', 'the first error has focus');

      await drawer.locator('[data-testid="log-search"]').fill('failed');
      await page.waitForFunction(() => {
        const lines = [...document.querySelectorAll('[data-testid="log-entry"]')];
        return lines.length >= 1 && lines.every((l) => l.innerText.includes('failed'));
      }, null, { timeout: 20000 });
      await drawer.locator('[data-testid="log-severity"]').selectOption('E');
      await page.waitForFunction(() => {
        const lines = [...document.querySelectorAll('[data-testid="log-entry"]')];
        return lines.length >= 1 && lines.every((l) => l.dataset.severity === 'E');
      }, null, { timeout: 20000 });

      const [download] = await Promise.all([page.waitForEvent('download'), drawer.locator('[data-testid="log-download"]').click()]);
      assert.equal(download.suggestedFilename(), `job-${failed}.log`);
      const stream = await download.createReadStream();
      let text = '';
      for await (const chunk of stream) text += chunk;
      assert.match(text, /failed/);

      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });
      assert.deepEqual(page.consoleErrors, [], 'the browser console reported errors');
      await page.context().close();
    });

    test('cancel a running job: asked first, "cancel requested" until the device ends it', async () => {
      const running = await stack.simStartJob('eazybackup', { username: 'acme-dental', duration_secs: 600, outcome: 5000 });
      const page = await stack.loginAs(browser, 'alice@example.com', 'demo-alice');
      await openJobs(stack, page);
      const row = await waitForRow(page, running, '[data-status="running"]');
      await row.locator('[data-testid="job-cancel"]').click();
      const dialog = page.locator('[data-testid="confirm"]');
      await dialog.waitFor({ state: 'visible' });
      await dialog.locator('button').last().click();
      await row.locator('[data-testid="cancel-requested"]').waitFor({ state: 'visible', timeout: 15000 });
      // The device confirms; the stream (or the poll) ends the job on screen.
      await waitForRow(page, running, ':not([data-status="running"])');
      assert.equal(await row.locator('[data-testid="cancel-requested"]').isVisible(), false);
      const { job } = await apiJob(page, running);
      assert.equal(job.status, 7005, JSON.stringify(job));
      assert.deepEqual(page.consoleErrors, [], 'the browser console reported errors');
      await page.context().close();
    });

    test('at phone width the jobs are cards and nothing scrolls sideways', async () => {
      const page = await stack.loginAs(browser, 'alice@example.com', 'demo-alice', { width: 390, height: 844 });
      await openJobs(stack, page);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="job-card"]').length > 0, null, { timeout: 60000 });
      assert.equal(await page.locator('[data-testid="jobs-table"]').isVisible(), false);
      assert.equal(await sidewaysOverflow(page), 0);
      await page.locator('[data-testid="job-card"] [data-testid="job-open"]').first().click();
      await page.locator('[data-testid="job-drawer"]').waitFor({ state: 'visible' });
      assert.equal(await sidewaysOverflow(page), 0);
      assert.deepEqual(page.consoleErrors, [], 'the browser console reported errors');
      await page.context().close();
    });
  });
}
