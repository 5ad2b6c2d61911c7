// The console page and its Overview tab, end to end, in both deployment modes (proxied: every call
// through WHMCS's one proxy; direct: the browser calls the API with its token) and on both
// databases, at desktop and phone widths. One stack per (mode, database), shared by its tests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Stack, launchBrowser, sidewaysOverflow } from './stack.mjs';
import { themeIsolation } from './theme-isolation.mjs';

const STACKS = [
  { mode: 'proxied', db: 'sqlite' },
  { mode: 'direct', db: 'sqlite' },
  { mode: 'proxied', db: 'mariadb' },
  { mode: 'direct', db: 'mariadb' },
];

const consoleUrl = (stack, serviceId, hash = '') => `${stack.webBase}/index.php?m=eazybackup&a=console&serviceid=${serviceId}${hash}`;

/** Opens a console page and waits for the Overview to have its figures. */
async function openOverview(stack, page, serviceId) {
  await page.goto(consoleUrl(stack, serviceId));
  await page.waitForFunction(() => document.querySelector('[data-testid="overview"]')?.dataset.state === 'ready', null, { timeout: 20000 });
}

/** Opens a console page and waits for its Overview to have answered (with figures or an error). */
async function openConsole(stack, page, serviceId) {
  await page.goto(consoleUrl(stack, serviceId));
  await page.waitForFunction(() => ['ready', 'error'].includes(document.querySelector('[data-testid="overview"]')?.dataset.state), null, { timeout: 20000 });
}

const jobCount = (page, statusClass) => page.locator(`[data-testid="overview-jobs"] [data-count="${statusClass}"] [data-testid="job-count"]`).innerText().then(Number);

