// Writes the README's screenshots to docs/screenshots/: the dashboard and the console's tabs,
// at 1280 and 390 px, on the local stack (proxied mode, SQLite) inside the stand-in's Bootstrap
// theme. Run: node tests/browser/screenshots.mjs (after scripts/setup.sh).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stack, launchBrowser } from './stack.mjs';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

const stack = new Stack({ mode: 'proxied', db: 'sqlite' });
mkdirSync(OUT, { recursive: true });
stack.up();
const browser = await launchBrowser();
try {
  // A job running and a failed one make the pictures show what the pages are for.
  await stack.simStartJob('eazybackup', { username: 'acme-dental', duration_secs: 4, outcome: 7002 });
  await stack.simStartJob('eazybackup', { username: 'acme-dental', duration_secs: 600, outcome: 5000 });
  await new Promise((r) => setTimeout(r, 8000));
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    const page = await stack.loginAs(browser, 'alice@example.com', 'demo-alice', viewport);
    await page.goto(`${stack.webBase}/index.php?m=eazybackup&a=console&serviceid=101`);
    await page.waitForFunction(() => document.querySelector('[data-testid="overview"]')?.dataset.state === 'ready', null, { timeout: 20000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="overview-live"]')?.dataset.state === 'live', null, { timeout: 15000 });
    await page.screenshot({ path: path.join(OUT, `console-overview-${name}.png`), fullPage: true });
    await page.goto(`${stack.webBase}/index.php?m=eazybackup&a=console&serviceid=101#account`);
    await page.waitForFunction(() => document.querySelector('[data-testid="account"]')?.dataset.state === 'ready', null, { timeout: 20000 });
    await page.locator('[data-testid="account-downloads"] li').first().waitFor({ timeout: 15000 });
    await page.screenshot({ path: path.join(OUT, `account-${name}.png`), fullPage: true });
    await page.goto(`${stack.webBase}/index.php?m=eazybackup&a=console&serviceid=101#devices`);
    await page.waitForFunction(() => document.querySelector('[data-testid="devices"]')?.dataset.state === 'ready', null, { timeout: 20000 });
    await page.screenshot({ path: path.join(OUT, `devices-${viewport.width}.png`), fullPage: true });
    await page.goto(`${stack.webBase}/index.php?m=eazybackup`);
    await page.waitForFunction(() => document.querySelector('[data-testid="pulse-live"]')?.dataset.state === 'live', null, { timeout: 15000 });
    await page.locator('[data-testid="pulse-job"]').first().waitFor({ timeout: 15000 });
    await page.screenshot({ path: path.join(OUT, `dashboard-${name}.png`), fullPage: true });
    // The Storage vaults tab: the cards, then the retention editor with its preview and the snapshots.
    await page.goto(`${stack.webBase}/index.php?m=eazybackup&a=console&serviceid=101#vaults`);
    await page.waitForFunction(() => document.querySelector('[data-testid="vaults"]')?.dataset.state === 'ready', null, { timeout: 20000 });
    await page.screenshot({ path: path.join(OUT, `vaults-${name}.png`), fullPage: true });
    const cloud = page.locator('[data-testid="vault-card"]').first();
    await cloud.locator('[data-testid="vault-retention-open"]').click();
    await cloud.locator('[data-testid="retention-preview"]').click();
    await cloud.locator('[data-testid="retention-preview-result"]').waitFor({ timeout: 20000 });
    await page.screenshot({ path: path.join(OUT, `vaults-retention-${name}.png`), fullPage: true });
    await cloud.locator('[data-testid="vault-snapshots-open"]').click();
    await cloud.locator('[data-testid="snapshot"]').first().waitFor({ timeout: 20000 });
    await page.screenshot({ path: path.join(OUT, `vaults-snapshots-${name}.png`), fullPage: true });
    // The Jobs tab: the list, then a failed job's drawer with its log.
    await page.goto(`${stack.webBase}/index.php?m=eazybackup&a=console&serviceid=101#jobs`);
    await page.waitForFunction(() => document.querySelector('[data-testid="jobs"]')?.dataset.state === 'ready', null, { timeout: 20000 });
    await page.screenshot({ path: path.join(OUT, `jobs-list-${name}.png`), fullPage: true });
    await page.locator('[data-status-chip="error"]').click();
    await page.locator('[data-testid="job-open"]:visible').first().click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="log-entry"]').length > 0, null, { timeout: 20000 });
    await page.screenshot({ path: path.join(OUT, `jobs-log-${name}.png`) });
    // The Protected items tab and its wizard (Files and Folders, the device's roots browsed).
    await page.goto(`${stack.webBase}/index.php?m=eazybackup&a=console&serviceid=101#items`);
    await page.waitForFunction(() => document.querySelector('[data-testid="items"]')?.dataset.state === 'ready', null, { timeout: 20000 });
    await page.screenshot({ path: path.join(OUT, `items-list-${name}.png`), fullPage: true });
    await page.locator('[data-testid="items-add"]').click();
    await page.locator('[data-testid="wizard-engine"][data-engine="engine1/file"]').click();
    await page.locator('[data-testid="browse-INCLUDE"]').click();
    await page.locator('[data-testid="browse-entry"]').first().waitFor({ timeout: 15000 });
    await page.screenshot({ path: path.join(OUT, `items-wizard-${name}.png`) });
    if (page.consoleErrors.length) throw new Error(`browser console errors: ${page.consoleErrors.join('; ')}`);
    await page.context().close();
  }
  console.log(`screenshots written to ${OUT}`);
} finally {
  await browser.close();
  stack.down();
}
