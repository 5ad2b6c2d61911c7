{* One device's name cell (table and card): online state, the name as a button opening the drawer,
   a running-job note, and the inline rename form. Inside `x-for="d in devices()"`. *}
<div x-show="renaming !== d.device_id" class="flex min-w-0 items-center gap-2">
  <span class="h-2.5 w-2.5 shrink-0 rounded-full" :class="d.online ? 'bg-emerald-500' : 'bg-slate-300'" aria-hidden="true"></span>
  <button type="button" class="min-w-0 truncate text-left font-medium text-slate-900 hover:text-sky-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
          data-testid="device-name" x-text="displayName(d)" x-on:click="openDrawer(d)"></button>
</div>
<p class="mt-0.5 text-xs" :class="d.online ? 'text-emerald-700' : 'text-slate-500'" data-testid="device-online" x-text="d.online ? t('devices_online') : t('devices_offline')"></p>
<p x-show="isRunning(d)" x-cloak class="mt-1 inline-flex items-center gap-1.5 rounded-full bg-sky-100 px-2 py-0.5 text-xs font-medium text-sky-800" data-testid="device-running">
  <span class="h-1.5 w-1.5 animate-pulse rounded-full bg-sky-500" aria-hidden="true"></span><span x-text="t('devices_running', { count: d.running_jobs.length })"></span>
</p>
<form x-show="renaming === d.device_id" x-cloak class="space-y-1" x-on:submit.prevent="saveRename(d)" x-on:keydown.escape.stop="cancelRename()" data-testid="rename-form">
  <label class="sr-only" :for="'eb-rename-' + d.device_id">{$eb_lang.devices_rename_label|escape}</label>
  <div class="flex flex-wrap items-center gap-2">
    <input type="text" maxlength="200" data-rename-input :id="'eb-rename-' + d.device_id" x-model="renameValue"
           class="min-w-0 flex-1 rounded-lg border border-slate-300 px-2 py-1 text-sm focus:border-sky-500 focus:outline-none focus:ring-1 focus:ring-sky-500">
    <button type="submit" class="rounded-lg bg-sky-600 px-3 py-1 text-sm font-medium text-white hover:bg-sky-700 disabled:opacity-50" :disabled="isBusy(d)">{$eb_lang.devices_save|escape}</button>
    <button type="button" class="rounded-lg px-2 py-1 text-sm text-slate-600 hover:bg-slate-100" x-on:click="cancelRename()">{$eb_lang.confirm_cancel|escape}</button>
  </div>
  <p x-show="renameError" class="text-xs text-rose-700" role="alert" data-testid="rename-error" x-text="renameError"></p>
</form>
