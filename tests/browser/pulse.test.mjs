// The walking skeleton end to end: a job started on the simulated Comet server travels through the
// worker, the database and the SSE stream into the customer's Protection Pulse card, live.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launchBrowser, loginAs, simStartJob, stackDir, stackDown, stackUp, webBase } from './stack.mjs';

let browser;

before(async () => {
  stackUp();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  stackDown();
});

function jobCard(page, jobId) {
  return page.locator(`[data-testid="pulse-job"][data-job-id="${jobId}"]`);
}

test('a simulated job appears as running on the dashboard and then finishes, without a reload', async () => {
  const page = await loginAs(browser, 'alice@example.com', 'demo-alice');
  await page.goto(`${webBase}/index.php?m=eazybackup&a=dashboard`);
  await page.locator('[data-testid="pulse-live"]').waitFor();
  // The page is loaded and the live stream is up before the job exists: what follows can only
  // arrive over SSE.
  await page.waitForFunction(() => document.querySelector('[data-testid="pulse-live"]')?.dataset.state === 'live', null, { timeout: 15000 });

  const jobId = await simStartJob('eazybackup', { username: 'acme-dental', duration_secs: 6, outcome: 7002 });
  const running = page.locator(`[data-testid="pulse-running"] [data-testid="pulse-job"][data-job-id="${jobId}"]`);
  await running.waitFor({ timeout: 20000 });
  assert.equal(await running.getAttribute('data-status-class'), 'running');
  await page.screenshot({ path: path.join(stackDir, 'dashboard-running.png'), fullPage: true });

  const incident = page.locator(`[data-testid="pulse-incidents"] [data-testid="pulse-incident"][data-job-id="${jobId}"]`);
  await incident.waitFor({ timeout: 30000 });
  assert.equal(await incident.getAttribute('data-status-class'), 'error');
  await running.waitFor({ state: 'detached', timeout: 10000 });
  await page.screenshot({ path: path.join(stackDir, 'dashboard-finished.png'), fullPage: true });

  // Snooze it for an hour through the menu (a POST with our CSRF token via the addon): it leaves
  // the list, and stays hidden after a reload because the server recorded it.
  await incident.locator('[data-testid="pulse-snooze"]').click();
  await incident.locator('[data-minutes="60"]').click();
  await incident.waitFor({ state: 'detached', timeout: 10000 });
  await page.reload();
  await page.locator('[data-testid="pulse-live"]').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="pulse-live"]')?.dataset.state === 'live', null, { timeout: 15000 });
  await page.locator('[data-testid="pulse-incidents"]').waitFor({ state: 'visible' });
  assert.equal(await page.locator(`[data-testid="pulse-incident"][data-job-id="${jobId}"]`).count(), 0, 'a snoozed incident came back after a reload');
  await page.context().close();
});

test("another client's dashboard never shows that client's jobs", async () => {
  const alicesJob = await simStartJob('eazybackup', { username: 'acme-dental', duration_secs: 30, outcome: 5000 });
  const bobsJob = await simStartJob('eazybackup', { username: 'brown-acct', duration_secs: 30, outcome: 5000 });
  const page = await loginAs(browser, 'bob@example.com', 'demo-bob');
  await page.goto(`${webBase}/index.php?m=eazybackup&a=dashboard`);
  await jobCard(page, bobsJob).waitFor({ timeout: 20000 });
  assert.equal(await jobCard(page, alicesJob).count(), 0);
  const html = await page.content();
  assert.ok(!html.includes('acme-dental'), "bob's page mentions alice's Comet account");
  await page.context().close();
});

test('the dashboard works on a phone-sized screen', async () => {
  const page = await loginAs(browser, 'alice@example.com', 'demo-alice', { width: 390, height: 844 });
  await page.goto(`${webBase}/index.php?m=eazybackup&a=dashboard`);
  await page.locator('[data-testid="pulse-live"]').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px on a phone`);
  await page.screenshot({ path: path.join(stackDir, 'dashboard-phone.png'), fullPage: true });
  await page.context().close();
});
