{* The device drawer: one device's page — state, details, live connection, items with their
   schedules, recent jobs, and the same actions as the menu. *}
<div x-show="drawer.open" x-cloak class="fixed inset-0 z-40 flex justify-end bg-slate-900/30" x-on:keydown.escape.window="drawer.open && closeDrawer()" x-on:click.self="closeDrawer()" data-testid="device-drawer">
  <section class="flex h-full w-full max-w-xl flex-col overflow-y-auto bg-white shadow-xl" role="dialog" aria-modal="true" aria-labelledby="eb-device-title" :data-device-id="drawer.id">
    <header class="sticky top-0 z-10 flex items-start justify-between gap-3 border-b border-slate-200 bg-white px-4 py-3 sm:px-5">
      <div class="min-w-0">
        <h2 id="eb-device-title" class="truncate text-lg font-semibold text-slate-900" x-text="displayName(drawerLive())"></h2>
        <p class="text-xs" :class="drawerLive().online ? 'text-emerald-700' : 'text-slate-500'" data-testid="drawer-online" x-text="drawerLive().online ? t('devices_online') : t('devices_offline')"></p>
      </div>
      <button type="button" x-ref="drawerClose" class="rounded-lg p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-700" x-on:click="closeDrawer()" :aria-label="t('devices_close')">
        <svg viewBox="0 0 20 20" fill="currentColor" class="h-5 w-5" aria-hidden="true"><path d="M6.28 5.22a.75.75 0 00-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 101.06 1.06L10 11.06l3.72 3.72a.75.75 0 101.06-1.06L11.06 10l3.72-3.72a.75.75 0 00-1.06-1.06L10 8.94 6.28 5.22z"/></svg>
      </button>
    </header>
    <div class="space-y-5 px-4 py-4 sm:px-5">
      {include file="../../../shared/state.tpl" kind="loading" when="drawer.state === 'loading'" text=$eb_lang.devices_loading_one}
      {include file="../../../shared/state.tpl" kind="error" when="drawer.error !== ''" message="drawer.error" retry="loadDetail(drawer.id, false)"}
      <template x-if="drawer.state === 'ready' && drawer.data">
        <div class="space-y-5">
          <div class="flex flex-wrap gap-2" data-testid="drawer-actions">
            <template x-for="a in actions" :key="a.id">
              <button type="button" class="rounded-lg border px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-50"
                      :class="a.id === 'revoke' || a.id === 'uninstall' || a.id === 'kill' ? 'border-rose-200 text-rose-700 enabled:hover:bg-rose-50' : 'border-slate-200 text-slate-700 enabled:hover:bg-slate-50'"
                      :disabled="refusal(drawerLive(), a) !== null" :title="refusal(drawerLive(), a) || ''" :data-action="a.id"
                      x-on:click="run(drawerLive(), a)" x-text="actionLabel(a)"></button>
            </template>
          </div>
          <p x-show="!drawerLive().online" class="rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-600" data-testid="drawer-offline-note">{$eb_lang.devices_offline_reason|escape}</p>

          <dl class="grid grid-cols-2 gap-x-4 gap-y-3 text-sm">
            <div class="min-w-0"><dt class="text-xs text-slate-500">{$eb_lang.devices_col_os|escape}</dt><dd class="text-slate-800" x-text="osText(drawerDevice())"></dd></div>
            <div class="min-w-0"><dt class="text-xs text-slate-500">{$eb_lang.devices_arch|escape}</dt><dd class="text-slate-800" x-text="archText(drawerDevice()) || '—'"></dd></div>
            <div class="min-w-0"><dt class="text-xs text-slate-500">{$eb_lang.devices_col_version|escape}</dt>
              <dd class="text-slate-800"><span class="tabular-nums" x-text="versionText(drawerDevice())"></span>
                <span x-show="drawerDevice().update_available" class="ml-1 rounded-full bg-sky-100 px-1.5 py-0.5 text-xs font-medium text-sky-800">{$eb_lang.devices_update_available|escape}</span></dd></div>
            <div class="min-w-0"><dt class="text-xs text-slate-500">{$eb_lang.devices_registered|escape}</dt><dd class="text-slate-800" x-text="registeredText(drawerDevice())"></dd></div>
            <div class="min-w-0"><dt class="text-xs text-slate-500">{$eb_lang.devices_time_zone|escape}</dt><dd class="break-words text-slate-800" x-text="drawerDevice().time_zone || '—'"></dd></div>
            <div class="min-w-0"><dt class="text-xs text-slate-500">{$eb_lang.devices_storage|escape}</dt><dd class="tabular-nums text-slate-800" x-text="storageText(drawerDevice())"></dd></div>
          </dl>

          <section aria-labelledby="eb-device-conn">
            <h3 id="eb-device-conn" class="text-sm font-semibold text-slate-900">{$eb_lang.devices_connection|escape}</h3>
            <template x-if="drawerConnection()">
              <dl class="mt-2 grid grid-cols-2 gap-x-4 gap-y-2 text-sm" data-testid="drawer-connection">
                <div><dt class="text-xs text-slate-500">{$eb_lang.devices_connected_since|escape}</dt><dd class="text-slate-800" x-text="formatWhen(drawerConnection().connected_at)"></dd></div>
                <div class="min-w-0"><dt class="text-xs text-slate-500">{$eb_lang.devices_ip|escape}</dt><dd class="break-all text-slate-800" x-text="drawerConnection().ip_address || '—'"></dd></div>
                <div class="min-w-0"><dt class="text-xs text-slate-500">{$eb_lang.devices_reported|escape}</dt><dd class="break-words text-slate-800" x-text="drawerConnection().reported_version + ' · ' + drawerConnection().reported_platform"></dd></div>
                <div><dt class="text-xs text-slate-500">{$eb_lang.devices_filenames|escape}</dt><dd class="text-slate-800" x-text="drawerConnection().allows_filenames ? t('devices_yes') : t('devices_no')"></dd></div>
              </dl>
            </template>
            <p x-show="!drawerConnection()" class="mt-2 text-sm text-slate-500">{$eb_lang.devices_not_connected|escape}</p>
          </section>

          <section aria-labelledby="eb-device-items">
            <h3 id="eb-device-items" class="text-sm font-semibold text-slate-900">{$eb_lang.devices_items|escape}</h3>
            <ul class="mt-2 divide-y divide-slate-100 rounded-xl ring-1 ring-slate-200" data-testid="drawer-items">
              <template x-for="item in drawerItems()" :key="item.item_id">
                <li class="px-3 py-2 text-sm">
                  <div class="flex items-baseline justify-between gap-3">
                    <span class="min-w-0 truncate font-medium text-slate-800" x-text="item.name"></span>
                    <span class="shrink-0 tabular-nums text-xs text-slate-500" x-text="formatBytes(item.size_bytes)"></span>
                  </div>
                  <p class="text-xs text-slate-500" x-text="item.engine_label"></p>
                  <p class="mt-0.5 break-words text-xs text-slate-600" x-text="rulesText(item)"></p>
                </li>
              </template>
              <li x-show="drawerItems().length === 0" class="px-3 py-2 text-sm text-slate-500">{$eb_lang.devices_no_items|escape}</li>
            </ul>
          </section>

          <section aria-labelledby="eb-device-jobs">
            <h3 id="eb-device-jobs" class="text-sm font-semibold text-slate-900">{$eb_lang.devices_jobs|escape}</h3>
            <ul class="mt-2 divide-y divide-slate-100 rounded-xl ring-1 ring-slate-200" data-testid="drawer-jobs">
              <template x-for="job in drawerJobs()" :key="job.job_id">
                <li class="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm" :data-job-id="job.job_id">
                  <div class="min-w-0">
                    <p class="truncate text-slate-800"><span x-text="job.classification_label"></span> · <span x-text="itemName(job.item_id)"></span></p>
                    <p class="text-xs text-slate-500" x-text="formatWhen(job.started_at)"></p>
                  </div>
                  <span class="inline-flex shrink-0 rounded-full px-2 py-0.5 text-xs font-medium" :class="badgeClass(job.status_class)" x-text="job.status_label"></span>
                </li>
              </template>
              <li x-show="drawerJobs().length === 0" class="px-3 py-2 text-sm text-slate-500">{$eb_lang.devices_no_jobs|escape}</li>
            </ul>
          </section>
        </div>
      </template>
    </div>
  </section>
</div>
