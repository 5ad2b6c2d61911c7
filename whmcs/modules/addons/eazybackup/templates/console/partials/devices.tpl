{* The Devices tab (components/devices.js): every registered device of the account, live; a table on
   wide screens and cards on phones; inline rename; an action menu whose refused actions stay
   visible with their reason; a detail drawer; a dialog for actions that need input. Comet-controlled
   text (device, item, rule and vault names) is bound with x-text only. *}
<div x-data="devicesTab({$eb_service.service_id|escape})" :data-state="state" data-testid="devices" class="space-y-4" x-on:keydown.escape="closeMenu()"
     x-on:click="if (!$event.target.closest('[data-menu-root]')) { closeMenu() }">

  <div class="flex flex-wrap items-center justify-between gap-2">
    <p class="text-sm text-slate-600" x-show="state === 'ready'" x-cloak data-testid="devices-summary" x-text="summaryText()"></p>
    <span class="inline-flex items-center gap-1.5 text-xs font-medium" :class="live === 'live' ? 'text-emerald-700' : 'text-amber-700'" :data-state="live" data-testid="devices-live" role="status">
      <span class="h-2 w-2 rounded-full" :class="live === 'live' ? 'bg-emerald-500' : 'bg-amber-500 animate-pulse'" aria-hidden="true"></span>
      <span x-show="live === 'live'">{$eb_lang.pulse_live|escape}</span>
      <span x-show="live === 'reconnecting'" x-cloak>{$eb_lang.pulse_reconnecting|escape}</span>
      <span x-show="live === 'connecting'" x-cloak>{$eb_lang.pulse_connecting|escape}</span>
    </span>
  </div>

  <div x-show="cometDown()" x-cloak class="rounded-xl border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900" role="alert" data-testid="devices-comet-down">
    <p class="font-medium">{$eb_lang.devices_comet_down|escape}</p>
    <p class="mt-0.5 text-amber-800" x-show="cometMessage()" x-text="cometMessage()"></p>
  </div>
  {include file="../../shared/state.tpl" kind="error" when="error !== ''" message="error" retry="retry()"}
  {include file="../../shared/state.tpl" kind="loading" when="state === 'loading'" text=$eb_lang.devices_loading}
  {include file="../../shared/state.tpl" kind="empty" when="state === 'ready' && devices().length === 0" text=$eb_lang.devices_empty}

  {* Wide screens: a table. *}
  <div x-show="state === 'ready' && devices().length > 0" x-cloak class="hidden overflow-visible rounded-2xl bg-white shadow-sm ring-1 ring-slate-200 md:block">
    <table class="w-full text-left text-sm" data-testid="devices-table">
      <thead class="border-b border-slate-200 text-xs font-medium uppercase tracking-wide text-slate-500">
        <tr>
          <th scope="col" class="px-4 py-3">{$eb_lang.devices_col_name|escape}</th>
          <th scope="col" class="px-4 py-3">{$eb_lang.devices_col_os|escape}</th>
          <th scope="col" class="px-4 py-3">{$eb_lang.devices_col_version|escape}</th>
          <th scope="col" class="px-4 py-3">{$eb_lang.devices_col_last|escape}</th>
          <th scope="col" class="px-4 py-3 text-right">{$eb_lang.devices_col_items|escape}</th>
          <th scope="col" class="px-4 py-3"><span class="sr-only">{$eb_lang.devices_col_actions|escape}</span></th>
        </tr>
      </thead>
      <tbody class="divide-y divide-slate-100">
        <template x-for="d in devices()" :key="d.device_id">
          <tr data-testid="device-row" :data-device-id="d.device_id" :data-online="d.online ? 'true' : 'false'" class="align-top">
            <td class="max-w-xs px-4 py-3">
              {include file="./devices/name.tpl"}
            </td>
            <td class="px-4 py-3">
              <p class="text-slate-800" x-text="osText(d)"></p>
              <p class="text-xs text-slate-500" x-text="archText(d)"></p>
            </td>
            <td class="px-4 py-3">
              <p class="tabular-nums text-slate-800" data-field="client_version" x-text="versionText(d)"></p>
              <p x-show="d.update_available" class="mt-0.5 inline-flex rounded-full bg-sky-100 px-2 py-0.5 text-xs font-medium text-sky-800" data-testid="update-available">{$eb_lang.devices_update_available|escape}</p>
            </td>
            <td class="px-4 py-3">
              {include file="./devices/last.tpl"}
            </td>
            <td class="px-4 py-3 text-right">
              <p class="tabular-nums text-slate-800" data-field="items" x-text="itemsText(d)"></p>
              <p class="text-xs tabular-nums text-slate-500" x-text="storageText(d)"></p>
            </td>
            <td class="px-4 py-3 text-right">
              {include file="./devices/menu.tpl"}
            </td>
          </tr>
        </template>
      </tbody>
    </table>
  </div>

  {* Phones: cards. *}
  <ul x-show="state === 'ready' && devices().length > 0" x-cloak class="space-y-3 md:hidden" data-testid="devices-cards">
    <template x-for="d in devices()" :key="d.device_id">
      <li class="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="device-card" :data-device-id="d.device_id" :data-online="d.online ? 'true' : 'false'">
        <div class="flex items-start justify-between gap-3">
          <div class="min-w-0 flex-1">{include file="./devices/name.tpl"}</div>
          {include file="./devices/menu.tpl"}
        </div>
        <dl class="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 text-sm">
          <div class="min-w-0"><dt class="text-xs text-slate-500">{$eb_lang.devices_col_os|escape}</dt><dd class="truncate text-slate-800" x-text="osText(d)"></dd></div>
          <div class="min-w-0"><dt class="text-xs text-slate-500">{$eb_lang.devices_col_version|escape}</dt>
            <dd class="text-slate-800"><span class="tabular-nums" x-text="versionText(d)"></span>
              <span x-show="d.update_available" class="ml-1 rounded-full bg-sky-100 px-1.5 py-0.5 text-xs font-medium text-sky-800">{$eb_lang.devices_update_available|escape}</span></dd></div>
          <div class="col-span-2 min-w-0"><dt class="text-xs text-slate-500">{$eb_lang.devices_col_last|escape}</dt><dd>{include file="./devices/last.tpl"}</dd></div>
          <div><dt class="text-xs text-slate-500">{$eb_lang.devices_col_items|escape}</dt><dd class="tabular-nums text-slate-800" x-text="itemsText(d) + ' · ' + storageText(d)"></dd></div>
          <div><dt class="text-xs text-slate-500">{$eb_lang.devices_registered|escape}</dt><dd class="text-slate-800" x-text="registeredText(d)"></dd></div>
        </dl>
      </li>
    </template>
  </ul>

  {include file="./devices/drawer.tpl"}
  {include file="./devices/dialog.tpl"}
</div>
