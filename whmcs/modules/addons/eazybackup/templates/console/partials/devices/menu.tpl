{* A device's action menu: every action, a refused one disabled with its reason (from
   /capabilities?device_id=, or the device being offline). Inside `x-for="d in devices()"`. *}
<div class="relative inline-block text-left" data-menu-root>
  <button type="button" class="inline-flex items-center gap-1 rounded-lg border border-slate-200 bg-white px-2.5 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50"
          :aria-expanded="menuFor === d.device_id ? 'true' : 'false'" aria-haspopup="true" data-testid="device-actions" :disabled="isBusy(d)"
          x-on:click="toggleMenu(d.device_id)">
    <span>{$eb_lang.devices_actions|escape}</span>
    <svg viewBox="0 0 20 20" fill="currentColor" class="h-4 w-4" aria-hidden="true"><path fill-rule="evenodd" d="M5.2 7.2a.75.75 0 011.06 0L10 10.94l3.74-3.74a.75.75 0 111.06 1.06l-4.27 4.27a.75.75 0 01-1.06 0L5.2 8.26a.75.75 0 010-1.06z" clip-rule="evenodd"/></svg>
  </button>
  <div x-show="menuFor === d.device_id" x-cloak class="absolute right-0 z-30 mt-1 w-72 max-w-[calc(100vw-2rem)] rounded-xl bg-white p-1 text-left shadow-lg ring-1 ring-slate-200" role="menu" data-testid="device-menu">
    <template x-for="a in actions" :key="a.id">
      <button type="button" role="menuitem" class="block w-full rounded-lg px-3 py-2 text-left text-sm enabled:hover:bg-slate-50 disabled:cursor-not-allowed"
              :class="refusal(d, a) ? 'text-slate-400' : (a.id === 'revoke' || a.id === 'uninstall' || a.id === 'kill' ? 'text-rose-700' : 'text-slate-800')"
              :disabled="refusal(d, a) !== null" :aria-disabled="refusal(d, a) !== null ? 'true' : 'false'" :data-action="a.id"
              :title="refusal(d, a) || ''" x-on:click="run(d, a)">
        <span class="block font-medium" x-text="actionLabel(a)"></span>
        <span x-show="refusal(d, a)" class="block text-xs text-slate-500" data-testid="action-reason" x-text="refusal(d, a)"></span>
      </button>
    </template>
  </div>
</div>