for (const options of STACKS) {
  describe(`console (${options.mode} mode, ${options.db})`, () => {
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

    test('the Overview shows the account, its quotas and the last 24 hours, and its calls take the configured path', async () => {
      const page = await stack.loginAs(browser, 'alice@example.com', 'demo-alice');
      await page.goto('about:blank'); // the page login lands on has its own stream: leave it first
      const apiCalls = [];
      page.on('request', (r) => {
        if (r.url().includes('/api/v1/') || r.url().includes('a=api')) apiCalls.push(r.url());
      });
      await openOverview(stack, page, 101);

      assert.equal(await page.locator('[data-testid="console-username"]').innerText(), 'acme-dental');
      assert.match(await page.locator('[data-testid="console-account"]').innerText(), /eazybackup/);
      assert.equal(await page.locator('[role="tablist"] [role="tab"]').count(), 7);
      assert.equal(await page.locator('#eb-tab-overview').getAttribute('aria-selected'), 'true');
      const summary = page.locator('[data-testid="overview-summary"]');
      assert.match(await summary.locator('[data-field="devices"]').innerText(), /^\d+ of \d+$/);
      assert.match(await summary.locator('[data-field="items"]').innerText(), /^\d[\d,]*$/);
      assert.match(await summary.locator('[data-field="storage"]').innerText(), /^\d+(\.\d)? (B|KB|MB|GB|TB|PB)$/);
      assert.notEqual(await summary.locator('[data-field="created"]').innerText(), '—');
      const quotas = await page.locator('[data-testid="quota"]').evaluateAll((els) => els.map((e) => [e.dataset.key, e.innerText.trim()]));
      assert.ok(quotas.length > 0, 'no quota shown');
      for (const [key, text] of quotas) {
        assert.ok(['devices', 'items_bytes', 'm365_accounts', 'hyperv_guests', 'vmware_guests', 'vault'].includes(key), `unknown quota ${key}`);
        assert.ok(!/quota_|undefined|NaN/.test(text), `quota ${key} reads "${text}"`);
      }
      for (const c of ['running', 'success', 'warning', 'error', 'missed']) {
        assert.ok(Number.isInteger(await jobCount(page, c)), `no ${c} count`);
      }
      assert.equal(await page.locator('[data-testid="comet-down"]').isVisible(), false);
      // Every tab listens to the page's one event stream: several subscribing at load open one.
      await page.waitForFunction(() => document.querySelector('[data-testid="overview-live"]')?.dataset.state === 'live', null, { timeout: 15000 });
      assert.equal(apiCalls.filter((u) => /(%2F|\/)events(\?|%3F|&|$)/.test(u)).length, 1, `event streams opened: ${apiCalls.filter((u) => u.includes('events')).join(' ')}`);

      // Proxied: nothing but WHMCS is called; direct: the API is called with the token.
      const overviewCall = apiCalls.find((u) => u.includes('overview'));
      assert.ok(overviewCall, `no overview call among ${apiCalls}`);
      if (stack.mode === 'proxied') {
        assert.ok(apiCalls.every((u) => u.startsWith(`${stack.webBase}/index.php?m=eazybackup&a=api&path=`)), `a call bypassed the proxy: ${apiCalls}`);
      } else {
        assert.ok(overviewCall.startsWith(`http://127.0.0.1:${stack.ports.api}/api/v1/services/101/overview`), overviewCall);
      }
      assert.deepEqual(page.consoleErrors, [], 'the browser console reported errors');
      await page.context().close();
    });

    test('a job of the service moves the 24-hour counts live, over the event stream', async () => {
      const page = await stack.loginAs(browser, 'alice@example.com', 'demo-alice');
      await openOverview(stack, page, 101);
      await page.waitForFunction(() => document.querySelector('[data-testid="overview-live"]')?.dataset.state === 'live', null, { timeout: 15000 });
      const errorsBefore = await jobCount(page, 'error');
      await stack.simStartJob('eazybackup', { username: 'acme-dental', duration_secs: 3, outcome: 7002 });
      await page.waitForFunction((n) => Number(document.querySelector('[data-testid="overview-jobs"] [data-count="error"] [data-testid="job-count"]')?.textContent) >= n + 1,
        errorsBefore, { timeout: 30000 });
      assert.deepEqual(page.consoleErrors, [], 'the browser console reported errors');
      await page.context().close();
    });

    test('tabs are in the URL, survive a reload, and work from the keyboard', async () => {
      const page = await stack.loginAs(browser, 'alice@example.com', 'demo-alice');
      await openConsole(stack, page, 101);
      await page.locator('#eb-tab-vaults').click();
      assert.ok(page.url().endsWith('#vaults'), page.url());
      assert.equal(await page.locator('#eb-panel-vaults').isVisible(), true);
      assert.match(await page.locator('#eb-panel-vaults').innerText(), /vault/i, 'a later tab says what is coming');
      await page.reload();
      await page.locator('#eb-panel-vaults').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#eb-tab-vaults').getAttribute('aria-selected'), 'true');
      await page.goBack();
      await page.locator('#eb-panel-overview').waitFor({ state: 'visible' });

      // Keyboard: focus the selected tab, then arrows move selection and focus.
      await page.locator('#eb-tab-overview').focus();
      await page.keyboard.press('ArrowRight');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'eb-tab-devices');
      assert.equal(await page.locator('#eb-panel-devices').isVisible(), true);
      await page.keyboard.press('End');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'eb-tab-account');
      await page.keyboard.press('Home');
      assert.equal(await page.locator('#eb-tab-overview').getAttribute('aria-selected'), 'true');
      assert.deepEqual(page.consoleErrors, [], 'the browser console reported errors');
      await page.context().close();
    });

    test('the dashboard works in this mode and links each service to its console; the switcher moves between them', async () => {
      const page = await stack.loginAs(browser, 'alice@example.com', 'demo-alice');
      await page.goto(`${stack.webBase}/index.php?m=eazybackup`);
      await page.waitForFunction(() => document.querySelector('[data-testid="pulse-live"]')?.dataset.state === 'live', null, { timeout: 15000 });
      await page.waitForFunction(() => /^\d+$/.test(document.querySelector('[data-count="success"]')?.textContent ?? ''), null, { timeout: 15000 });
      await Promise.all([page.waitForNavigation(), page.locator('[data-testid="service"][data-service-id="102"] a').click()]);
      assert.match(page.url(), /a=console&serviceid=102$/);
      await page.waitForFunction(() => ['ready', 'error'].includes(document.querySelector('[data-testid="overview"]')?.dataset.state), null, { timeout: 20000 });
      assert.equal(await page.locator('[data-testid="console-username"]').innerText(), 'acme-offsite');
      await Promise.all([page.waitForNavigation(), page.locator('[data-testid="service-switcher"]').selectOption('101')]);
      assert.match(page.url(), /serviceid=101/);
      assert.equal(await page.locator('[data-testid="console-username"]').innerText(), 'acme-dental');
      assert.deepEqual(page.consoleErrors, [], 'the browser console reported errors');
      await page.context().close();
    });

    test('at 390 px the console fits the screen and the tabs stay reachable', async () => {
      const page = await stack.loginAs(browser, 'alice@example.com', 'demo-alice', { width: 390, height: 844 });
      await openOverview(stack, page, 101);
      assert.ok(await sidewaysOverflow(page) <= 1, 'the page scrolls sideways on a phone');
      await page.locator('#eb-tab-account').click();
      assert.equal(await page.locator('#eb-panel-account').isVisible(), true);
      assert.deepEqual(page.consoleErrors, [], 'the browser console reported errors');
      await page.context().close();
    });

    // Styles do not depend on the mode or the database: checked once.
    if (options.mode === 'proxied' && options.db === 'sqlite') {
      test("the host theme and our styles leave each other alone (console and dashboard, both widths)", async () => {
        for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
          const page = await stack.loginAs(browser, 'alice@example.com', 'demo-alice', viewport);
          for (const url of [consoleUrl(stack, 101), `${stack.webBase}/index.php?m=eazybackup`]) {
            await page.goto(url);
            await page.locator('#eb-console [x-data]').first().waitFor();
            await page.waitForTimeout(1500); // let the first data arrive, so filled-in parts are compared too
            const { leaked, broken } = await themeIsolation(page);
            assert.deepEqual(leaked, [], `our CSS changed the host page at ${viewport.width}px (${url})`);
            assert.deepEqual(broken, [], `the host theme changed our page at ${viewport.width}px (${url})`);
          }
          await page.context().close();
        }
      });
    }

    test("another client cannot open this client's console", async () => {
      const page = await stack.loginAs(browser, 'bob@example.com', 'demo-bob');
      await page.goto(consoleUrl(stack, 101));
      await page.locator('[data-testid="no-access"]').waitFor();
      assert.equal(await page.locator('[data-testid="console"]').count(), 0);
      assert.ok(!(await page.content()).includes('acme-dental'), "bob's page names alice's Comet account");
      await page.context().close();
    });
  });
}
