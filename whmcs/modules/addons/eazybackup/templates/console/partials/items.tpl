{* The Protected items tab (components/items.js) and its wizard (components/item-wizard.js), both
   rendered from the API's answers and the engine catalog. Comet-controlled text (names, paths) is
   bound with x-text only. Words come from lang/english.php through lib/strings.js (t()). *}
<div x-data="itemsTab({$eb_service.service_id|escape})" :data-state="state" data-testid="items" class="space-y-4">
{literal}
  <div class="flex flex-wrap items-center justify-between gap-3">
    <h2 class="text-base font-semibold text-slate-900" x-text="t('tab_items')"></h2>
    <div class="flex items-center gap-2">
      <span x-show="state === 'ready' && !can('items.create')" x-cloak class="text-xs text-slate-500" data-testid="items-create-reason" x-text="why('items.create')"></span>
      <button type="button" class="rounded-lg bg-sky-600 px-3 py-2 text-sm font-medium text-white hover:bg-sky-700 disabled:cursor-not-allowed disabled:opacity-50"
              :disabled="state !== 'ready' || !can('items.create')" :title="why('items.create')" x-on:click="add()" data-testid="items-add" x-text="t('items_add')"></button>
    </div>
  </div>

  <div x-show="state === 'loading'" class="flex items-center gap-3 rounded-xl border border-slate-200 bg-white px-4 py-5 text-sm text-slate-500" role="status" data-state="loading">
    <svg class="h-5 w-5 shrink-0 animate-spin text-sky-500" viewBox="0 0 24 24" fill="none" aria-hidden="true"><circle cx="12" cy="12" r="9" stroke="currentColor" stroke-opacity=".25" stroke-width="3"/><path d="M21 12a9 9 0 00-9-9" stroke="currentColor" stroke-width="3" stroke-linecap="round"/></svg>
    <span x-text="t('items_loading')"></span>
  </div>
  <div x-show="error !== ''" x-cloak class="flex items-start justify-between gap-3 rounded-xl border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-800" role="alert" data-state="error">
    <span x-text="error"></span>
    <button type="button" class="shrink-0 font-medium text-rose-700 underline" x-on:click="retry()" x-text="t('retry')"></button>
  </div>
  <div x-show="state === 'ready' && items.length === 0" x-cloak class="rounded-xl border border-dashed border-slate-200 px-4 py-5 text-sm text-slate-500" data-state="empty" x-text="t('items_empty')"></div>

  <ul x-show="state === 'ready' && items.length > 0" x-cloak class="divide-y divide-slate-100 overflow-hidden rounded-2xl bg-white shadow-sm ring-1 ring-slate-200" data-testid="items-list">
    <template x-for="item in items" :key="item.id">
      <li class="flex flex-col gap-3 p-4 sm:flex-row sm:items-center" data-testid="item-row" :data-item-id="item.id">
        <div class="min-w-0 flex-1">
          <div class="flex flex-wrap items-center gap-2">
            <span class="truncate font-medium text-slate-900" data-field="name" x-text="item.description"></span>
            <span class="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700" data-field="engine" x-text="item.engine_label"></span>
          </div>
          <p class="mt-1 break-words text-sm text-slate-600">
            <span data-field="device" x-text="deviceText(item)"></span>
            <span aria-hidden="true"> → </span>
            <span data-field="vaults" x-text="vaultsText(item)"></span>
          </p>
          <p class="mt-0.5 break-words text-sm text-slate-500" data-field="schedule" x-text="item.schedule_summary"></p>
        </div>
        <div class="flex shrink-0 flex-wrap items-center gap-2">
          <span class="rounded-full px-2 py-0.5 text-xs font-medium" :class="lastClass(item)" data-field="last" x-text="lastText(item)"></span>
          <button type="button" class="rounded-lg border border-slate-200 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50"
                  :disabled="busy === item.id" x-on:click="edit(item)" data-testid="item-edit" x-text="can('items.edit') ? t('items_edit') : t('items_view')"></button>
          <button type="button" class="rounded-lg border border-rose-200 px-3 py-1.5 text-sm font-medium text-rose-700 hover:bg-rose-50 disabled:cursor-not-allowed disabled:opacity-50"
                  :disabled="busy === item.id || !can('items.delete')" :title="why('items.delete')" x-on:click="remove(item)" data-testid="item-delete" x-text="t('items_delete')"></button>
        </div>
      </li>
    </template>
  </ul>

  <!-- The wizard -->
  <div x-data="itemWizard" x-show="open" x-cloak class="fixed inset-0 z-40 flex items-stretch justify-center bg-slate-900/40 sm:items-center sm:p-4"
       x-on:keydown.escape="close()" data-testid="item-wizard" :data-step="step">
    <div class="flex max-h-full w-full max-w-3xl flex-col overflow-hidden bg-white shadow-xl ring-1 ring-slate-200 sm:rounded-2xl" role="dialog" aria-modal="true" aria-labelledby="eb-wiz-title">
      <div class="flex items-center justify-between gap-3 border-b border-slate-100 px-4 py-3 sm:px-5">
        <h2 id="eb-wiz-title" x-ref="heading" tabindex="-1" class="min-w-0 truncate text-lg font-semibold text-slate-900 focus:outline-none"
            x-text="mode === 'edit' ? t('items_wizard_edit', { name: form ? form.description : '' }) : t('items_wizard_new')"></h2>
        <button type="button" class="rounded-lg px-2 py-1 text-slate-500 hover:bg-slate-100" x-on:click="close()" :aria-label="t('items_close')">✕</button>
      </div>
      <nav class="flex gap-1 overflow-x-auto border-b border-slate-100 px-4 py-2 text-sm sm:px-5" :aria-label="t('items_steps')">
        <template x-for="s in steps()" :key="s">
          <button type="button" class="whitespace-nowrap rounded-lg px-3 py-1.5 font-medium" :class="step === s ? 'bg-sky-50 text-sky-700' : 'text-slate-600 hover:bg-slate-50'"
                  :aria-current="step === s ? 'step' : null" :disabled="!engine && s !== 'engine'" x-on:click="go(s)" :data-testid="'wizard-step-' + s" x-text="stepLabel(s)"></button>
        </template>
      </nav>

      <div class="flex-1 space-y-4 overflow-y-auto px-4 py-4 sm:px-5">
        <p x-show="notice" x-cloak class="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" role="status" data-testid="wizard-notice" x-text="notice"></p>
        <p x-show="error" x-cloak class="rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800" role="alert" data-testid="wizard-error" x-text="error"></p>

        <!-- 1. engine -->
        <div x-show="step === 'engine'" class="grid grid-cols-1 gap-2 sm:grid-cols-2" data-testid="wizard-engines">
          <template x-for="e in catalog.engines" :key="e.id">
            <button type="button" class="rounded-xl border border-slate-200 p-3 text-left hover:border-sky-300 hover:bg-sky-50 disabled:cursor-not-allowed disabled:opacity-60"
                    :disabled="!!e.deprecated" x-on:click="chooseEngine(e)" data-testid="wizard-engine" :data-engine="e.id">
              <span class="block font-medium text-slate-900" x-text="e.label"></span>
              <span x-show="e.deprecated" class="mt-1 block text-xs text-slate-500" x-text="e.deprecated"></span>
            </button>
          </template>
        </div>

        <!-- 2. device, name, engine options -->
        <div x-show="step === 'settings' && form" class="space-y-4" data-testid="wizard-settings">
          <template x-if="form">
            <div class="grid grid-cols-1 gap-3 sm:grid-cols-2">
              <label class="block text-sm">
                <span class="font-medium text-slate-700" x-text="t('items_field_name')"></span>
                <input type="text" class="mt-1 w-full rounded-lg border-slate-300 text-sm" :class="hasError('description') && 'border-rose-400'" x-model="form.description" data-testid="wizard-name">
              </label>
              <label class="block text-sm">
                <span class="font-medium text-slate-700" x-text="t('items_field_device')"></span>
                <select class="mt-1 w-full rounded-lg border-slate-300 text-sm" x-model="form.device_id" :disabled="mode === 'edit'" data-testid="wizard-device">
                  <template x-for="d in devices" :key="d.id"><option :value="d.id" x-text="d.name + (d.online ? '' : ' (' + t('items_offline') + ')')" :selected="d.id === form.device_id"></option></template>
                </select>
              </label>
            </div>
          </template>
          <p x-show="engine && !engine.keys_documented" class="text-xs text-slate-500" x-text="t('items_keys_undocumented')"></p>
          <p x-show="engine && engine.options.length === 0" class="text-sm text-slate-600" x-text="t('items_no_options')"></p>

          <template x-for="o in visibleOptions('single')" :key="o.key">
            <div class="text-sm" :data-option="o.key">
              <template x-if="o.kind === 'flag'">
                <label class="flex items-start gap-2"><input type="checkbox" class="mt-0.5 rounded border-slate-300" x-model="settings[o.key]"><span class="text-slate-700" x-text="o.label"></span></label>
              </template>
              <template x-if="(o.kind === 'select' || o.kind === 'exclusive_flags') && !o.write_only">
                <label class="block"><span class="font-medium text-slate-700" x-text="o.label"></span>
                  <select class="mt-1 w-full rounded-lg border-slate-300 text-sm" x-model="settings[o.key]">
                    <template x-for="c in o.choices" :key="c.value"><option :value="c.value" x-text="c.label" :selected="c.value === settings[o.key]"></option></template>
                  </select></label>
              </template>
              <template x-if="(o.kind === 'text' || o.kind === 'number') && !o.write_only">
                <label class="block"><span class="font-medium text-slate-700" x-text="o.label + (o.required ? ' *' : '')"></span>
                  <input :type="o.kind === 'number' ? 'text' : 'text'" :inputmode="o.kind === 'number' ? 'numeric' : null" class="mt-1 w-full rounded-lg border-slate-300 text-sm"
                         :class="hasError(o.key) && 'border-rose-400'" x-model="settings[o.key]" :required="o.required"></label>
              </template>
              <template x-if="o.write_only && o.kind !== 'pattern_list'">
                <label class="block"><span class="font-medium text-slate-700" x-text="o.label"></span>
                  <input type="password" autocomplete="new-password" class="mt-1 w-full rounded-lg border-slate-300 text-sm" x-model="writeOnly[o.key].value"
                         :placeholder="writeOnly[o.key].set ? t('items_secret_set') : ''">
                  <span x-show="writeOnly[o.key].set" class="mt-1 flex items-center gap-2 text-xs text-slate-500"><input type="checkbox" class="rounded border-slate-300" x-model="writeOnly[o.key].clear"><span x-text="t('items_secret_clear')"></span></span></label>
              </template>
              <template x-if="o.kind === 'pattern_list' && !o.write_only">
                <div><span class="font-medium text-slate-700" x-text="o.label"></span>
                  <ul class="mt-1 space-y-1"><template x-for="(p, i) in settings[o.key]" :key="i"><li class="break-all text-slate-600" x-text="(p.TopDirectory || '') + ' · ' + (p.Value || '')"></li></template></ul>
                  <p x-show="!settings[o.key] || settings[o.key].length === 0" class="text-xs text-slate-500" x-text="t('items_none')"></p></div>
              </template>
              <template x-if="o.kind === 'pattern_list' && o.write_only">
                <p class="text-slate-600"><span class="font-medium text-slate-700" x-text="o.label"></span>: <span x-text="writeOnly[o.key].set ? t('items_secret_set') : t('items_none')"></span></p>
              </template>
              <p x-show="o.help" class="mt-1 text-xs text-slate-500" x-text="o.help"></p>
            </div>
          </template>

          <template x-for="o in visibleOptions('list')" :key="o.key">
            <fieldset class="rounded-xl border border-slate-200 p-3 text-sm" :data-option="o.key" :class="hasError(o.key) && 'border-rose-400'">
              <legend class="px-1 font-medium text-slate-700" x-text="o.label + (o.required ? ' *' : '')"></legend>
              <ul class="space-y-1" data-testid="option-values">
                <template x-for="(v, i) in settings[o.key]" :key="v">
                  <li class="flex items-center justify-between gap-2 rounded-lg bg-slate-50 px-2 py-1">
                    <span class="min-w-0 break-all text-slate-800" data-testid="option-value" x-text="v"></span>
                    <button type="button" class="shrink-0 text-xs text-rose-700 underline" x-on:click="removeValue(o.key, i)" x-text="t('items_remove')"></button>
                  </li>
                </template>
              </ul>
              <div class="mt-2 flex flex-col gap-2 sm:flex-row">
                <input type="text" class="min-w-0 flex-1 rounded-lg border-slate-300 text-sm" x-model="newValue[o.key]" x-on:keydown.enter.prevent="addValue(o.key)" :aria-label="o.label" :data-testid="'option-input-' + o.key">
                <div class="flex gap-2">
                  <button type="button" class="rounded-lg border border-slate-200 px-3 py-1.5 font-medium text-slate-700 hover:bg-slate-50" x-on:click="addValue(o.key)" x-text="t('items_add_value')"></button>
                  <button type="button" x-show="canBrowse(o)" class="rounded-lg border border-sky-200 px-3 py-1.5 font-medium text-sky-700 hover:bg-sky-50" x-on:click="openBrowse(o)" :data-testid="'browse-' + o.key" x-text="t('items_browse')"></button>
                </div>
              </div>
              <p x-show="o.browse && !canBrowse(o)" class="mt-1 text-xs text-slate-500" x-text="t('items_browse_later')"></p>
              <p x-show="o.help" class="mt-1 text-xs text-slate-500" x-text="o.help"></p>

              <!-- live browse of this option -->
              <template x-if="browse.key === o.key">
              <div class="mt-3 rounded-lg border border-sky-100 bg-sky-50/40 p-2" data-testid="browser">
                <div class="flex items-center justify-between gap-2 text-xs">
                  <span class="min-w-0 truncate font-medium text-slate-700" data-testid="browser-path" x-text="browse.path || t('items_browse_roots')"></span>
                  <span class="flex shrink-0 gap-2">
                    <button type="button" x-show="browse.path" class="text-sky-700 underline" x-on:click="browseUp()" x-text="t('items_browse_up')"></button>
                    <button type="button" class="text-slate-600 underline" x-on:click="resetBrowse()" x-text="t('items_close')"></button>
                  </span>
                </div>
                <p x-show="browse.loading" class="py-2 text-xs text-slate-500" role="status" x-text="t('items_browse_loading')"></p>
                <p x-show="browse.error" class="py-2 text-xs text-rose-700" role="alert" x-text="browse.error"></p>
                <ul x-show="!browse.loading" class="mt-1 max-h-64 space-y-0.5 overflow-y-auto">
                  <template x-for="entry in browse.entries" :key="entry.value">
                    <li class="flex items-center gap-2 rounded px-1 py-0.5 hover:bg-white" data-testid="browse-entry" :data-value="entry.value" :data-container="entry.container ? 'true' : 'false'">
                      <input type="checkbox" class="rounded border-slate-300" :checked="picked(entry)" x-on:change="togglePick(entry)" :aria-label="entry.name" data-testid="browse-pick">
                      <button type="button" x-show="entry.container" class="min-w-0 flex-1 truncate text-left text-sky-800 hover:underline" x-on:click="browseTo(entry.value)" data-testid="browse-open" x-text="entry.name + '/'"></button>
                      <span x-show="!entry.container" class="min-w-0 flex-1 truncate text-slate-700" x-text="entry.name + (entry.detail ? ' · ' + entry.detail : '')"></span>
                      <button type="button" x-show="isFileEngine() && o.key === 'INCLUDE'" class="shrink-0 text-xs text-slate-600 underline" x-on:click="excludeEntry(entry)" data-testid="browse-exclude" x-text="t('items_exclude')"></button>
                    </li>
                  </template>
                </ul>
              </div>
              </template>
            </fieldset>
          </template>

          <!-- commands -->
          <details class="rounded-xl border border-slate-200 p-3 text-sm" data-testid="commands">
            <summary class="cursor-pointer font-medium text-slate-700" x-text="t('items_commands')"></summary>
            <div class="mt-2 grid grid-cols-1 gap-2">
              <template x-for="c in ['pre_exec', 'thaw_exec', 'post_exec']" :key="c">
                <label class="block"><span class="text-xs text-slate-600" x-text="t('items_' + c)"></span>
                  <textarea rows="2" class="mt-0.5 w-full rounded-lg border-slate-300 font-mono text-xs" x-model="commands[c]"></textarea></label>
              </template>
              <p class="text-xs text-slate-500" x-text="t('items_commands_help')"></p>
            </div>
          </details>

          <!-- include/exclude tester -->
          <div x-show="isFileEngine()" class="rounded-xl border border-slate-200 p-3 text-sm" data-testid="tester">
            <label class="block"><span class="font-medium text-slate-700" x-text="t('items_tester')"></span>
              <div class="mt-1 flex flex-col gap-2 sm:flex-row">
                <input type="text" class="min-w-0 flex-1 rounded-lg border-slate-300 text-sm" x-model="tester.path" x-on:input="runTester()" :placeholder="t('items_tester_placeholder')" data-testid="tester-path">
              </div></label>
            <p x-show="tester.result" class="mt-2 break-all" :class="tester.result && tester.result.included ? 'text-emerald-700' : 'text-rose-700'" role="status" data-testid="tester-result" x-text="testerText()"></p>
          </div>
        </div>

        <!-- 3. schedules -->
        <div x-show="step === 'rules'" class="space-y-4" data-testid="wizard-rules">
          <p x-show="rules.length === 0" class="text-sm text-slate-600" x-text="t('items_no_rules')"></p>
          <template x-for="(rule, ri) in rules" :key="ri">
            <fieldset class="space-y-3 rounded-xl border border-slate-200 p-3 text-sm" data-testid="rule">
              <legend class="px-1 font-medium text-slate-700" x-text="t('items_rule_n', { n: ri + 1 })"></legend>
              <label class="block"><span class="font-medium text-slate-700" x-text="t('items_rule_vault')"></span>
                <select class="mt-1 w-full rounded-lg border-slate-300 text-sm" x-model="rule.vault_id" data-testid="rule-vault">
                  <template x-for="v in vaults" :key="v.id"><option :value="v.id" x-text="v.name" :selected="v.id === rule.vault_id"></option></template>
                </select></label>
              <template x-for="(s, si) in rule.schedules" :key="si">
                <div class="space-y-2 rounded-lg bg-slate-50 p-2" data-testid="schedule">
                  <div class="flex flex-wrap items-end gap-2">
                    <label class="block"><span class="text-xs text-slate-600" x-text="t('items_sched_freq')"></span>
                      <select class="mt-0.5 block rounded-lg border-slate-300 text-sm" x-model.number="s.freq" data-testid="schedule-freq">
                        <template x-for="f in catalog.frequencies" :key="f.value"><option :value="f.value" x-text="f.label" :selected="f.value === s.freq"></option></template>
                      </select></label>
                    <label x-show="s.freq !== FREQ.HOURLY && s.freq !== FREQ.PERIODIC" class="block"><span class="text-xs text-slate-600" x-text="t('items_sched_time')"></span>
                      <input type="time" class="mt-0.5 block rounded-lg border-slate-300 text-sm" x-model="s.time" data-testid="schedule-time"></label>
                    <label x-show="s.freq === FREQ.HOURLY" class="block"><span class="text-xs text-slate-600" x-text="t('items_sched_minute')"></span>
                      <input type="number" min="0" max="59" class="mt-0.5 block w-20 rounded-lg border-slate-300 text-sm" x-model.number="s.minute"></label>
                    <label x-show="s.freq === FREQ.PERIODIC" class="block"><span class="text-xs text-slate-600" x-text="t('items_sched_every_hours')"></span>
                      <input type="number" min="1" class="mt-0.5 block w-20 rounded-lg border-slate-300 text-sm" x-model.number="s.periodHours"></label>
                    <label x-show="s.freq === FREQ.WEEKLY" class="block"><span class="text-xs text-slate-600" x-text="t('items_sched_weekday')"></span>
                      <select class="mt-0.5 block rounded-lg border-slate-300 text-sm" x-model.number="s.weekday">
                        <template x-for="d in days" :key="d"><option :value="d" x-text="dayLabel(d)" :selected="d === s.weekday"></option></template>
                      </select></label>
                    <label x-show="s.freq === FREQ.MONTHLY || s.freq === FREQ.YEARLY" class="block"><span class="text-xs text-slate-600" x-text="t('items_sched_day')"></span>
                      <input type="number" min="1" max="31" class="mt-0.5 block w-20 rounded-lg border-slate-300 text-sm" x-model.number="s.day"></label>
                    <label x-show="s.freq === FREQ.YEARLY" class="block"><span class="text-xs text-slate-600" x-text="t('items_sched_month')"></span>
                      <select class="mt-0.5 block rounded-lg border-slate-300 text-sm" x-model.number="s.month">
                        <template x-for="m in months" :key="m"><option :value="m" x-text="monthLabel(m)" :selected="m === s.month"></option></template>
                      </select></label>
                    <button type="button" class="ml-auto text-xs text-rose-700 underline" x-on:click="removeSchedule(rule, si)" x-text="t('items_remove')"></button>
                  </div>
                  <div class="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-700">
                    <label class="flex items-center gap-1"><input type="checkbox" class="rounded border-slate-300" x-model="s.restrictDays"><span x-text="t('items_sched_restrict_days')"></span></label>
                    <template x-if="s.restrictDays"><span class="flex flex-wrap gap-2"><template x-for="d in days" :key="d"><label class="flex items-center gap-1"><input type="checkbox" class="rounded border-slate-300" x-model="s.days[d]"><span x-text="dayShort(d)"></span></label></template></span></template>
                  </div>
                  <div class="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-700">
                    <label class="flex items-center gap-1"><input type="checkbox" class="rounded border-slate-300" x-model="s.restrictRuntime"><span x-text="t('items_sched_window')"></span></label>
                    <template x-if="s.restrictRuntime"><span class="flex items-center gap-1"><input type="time" class="rounded border-slate-300 text-xs" x-model="s.from"><span>–</span><input type="time" class="rounded border-slate-300 text-xs" x-model="s.to"></span></template>
                    <label class="flex items-center gap-1"><span x-text="t('items_sched_random_delay')"></span><input type="number" min="0" max="300" class="w-16 rounded border-slate-300 text-xs" x-model.number="s.randomDelayMin"></label>
                  </div>
                  <p class="text-xs font-medium text-slate-800" data-testid="schedule-summary" x-text="summary(s)"></p>
                  <p class="text-xs text-slate-500" data-testid="schedule-next" x-text="t('items_next_runs', { runs: nextRunsText(s) || '—' })"></p>
                </div>
              </template>
              <button type="button" class="text-sm font-medium text-sky-700 underline" x-on:click="addSchedule(rule)" data-testid="schedule-add" x-text="t('items_sched_add')"></button>
              <div class="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700">
                <label class="flex items-center gap-1"><input type="checkbox" class="rounded border-slate-300" x-model="rule.onBoot"><span x-text="t('items_trigger_boot')"></span></label>
                <label class="flex items-center gap-1"><input type="checkbox" class="rounded border-slate-300" x-model="rule.onMissed"><span x-text="t('items_trigger_missed')"></span></label>
                <label class="flex items-center gap-1"><input type="checkbox" class="rounded border-slate-300" x-model="rule.retry"><span x-text="t('items_trigger_retry_label')"></span></label>
                <template x-if="rule.retry"><span class="flex items-center gap-1"><input type="number" min="1" max="10" class="w-14 rounded border-slate-300 text-xs" x-model.number="rule.retryCount"><span x-text="t('items_retry_times')"></span></span></template>
              </div>
              <details class="text-xs text-slate-700">
                <summary class="cursor-pointer font-medium" x-text="t('items_job_options')"></summary>
                <div class="mt-2 grid grid-cols-1 gap-2 sm:grid-cols-2">
                  <label class="flex items-center gap-1"><input type="checkbox" class="rounded border-slate-300" x-model="rule.skip_already_running"><span x-text="t('items_opt_skip_running')"></span></label>
                  <label class="flex items-center gap-1"><input type="checkbox" class="rounded border-slate-300" x-model="rule.use_on_disk_indexes"><span x-text="t('items_opt_disk_indexes')"></span></label>
                  <label class="flex items-center gap-1"><input type="checkbox" class="rounded border-slate-300" x-model="rule.reduce_disk_concurrency"><span x-text="t('items_opt_reduce_disk')"></span></label>
                  <label class="flex items-center gap-1"><input type="checkbox" class="rounded border-slate-300" x-model="rule.allow_zero_files_success"><span x-text="t('items_opt_zero_files')"></span></label>
                  <label class="flex items-center gap-1"><span x-text="t('items_opt_stop_after')"></span><input type="number" min="0" class="w-16 rounded border-slate-300 text-xs" x-model.number="rule.stop_after_hours"></label>
                  <label class="flex items-center gap-1"><span x-text="t('items_opt_limit')"></span><input type="number" min="0" class="w-16 rounded border-slate-300 text-xs" x-model.number="rule.limit_mbps"></label>
                </div>
              </details>
              <button type="button" class="text-xs text-rose-700 underline" x-on:click="removeRule(ri)" x-text="t('items_rule_remove')"></button>
            </fieldset>
          </template>
          <button type="button" class="rounded-lg border border-slate-200 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50" x-on:click="addRule()" data-testid="rule-add" x-text="t('items_rule_add')"></button>
        </div>

        <!-- 4. retention -->
        <div x-show="step === 'retention'" class="space-y-3" data-testid="wizard-retention">
          <template x-for="v in vaults" :key="v.id">
            <fieldset class="space-y-2 rounded-xl border border-slate-200 p-3 text-sm" :data-vault="v.id">
              <legend class="px-1 font-medium text-slate-700" x-text="v.name"></legend>
              <label class="flex items-center gap-2"><input type="checkbox" class="rounded border-slate-300" x-model="retention[v.id].override" data-testid="retention-override"><span x-text="t('items_retention_override')"></span></label>
              <template x-if="retention[v.id].override">
                <div class="space-y-2">
                  <select class="w-full rounded-lg border-slate-300 text-sm sm:w-auto" x-model.number="retention[v.id].mode">
                    <option :value="KEEP_EVERYTHING" x-text="t('items_retention_everything')" :selected="retention[v.id].mode === KEEP_EVERYTHING"></option>
                    <option :value="DELETE_EXCEPT" x-text="t('items_retention_ranges')" :selected="retention[v.id].mode === DELETE_EXCEPT"></option>
                  </select>
                  <template x-if="retention[v.id].mode === DELETE_EXCEPT">
                    <ul class="space-y-1">
                      <template x-for="(r, i) in retention[v.id].ranges" :key="i">
                        <li class="flex flex-wrap items-center gap-2" data-testid="retention-range">
                          <select class="rounded-lg border-slate-300 text-xs" x-model.number="r.Type">
                            <template x-for="c in catalog.retention_ranges" :key="c.value"><option :value="c.value" x-text="c.label" :selected="c.value === r.Type"></option></template>
                          </select>
                          <input type="number" min="0" class="w-20 rounded-lg border-slate-300 text-xs" :value="r[rangeField(r)] || 0" x-on:input="setRangeCount(r, $event.target.value)" data-testid="retention-count">
                          <button type="button" class="text-xs text-rose-700 underline" x-on:click="removeRange(v.id, i)" x-text="t('items_remove')"></button>
                        </li>
                      </template>
                      <li><button type="button" class="text-xs font-medium text-sky-700 underline" x-on:click="addRange(v.id)" x-text="t('items_retention_add')"></button></li>
                    </ul>
                  </template>
                </div>
              </template>
              <p class="text-xs text-slate-600" data-testid="retention-preview" x-text="retentionPreview(v.id)"></p>
            </fieldset>
          </template>
        </div>
      </div>

      <div class="flex flex-col-reverse gap-2 border-t border-slate-100 px-4 py-3 sm:flex-row sm:justify-end sm:px-5">
        <button type="button" class="rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50" x-on:click="close()" x-text="t('confirm_cancel')"></button>
        <button type="button" x-show="engine" class="rounded-lg bg-sky-600 px-4 py-2 text-sm font-medium text-white hover:bg-sky-700 disabled:opacity-50"
                :disabled="!!(saving || (form && form.read_only_reason))" x-on:click="save()" data-testid="wizard-save" x-text="saving ? t('items_saving') : t('items_save')"></button>
      </div>
    </div>
  </div>
{/literal}
</div>
