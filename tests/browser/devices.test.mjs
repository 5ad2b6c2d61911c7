// The Devices tab end to end, proxied mode, on SQLite and MariaDB: the list renders the account's
// devices (table at 1280 px, cards at 390 px without sideways scroll), a rename is written to the
// simulator, a revoke asks first (naming what goes) and removes the device, and refused actions stay visible,
// disabled, with their reason (offline device; suspended service).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Stack, launchBrowser, sidewaysOverflow } from './stack.mjs';

const STACKS = [
  { mode: 'proxied', db: 'sqlite' },
  { mode: 'proxied', db: 'mariadb' },
];

const devicesUrl = (stack, serviceId) => `${stack.webBase}/index.php?m=eazybackup&a=console&serviceid=${serviceId}#devices`;

async function sim(stack, method, path, body) {
  const res = await fetch(`http://127.0.0.1:${stack.ports.eazybackup}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`sim ${path} ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

async function simDevices(stack, username) {
  const state = await sim(stack, 'GET', '/__sim/state');
  return state.users.find((u) => u.username === username).devices;
}

async function openDevices(stack, page, serviceId) {
  await page.goto(devicesUrl(stack, serviceId));
  await page.waitForFunction(() => ['ready', 'error'].includes(document.querySelector('[data-testid="devices"]')?.dataset.state), null, { timeout: 20000 });
}

/** The visible row (table) or card (phone) of one device. */
const deviceEl = (page, id) => page.locator(`[data-device-id="${id}"]:visible`).first();

async function openMenu(page, id) {
  const el = deviceEl(page, id);
  await el.locator('[data-testid="device-actions"]').click();
  const menu = el.locator('[data-testid="device-menu"]');
  await menu.waitFor({ state: 'visible' });
  // The capabilities answer decides the buttons: wait until none says it is still checking.
  await page.waitForFunction((id) => {
    const m = [...document.querySelectorAll(`[data-device-id="${id}"] [data-testid="device-menu"]`)].find((x) => x.offsetParent !== null);
    return m && ![...m.querySelectorAll('[data-testid="action-reason"]')].some((r) => r.offsetParent !== null && /Checking/.test(r.textContent));
  }, id, { timeout: 10000 });
  return menu;
}

for (const options of STACKS) {
  describe(`devices tab (${options.mode} mode, ${options.db})`, () => {
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

    test('lists the devices, renames one, and revokes with a confirmation naming what goes', async () => {
      await sim(stack, 'POST', '/__sim/devices/bt-desk-1/register', { username: 'acme-dental', friendly_name: 'BT desk', os: 'windows' });
      const seeded = (await simDevices(stack, 'acme-dental')).filter((d) => d.device_id !== 'bt-desk-1');

      const page = await stack.loginAs(browser, 'alice@example.com', 'demo-alice');
      await openDevices(stack, page, 101);
      const rows = page.locator('[data-testid="device-row"]');
      assert.equal(await rows.count(), seeded.length + 1);
      const desk = deviceEl(page, 'bt-desk-1');
      assert.equal(await desk.locator('[data-testid="device-name"]').innerText(), 'BT desk');
      assert.equal(await desk.getAttribute('data-online'), 'true');
      assert.match(await desk.innerText(), /Windows 11 Pro/);
      assert.equal(await page.locator('[data-testid="devices-cards"]').isVisible(), false, 'cards are for phones');

      // Rename inline: the simulator's profile holds the new name.
      await (await openMenu(page, 'bt-desk-1')).locator('[data-action="rename"]').click();
      const input = desk.locator('[data-rename-input]');
      await input.fill('Reception <b>PC</b>');
      await input.press('Enter');
      await desk.locator('[data-testid="device-name"]').filter({ hasText: 'Reception <b>PC</b>' }).waitFor({ timeout: 10000 });
      const renamed = (await simDevices(stack, 'acme-dental')).find((d) => d.device_id === 'bt-desk-1');
      assert.equal(renamed.friendly_name, 'Reception <b>PC</b>');

      // Revoke asks first, naming the device, and then it is gone here and on the simulator.
      await (await openMenu(page, 'bt-desk-1')).locator('[data-action="revoke"]').click();
      const confirm = page.locator('[data-testid="confirm"]');
      await confirm.waitFor({ state: 'visible' });
      const asked = await confirm.innerText();
      assert.match(asked, /Reception <b>PC<\/b>/);
      assert.match(asked, /retention/);
      await confirm.locator('button', { hasText: 'Revoke device' }).click();
      await page.locator('[data-device-id="bt-desk-1"]').first().waitFor({ state: 'detached', timeout: 10000 });
      assert.equal((await simDevices(stack, 'acme-dental')).some((d) => d.device_id === 'bt-desk-1'), false);
      assert.deepEqual(page.consoleErrors, [], 'the browser console reported errors');
      await page.context().close();
    });

    test('refused actions stay visible, disabled, with their reason', async () => {
      const seeded = await simDevices(stack, 'acme-dental');
      const off = seeded[seeded.length - 1].device_id;
      await sim(stack, 'POST', `/__sim/devices/${off}/offline?username=acme-dental`);
      const page = await stack.loginAs(browser, 'alice@example.com', 'demo-alice');
      await openDevices(stack, page, 101);
      await page.waitForFunction((id) => document.querySelector(`[data-device-id="${id}"]`)?.dataset.online === 'false', off, { timeout: 20000 });
      const menu = await openMenu(page, off);
      const run = menu.locator('[data-action="run"]');
      assert.equal(await run.isDisabled(), true);
      assert.match(await run.innerText(), /offline/);
      assert.equal(await menu.locator('[data-action="rename"]').isDisabled(), false, 'renaming does not need the device');
      assert.deepEqual(page.consoleErrors, [], 'the browser console reported errors');
      await page.context().close();

      // Bob's suspended service: every action is refused as read-only.
      const bob = await stack.loginAs(browser, 'bob@example.com', 'demo-bob');
      await openDevices(stack, bob, 202);
      const first = bob.locator('[data-testid="device-row"]').first();
      if (await first.count()) {
        const id = await first.getAttribute('data-device-id');
        const m = await openMenu(bob, id);
        assert.equal(await m.locator('[data-action="rename"]').isDisabled(), true);
        assert.match(await m.locator('[data-action="rename"]').innerText(), /suspended/i);
      }
      assert.deepEqual(bob.consoleErrors, [], 'the browser console reported errors');
      await bob.context().close();
    });

    test('at 390 px the devices are cards and nothing scrolls sideways', async () => {
      const page = await stack.loginAs(browser, 'alice@example.com', 'demo-alice', { width: 390, height: 844 });
      await openDevices(stack, page, 101);
      assert.equal(await page.locator('[data-testid="devices-table"]').isVisible(), false);
      assert.ok(await page.locator('[data-testid="device-card"]:visible').count() > 0);
      const first = await page.locator('[data-testid="device-card"]:visible').first().getAttribute('data-device-id');
      await openMenu(page, first);
      assert.ok(await sidewaysOverflow(page) <= 1, 'the page scrolls sideways on a phone');
      assert.deepEqual(page.consoleErrors, [], 'the browser console reported errors');
      await page.context().close();
    });
  });
}
