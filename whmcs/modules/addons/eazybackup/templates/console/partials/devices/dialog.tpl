{* The device action dialog: run a backup now (a schedule, or an item to a vault with one-off
   options), push the current password, uninstall the client (optionally removing its settings). *}
<div x-show="dialog.open" x-cloak class="fixed inset-0 z-50 flex items-end justify-center bg-slate-900/40 p-4 sm:items-center" x-on:keydown.escape.stop="closeDialog()" data-testid="device-dialog" :data-kind="dialog.kind">
  <form class="w-full max-w-md rounded-2xl bg-white p-5 shadow-xl ring-1 ring-slate-200" role="dialog" aria-modal="true" aria-labelledby="eb-device-dialog-title" x-on:submit.prevent="submitDialog()">
    <h2 id="eb-device-dialog-title" class="text-lg font-semibold text-slate-900" x-text="dialog.open ? dialogTitle() : ''"></h2>

    <div x-show="dialog.kind === 'run'" class="mt-4 space-y-3 text-sm">
      <p x-show="dialog.loading" class="text-slate-500">{$eb_lang.devices_loading_one|escape}</p>
      <fieldset x-show="!dialog.loading" class="space-y-2">
        <legend class="sr-only">{$eb_lang.devices_run_what|escape}</legend>
        <label class="flex items-center gap-2"><input type="radio" value="rule" x-model="dialog.mode" x-ref="runFirst" :disabled="dialogRules().length === 0"> <span>{$eb_lang.devices_run_rule|escape}</span></label>
        <select x-show="dialog.mode === 'rule'" x-model="dialog.rule" class="w-full rounded-lg border border-slate-300 px-2 py-1.5" :aria-label="t('devices_run_rule')" data-testid="run-rule">
          <template x-for="r in dialogRules()" :key="r.rule_id"><option :value="r.rule_id" x-text="r.label"></option></template>
        </select>
        <label class="flex items-center gap-2"><input type="radio" value="custom" x-model="dialog.mode"> <span>{$eb_lang.devices_run_custom|escape}</span></label>
        <div x-show="dialog.mode === 'custom'" class="space-y-2">
          <label class="block"><span class="text-xs text-slate-500">{$eb_lang.devices_run_item|escape}</span>
            <select x-model="dialog.item" class="mt-0.5 w-full rounded-lg border border-slate-300 px-2 py-1.5" data-testid="run-item">
              <template x-for="i in dialog.items" :key="i.item_id"><option :value="i.item_id" x-text="i.name"></option></template>
            </select></label>
          <label class="block"><span class="text-xs text-slate-500">{$eb_lang.devices_run_vault|escape}</span>
            <select x-model="dialog.vault" class="mt-0.5 w-full rounded-lg border border-slate-300 px-2 py-1.5" data-testid="run-vault">
              <template x-for="v in dialog.vaults" :key="v.vault_id"><option :value="v.vault_id" x-text="v.name"></option></template>
            </select></label>
          <div class="grid grid-cols-2 gap-2">
            <label class="block"><span class="text-xs text-slate-500">{$eb_lang.devices_run_stop_after|escape}</span>
              <input type="number" min="0" step="0.5" x-model="dialog.options.stop_after_hours" class="mt-0.5 w-full rounded-lg border border-slate-300 px-2 py-1.5"></label>
            <label class="block"><span class="text-xs text-slate-500">{$eb_lang.devices_run_log_level|escape}</span>
              <select x-model="dialog.options.log_level" class="mt-0.5 w-full rounded-lg border border-slate-300 px-2 py-1.5">
                <option value="">{$eb_lang.devices_run_log_default|escape}</option><option value="DEBUG">DEBUG</option><option value="INFO">INFO</option><option value="WARNING">WARNING</option><option value="ERROR">ERROR</option>
              </select></label>
          </div>
        </div>
      </fieldset>
    </div>

    <div x-show="dialog.kind === 'password'" class="mt-4 space-y-2 text-sm">
      <p class="text-slate-600">{$eb_lang.devices_password_help|escape}</p>
      <label class="block"><span class="text-xs text-slate-500">{$eb_lang.devices_password_label|escape}</span>
        <input type="password" autocomplete="current-password" x-model="dialog.password" x-ref="passwordFirst" data-testid="push-password"
               class="mt-0.5 w-full rounded-lg border px-2 py-1.5" :class="dialog.field === 'password' ? 'border-rose-400' : 'border-slate-300'"></label>
    </div>

    <div x-show="dialog.kind === 'uninstall'" class="mt-4 space-y-2 text-sm">
      <p class="text-slate-600">{$eb_lang.devices_uninstall_help|escape}</p>
      <label class="flex items-start gap-2"><input type="checkbox" class="mt-0.5" x-model="dialog.removeConfig" x-ref="uninstallFirst" data-testid="remove-config"> <span>{$eb_lang.devices_uninstall_remove_config|escape}</span></label>
    </div>

    <p x-show="dialog.error" class="mt-3 rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-800" role="alert" data-testid="dialog-error" x-text="dialog.error"></p>
    <div class="mt-5 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
      <button type="button" class="rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50" x-on:click="closeDialog()">{$eb_lang.confirm_cancel|escape}</button>
      <button type="submit" class="rounded-lg px-4 py-2 text-sm font-medium text-white disabled:opacity-50" :class="dialog.kind === 'uninstall' ? 'bg-rose-600 hover:bg-rose-700' : 'bg-sky-600 hover:bg-sky-700'"
              :disabled="dialog.busy || dialog.loading" data-testid="dialog-submit" x-text="t('devices_submit_' + dialog.kind)"></button>
    </div>
  </form>
</div>
