{* The Storage vaults tab (components/vaults.js): a card per vault with usage against its quota, when
   it was last measured and deep-verified, its retention in words, the items backing up to it and a
   30-day usage chart; editors for name, quota and retention (with a preview of the snapshots kept
   and removed), the maintenance menu, the snapshot list with multi-select delete, and requesting a
   vault from the provider's templates. Comet-controlled text is bound with x-text only. *}
<div x-data="vaults({$eb_service.service_id|escape})" x-effect="if (isCurrent('vaults')) activate()" :data-state="state" data-testid="vaults" class="space-y-5">

  <div class="flex flex-wrap items-center justify-between gap-3">
    <h2 class="text-lg font-semibold text-slate-900">{$eb_lang.tab_vaults|escape}</h2>
    <button type="button" class="rounded-lg bg-sky-600 px-3 py-2 text-sm font-medium text-white hover:bg-sky-700 disabled:cursor-not-allowed disabled:opacity-50"
            x-on:click="startRequest()" :disabled="!can('vaults.request')" :title="whyNot('vaults.request')" data-testid="vault-request-open">{$eb_lang.vaults_request|escape}</button>
  </div>

  <section x-show="requesting" x-cloak class="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5" aria-labelledby="eb-vault-request" data-testid="vault-request">
    <h3 id="eb-vault-request" class="text-base font-semibold text-slate-900">{$eb_lang.vaults_request_title|escape}</h3>
    <p class="mt-1 text-sm text-slate-600">{$eb_lang.vaults_request_text|escape}</p>
    <div class="mt-3 flex flex-col gap-2 sm:flex-row sm:items-end">
      <label class="block min-w-0 flex-1 text-sm">
        <span class="text-xs font-medium text-slate-500">{$eb_lang.vaults_template|escape}</span>
        <select x-model="templateId" class="mt-1 block w-full rounded-lg border-slate-300 text-sm" data-testid="vault-template">
          <template x-for="tpl in (templates || [])" :key="tpl.template_id"><option :value="tpl.template_id" x-text="tpl.name"></option></template>
        </select>
      </label>
      <div class="flex gap-2">
        <button type="button" class="rounded-lg bg-sky-600 px-3 py-2 text-sm font-medium text-white hover:bg-sky-700 disabled:opacity-50" x-on:click="submitRequest()" :disabled="busy || !templateId" data-testid="vault-request-submit">{$eb_lang.vaults_request_submit|escape}</button>
        <button type="button" class="rounded-lg border border-slate-200 px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50" x-on:click="requesting = false">{$eb_lang.confirm_cancel|escape}</button>
      </div>
    </div>
    <p x-show="requesting && formError !== '' && open === null" class="mt-2 text-sm text-rose-700" role="alert" x-text="formError"></p>
  </section>

  {include file="../../shared/state.tpl" kind="error" when="error !== ''" message="error" retry="retry()"}
  {include file="../../shared/state.tpl" kind="loading" when="state === 'loading'" text=$eb_lang.vaults_loading}
  {include file="../../shared/state.tpl" kind="empty" when="state === 'ready' && list.length === 0" text=$eb_lang.vaults_empty}

  <div x-show="state === 'ready'" x-cloak class="grid grid-cols-1 gap-5 xl:grid-cols-2">
    <template x-for="v in list" :key="v.vault_id">
      <article class="min-w-0 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5" data-testid="vault-card" :data-vault-id="v.vault_id">
        <header class="flex flex-wrap items-start justify-between gap-2">
          <div class="min-w-0">
            <h3 class="truncate text-base font-semibold text-slate-900" data-field="name" x-text="v.name"></h3>
            <p class="text-xs text-slate-500"><span data-field="type" x-text="v.type_label"></span></p>
          </div>
          <div class="flex flex-wrap gap-1.5">
            <button type="button" class="rounded-md border border-slate-200 px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50" x-on:click="edit(v, 'snapshots')" data-testid="vault-snapshots-open">{$eb_lang.vaults_snapshots|escape}</button>
            <button type="button" class="rounded-md border border-slate-200 px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50" x-on:click="edit(v, 'retention')" :disabled="!can('vaults.edit_retention')" :title="whyNot('vaults.edit_retention')" data-testid="vault-retention-open">{$eb_lang.vaults_retention|escape}</button>
            <div class="relative" x-data="{ menu: false }" x-on:keydown.escape="menu = false" x-on:click.outside="menu = false">
              <button type="button" class="rounded-md border border-slate-200 px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50" x-on:click="menu = !menu" :aria-expanded="menu" aria-haspopup="true" data-testid="vault-menu">{$eb_lang.vaults_more|escape}</button>
              <div x-show="menu" x-cloak class="absolute right-0 z-20 mt-1 w-56 rounded-lg bg-white py-1 text-sm shadow-lg ring-1 ring-slate-200" role="menu">
                <button type="button" role="menuitem" class="block w-full px-3 py-2 text-left hover:bg-slate-50 disabled:opacity-50" x-on:click="menu = false; edit(v, 'rename')" :disabled="!can('vaults.edit')" data-testid="vault-rename-open">{$eb_lang.vaults_rename|escape}</button>
                <button type="button" role="menuitem" class="block w-full px-3 py-2 text-left hover:bg-slate-50 disabled:opacity-50" x-on:click="menu = false; edit(v, 'quota')" :disabled="!can('vaults.edit')" data-testid="vault-quota-open">{$eb_lang.vaults_quota|escape}</button>
                <div class="my-1 border-t border-slate-100"></div>
                <template x-for="a in actions" :key="a">
                  <button type="button" role="menuitem" class="block w-full px-3 py-2 text-left hover:bg-slate-50 disabled:opacity-50" x-on:click="menu = false; maintain(v, a)" :disabled="busy" :data-action="a" data-testid="vault-action" x-text="actionLabel(a)"></button>
                </template>
                <div class="my-1 border-t border-slate-100"></div>
                <button type="button" role="menuitem" class="block w-full px-3 py-2 text-left text-rose-700 hover:bg-rose-50 disabled:opacity-50" x-on:click="menu = false; remove(v)" :disabled="!can('vaults.delete')" data-testid="vault-delete">{$eb_lang.vaults_delete|escape}</button>
              </div>
            </div>
          </div>
        </header>

        <div class="mt-4">
          <div class="flex items-baseline justify-between gap-3 text-sm">
            <span class="text-xs font-medium text-slate-500">{$eb_lang.vaults_usage|escape}</span>
            <span class="tabular-nums text-slate-700" data-field="usage" x-text="usageText(v)"></span>
          </div>
          <div class="mt-1.5 h-2 overflow-hidden rounded-full bg-slate-100" role="progressbar" aria-label="{$eb_lang.vaults_usage|escape}" aria-valuemin="0" aria-valuemax="100" :aria-valuenow="percent(v)" :aria-valuetext="usageText(v)">
            <div class="h-full rounded-full" :class="barClass(v)" :style="barStyle(v)"></div>
          </div>
        </div>

        <dl class="mt-4 grid grid-cols-2 gap-x-4 gap-y-3 text-sm">
          <div><dt class="text-xs font-medium text-slate-500">{$eb_lang.vaults_measured|escape}</dt><dd class="text-slate-800" data-field="measured" x-text="when(v.measured_at)"></dd></div>
          <div><dt class="text-xs font-medium text-slate-500">{$eb_lang.vaults_deep_verified|escape}</dt><dd class="text-slate-800" data-field="deep-verified" x-text="when(v.deep_verified_at)"></dd></div>
          <div class="col-span-2"><dt class="text-xs font-medium text-slate-500">{$eb_lang.vaults_retention|escape}</dt><dd class="text-slate-800" data-field="retention" x-text="v.retention_summary"></dd></div>
          <div class="col-span-2" x-show="v.retention_error"><dt class="text-xs font-medium text-rose-600">{$eb_lang.vaults_retention_error|escape}</dt><dd class="break-words text-rose-700" data-field="retention-error" x-text="v.retention_error"></dd></div>
          <div class="col-span-2">
            <dt class="text-xs font-medium text-slate-500">{$eb_lang.vaults_items|escape}</dt>
            <dd class="text-slate-800" data-field="items">
              <span x-show="v.items.length === 0" class="text-slate-500">{$eb_lang.vaults_items_none|escape}</span>
              <ul class="space-y-0.5"><template x-for="i in v.items" :key="i.item_id"><li class="truncate" x-text="itemText(i)"></li></template></ul>
            </dd>
          </div>
        </dl>

        <figure class="mt-4">
          <svg viewBox="0 0 280 56" class="h-14 w-full" preserveAspectRatio="none" role="img" :aria-label="chartLabel(v)" data-testid="vault-chart">
            <line x1="0" y1="55" x2="280" y2="55" stroke="#e2e8f0" stroke-width="1"></line>
            <polyline x-show="chartPoints(v) !== ''" :points="chartPoints(v)" fill="none" stroke="#0284c7" stroke-width="2" vector-effect="non-scaling-stroke"></polyline>
          </svg>
          <figcaption class="text-xs text-slate-500" x-text="chartLabel(v)"></figcaption>
        </figure>

        <ul x-show="jobsOf(v).length > 0" class="mt-3 space-y-1" data-testid="vault-jobs">
          <template x-for="(j, n) in jobsOf(v)" :key="n">
            <li class="flex flex-wrap items-center justify-between gap-2 text-sm" data-testid="vault-job" :data-job-id="j.job_id" :data-status="j.status_class">
              <span class="min-w-0 truncate text-slate-700" x-text="j.label"></span>
              <span class="rounded-full px-2 py-0.5 text-xs font-medium ring-1" :class="jobClass(j)" x-text="j.status_label"></span>
            </li>
          </template>
        </ul>

        {* Rename *}
        <template x-if="isOpen(v, 'rename')">
        <form class="mt-4 space-y-2 border-t border-slate-100 pt-4" x-on:submit.prevent="saveName(v)" data-testid="vault-rename">
          <label class="block text-sm"><span class="text-xs font-medium text-slate-500">{$eb_lang.vaults_name|escape}</span>
            <input type="text" x-model="form.name" maxlength="255" class="mt-1 block w-full rounded-lg border-slate-300 text-sm"></label>
          <p x-show="formError !== ''" class="text-sm text-rose-700" role="alert" x-text="formError"></p>
          <div class="flex gap-2"><button type="submit" class="rounded-lg bg-sky-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50" :disabled="busy">{$eb_lang.vaults_save|escape}</button>
            <button type="button" class="rounded-lg border border-slate-200 px-3 py-1.5 text-sm" x-on:click="close()">{$eb_lang.confirm_cancel|escape}</button></div>
        </form>
        </template>

        {* Quota *}
        <template x-if="isOpen(v, 'quota')">
        <form class="mt-4 space-y-2 border-t border-slate-100 pt-4" x-on:submit.prevent="saveQuota(v)" data-testid="vault-quota">
          <label class="flex items-center gap-2 text-sm"><input type="checkbox" x-model="form.quotaEnabled" class="rounded border-slate-300"> {$eb_lang.vaults_quota_enabled|escape}</label>
          <label x-show="form.quotaEnabled" class="block text-sm"><span class="text-xs font-medium text-slate-500">{$eb_lang.vaults_quota_gb|escape}</span>
            <input type="number" min="1" step="1" x-model="form.quotaGb" class="mt-1 block w-40 rounded-lg border-slate-300 text-sm"></label>
          <p x-show="formError !== ''" class="text-sm text-rose-700" role="alert" x-text="formError"></p>
          <div class="flex gap-2"><button type="submit" class="rounded-lg bg-sky-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50" :disabled="busy">{$eb_lang.vaults_save|escape}</button>
            <button type="button" class="rounded-lg border border-slate-200 px-3 py-1.5 text-sm" x-on:click="close()">{$eb_lang.confirm_cancel|escape}</button></div>
        </form>
        </template>

        {* Retention editor with preview *}
        <template x-if="isOpen(v, 'retention')">
        <div class="mt-4 space-y-3 border-t border-slate-100 pt-4" data-testid="vault-retention">
          <label class="flex items-center gap-2 text-sm"><input type="checkbox" x-model="form.retention.keep_everything" class="rounded border-slate-300" data-testid="retention-keep-all" x-on:change="preview = null"> {$eb_lang.vaults_keep_everything|escape}</label>
          <div x-show="form.retention && !form.retention.keep_everything" class="space-y-2">
            <template x-for="(r, i) in (form.retention ? form.retention.ranges : [])" :key="i">
              <div class="rounded-lg border border-slate-200 p-2" data-testid="retention-rule">
                <div class="flex flex-wrap items-center gap-2">
                  <select x-model.number="r.type" class="min-w-0 flex-1 rounded-lg border-slate-300 text-sm" x-on:change="preview = null" :aria-label="ruleAria(i)" data-testid="retention-rule-type">
                    <template x-for="rt in ruleTypes" :key="rt.type"><option :value="rt.type" :selected="rt.type === r.type" x-text="rt.label"></option></template>
                  </select>
                  <button type="button" class="rounded-md px-2 py-1 text-xs text-rose-700 hover:bg-rose-50" x-on:click="removeRule(i)" data-testid="retention-rule-remove">{$eb_lang.vaults_rule_remove|escape}</button>
                </div>
                <div class="mt-2 flex flex-wrap gap-2">
                  <template x-for="f in countFields" :key="f">
                    <label x-show="uses(r, f)" class="text-xs text-slate-600"><span x-text="fieldLabel(f)"></span>
                      <input type="number" min="0" x-model.number="r[f]" x-on:input="preview = null" class="mt-0.5 block w-24 rounded-md border-slate-300 text-sm" :data-field="f"></label>
                  </template>
                </div>
              </div>
            </template>
            <button type="button" class="rounded-md border border-dashed border-slate-300 px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50" x-on:click="addRule()" data-testid="retention-add-rule">{$eb_lang.vaults_rule_add|escape}</button>
          </div>
          <p x-show="formError !== ''" class="text-sm text-rose-700" role="alert" x-text="formError"></p>
          <div class="flex flex-wrap gap-2">
            <button type="button" class="rounded-lg border border-sky-200 bg-sky-50 px-3 py-1.5 text-sm font-medium text-sky-800 disabled:opacity-50" x-on:click="runPreview(v)" :disabled="previewing" data-testid="retention-preview">{$eb_lang.vaults_preview|escape}</button>
            <button type="button" class="rounded-lg bg-sky-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50" x-on:click="saveRetention(v)" :disabled="busy" data-testid="retention-save">{$eb_lang.vaults_save|escape}</button>
            <button type="button" class="rounded-lg border border-slate-200 px-3 py-1.5 text-sm" x-on:click="close()">{$eb_lang.confirm_cancel|escape}</button>
          </div>
          <div x-show="previewing" class="text-sm text-slate-500" role="status">{$eb_lang.vaults_preview_loading|escape}</div>
          <div x-show="preview !== null" class="rounded-lg bg-slate-50 p-3 text-sm" data-testid="retention-preview-result" role="status">
            <p class="font-medium text-slate-800" x-text="preview ? preview.summary : ''"></p>
            <p class="mt-1 text-slate-700"><span data-testid="preview-kept" x-text="preview ? preview.kept : ''"></span> {$eb_lang.vaults_preview_kept|escape} ·
              <span class="text-rose-700" data-testid="preview-removed" x-text="preview ? preview.removed : ''"></span> {$eb_lang.vaults_preview_removed|escape}</p>
            <ul class="mt-2 max-h-56 space-y-0.5 overflow-y-auto">
              <template x-for="s in (preview ? preview.snapshots : [])" :key="s.snapshot_id">
                <li class="flex justify-between gap-2" :data-keep="s.keep ? 'yes' : 'no'">
                  <span class="min-w-0 truncate" :class="s.keep ? 'text-slate-700' : 'text-rose-700 line-through'" x-text="(s.item_name || s.item_id) + ' · ' + when(s.created_at)"></span>
                  <span class="shrink-0 text-xs" :class="s.keep ? 'text-emerald-700' : 'text-rose-700'" x-text="keepLabel(s)"></span>
                </li>
              </template>
            </ul>
            <p class="mt-2 text-xs text-slate-500" x-text="preview ? preview.note : ''"></p>
          </div>
        </div>
        </template>

        {* Snapshots *}
        <template x-if="isOpen(v, 'snapshots')">
        <div class="mt-4 space-y-2 border-t border-slate-100 pt-4" data-testid="vault-snapshots">
          <div x-show="snapState === 'loading'" class="text-sm text-slate-500" role="status">{$eb_lang.vaults_snapshots_loading|escape}</div>
          <div x-show="snapState === 'error'" class="text-sm text-rose-700" role="alert" x-text="snapError"></div>
          <p x-show="snapState === 'ready' && snapshots && snapshots.message" class="text-sm text-amber-800" x-text="snapshots ? snapshots.message : ''"></p>
          <p x-show="snapState === 'ready' && snapList().length === 0 && !(snapshots && snapshots.message)" class="text-sm text-slate-500">{$eb_lang.vaults_snapshots_empty|escape}</p>
          <div x-show="snapList().length > 0" class="flex flex-wrap items-center justify-between gap-2">
            <label class="flex items-center gap-2 text-sm"><input type="checkbox" class="rounded border-slate-300" :checked="allSelected()" x-on:change="toggleAll()"> {$eb_lang.vaults_select_all|escape}</label>
            <div class="flex gap-2">
              <button type="button" x-show="!confirmStep" class="rounded-lg border border-rose-200 px-3 py-1.5 text-sm font-medium text-rose-700 hover:bg-rose-50 disabled:opacity-50" :disabled="selectedIds().length === 0 || !can('snapshots.delete')" :title="whyNot('snapshots.delete')" x-on:click="confirmStep = true" data-testid="snapshots-delete">{$eb_lang.vaults_delete_selected|escape} (<span x-text="selectedIds().length"></span>)</button>
              <button type="button" x-show="confirmStep" x-cloak class="rounded-lg bg-rose-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-rose-700 disabled:opacity-50" :disabled="busy" x-on:click="deleteSelected(v)" data-testid="snapshots-delete-confirm">{$eb_lang.vaults_delete_selected_sure|escape}</button>
            </div>
          </div>
          <ul class="max-h-80 divide-y divide-slate-100 overflow-y-auto">
            <template x-for="s in snapList()" :key="s.snapshot_id">
              <li class="flex items-start gap-3 py-2" data-testid="snapshot" :data-snapshot-id="s.snapshot_id">
                <input type="checkbox" class="mt-1 rounded border-slate-300" :checked="!!selected[s.snapshot_id]" x-on:change="toggle(s.snapshot_id)" :aria-label="snapTitle(s)">
                <div class="min-w-0 flex-1">
                  <p class="truncate text-sm font-medium text-slate-800" x-text="snapTitle(s)"></p>
                  <p class="text-xs text-slate-500"><span x-text="when(s.created_at)"></span> · <span x-text="s.engine_label"></span> · <span x-text="snapSize(s)"></span></p>
                </div>
              </li>
            </template>
          </ul>
          <button type="button" class="rounded-lg border border-slate-200 px-3 py-1.5 text-sm" x-on:click="close()">{$eb_lang.vaults_close|escape}</button>
        </div>
        </template>
      </article>
    </template>
  </div>
</div>
