{* The Restore tab (components/restore.js): a wizard — device, item, vault, snapshot, browse and
   select, destination and options, confirm, follow the job — and a "Find a file" panel searching
   every snapshot of the chosen item. Comet-controlled text is bound with x-text only. *}
<div x-data="restore({$eb_service.service_id|escape})" :data-state="state" :data-step="step" data-testid="restore" class="space-y-5">
  {include file="../../shared/state.tpl" kind="loading" when="state === 'loading'" text=$eb_lang.restore_loading}
  {include file="../../shared/state.tpl" kind="error" when="state === 'error'" message="error" retry="load()"}

  <div x-show="state === 'ready'" x-cloak class="grid grid-cols-1 gap-5 lg:grid-cols-3">
    <section class="min-w-0 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5 lg:col-span-2" aria-labelledby="eb-rs-wizard" data-testid="restore-wizard">
      <div class="flex flex-wrap items-center justify-between gap-2">
        <h2 id="eb-rs-wizard" class="text-base font-semibold text-slate-900">{$eb_lang.restore_title|escape}</h2>
        <button type="button" x-show="step !== 'device'" x-on:click="restart()" class="text-sm font-medium text-sky-700 hover:underline" data-testid="restore-restart">{$eb_lang.restore_start_over|escape}</button>
      </div>

      {* Breadcrumb of the choices so far *}
      <ol class="mt-3 flex flex-wrap gap-x-2 gap-y-1 text-xs text-slate-500" aria-label="{$eb_lang.restore_progress|escape}">
        <li x-show="device()"><span>{$eb_lang.restore_to|escape}</span> <span class="font-medium text-slate-700" x-text="device() && device().name"></span></li>
        <li x-show="item()">· <span class="font-medium text-slate-700" x-text="item() && item().name"></span></li>
        <li x-show="vault()">· <span class="font-medium text-slate-700" x-text="vault() && vault().name"></span></li>
        <li x-show="snapshot()">· <span class="font-medium text-slate-700" x-text="snapshot() && formatWhen(snapshot().created_at)"></span></li>
      </ol>

      {* 1. device *}
      <div x-show="step === 'device'" class="mt-4" data-testid="restore-step-device">
        <h3 class="text-sm font-semibold text-slate-800">{$eb_lang.restore_choose_device|escape}</h3>
        <p class="mt-1 text-sm text-slate-500">{$eb_lang.restore_choose_device_help|escape}</p>
        <ul class="mt-3 space-y-2">
          <template x-for="d in devices()" :key="d.device_id">
            <li>
              <button type="button" x-on:click="chooseDevice(d)" :disabled="!d.online" :aria-disabled="!d.online" :data-device-id="d.device_id" data-testid="restore-device"
                class="flex w-full items-center justify-between gap-3 rounded-xl border border-slate-200 px-3 py-2.5 text-left text-sm hover:border-sky-400 focus:outline-none focus:ring-2 focus:ring-sky-500 disabled:cursor-not-allowed disabled:opacity-60">
                <span class="min-w-0 truncate font-medium text-slate-900" x-text="d.name || d.device_id"></span>
                <span class="shrink-0 text-xs" :class="d.online ? 'text-emerald-700' : 'text-slate-500'" x-text="d.online ? t('restore_online') : t('restore_offline_waits')"></span>
              </button>
            </li>
          </template>
        </ul>
        {include file="../../shared/state.tpl" kind="empty" when="devices().length === 0" text=$eb_lang.restore_no_devices}
      </div>

      {* 2. item *}
      <div x-show="step === 'item'" x-cloak class="mt-4" data-testid="restore-step-item">
        <h3 class="text-sm font-semibold text-slate-800">{$eb_lang.restore_choose_item|escape}</h3>
        <ul class="mt-3 space-y-2">
          <template x-for="i in items()" :key="i.item_id">
            <li>
              <button type="button" x-on:click="chooseItem(i)" :data-item-id="i.item_id" :data-engine="i.engine" :data-vaults="i.vault_ids.length" data-testid="restore-item"
                class="flex w-full flex-col rounded-xl border border-slate-200 px-3 py-2.5 text-left text-sm hover:border-sky-400 focus:outline-none focus:ring-2 focus:ring-sky-500">
                <span class="truncate font-medium text-slate-900" x-text="i.name || i.item_id"></span>
                <span class="truncate text-xs text-slate-500"><span x-text="i.engine_label"></span> · <span x-text="i.device_name || i.device_id"></span></span>
              </button>
            </li>
          </template>
        </ul>
        {include file="../../shared/state.tpl" kind="empty" when="items().length === 0" text=$eb_lang.restore_no_items}
        <button type="button" x-on:click="back('device')" class="mt-3 text-sm text-slate-600 hover:underline">{$eb_lang.restore_back|escape}</button>
      </div>

      {* 3. vault *}
      <div x-show="step === 'vault'" x-cloak class="mt-4" data-testid="restore-step-vault">
        <h3 class="text-sm font-semibold text-slate-800">{$eb_lang.restore_choose_vault|escape}</h3>
        <ul class="mt-3 space-y-2">
          <template x-for="v in vaults()" :key="v.vault_id">
            <li>
              <button type="button" x-on:click="chooseVault(v)" :data-vault-id="v.vault_id" :data-mine="itemVault(v)" data-testid="restore-vault"
                class="flex w-full items-center justify-between gap-3 rounded-xl border border-slate-200 px-3 py-2.5 text-left text-sm hover:border-sky-400 focus:outline-none focus:ring-2 focus:ring-sky-500">
                <span class="min-w-0 truncate font-medium text-slate-900" x-text="v.name || v.vault_id"></span>
                <span x-show="itemVault(v)" class="shrink-0 text-xs text-sky-700">{$eb_lang.restore_item_backs_up_here|escape}</span>
              </button>
            </li>
          </template>
        </ul>
        <button type="button" x-on:click="back('item')" class="mt-3 text-sm text-slate-600 hover:underline">{$eb_lang.restore_back|escape}</button>
      </div>

      {* 4. snapshot *}
      <div x-show="step === 'snapshot'" x-cloak class="mt-4" data-testid="restore-step-snapshot">
        <h3 class="text-sm font-semibold text-slate-800">{$eb_lang.restore_choose_snapshot|escape}</h3>
        {include file="../../shared/state.tpl" kind="loading" when="snapshotsState === 'loading'" text=$eb_lang.restore_snapshots_loading}
        {include file="../../shared/state.tpl" kind="error" when="snapshotsState === 'error'" message="snapshotsError" retry="loadSnapshots()"}
        {include file="../../shared/state.tpl" kind="empty" when="snapshotsState === 'ready' && snapshots.length === 0" text=$eb_lang.restore_no_snapshots}
        <ul x-show="snapshotsState === 'ready'" class="mt-3 max-h-96 space-y-2 overflow-y-auto">
          <template x-for="s in snapshots" :key="s.snapshot_id">
            <li>
              <button type="button" x-on:click="chooseSnapshot(s)" :data-snapshot-id="s.snapshot_id" data-testid="restore-snapshot"
                class="flex w-full flex-wrap items-center justify-between gap-x-3 rounded-xl border border-slate-200 px-3 py-2.5 text-left text-sm hover:border-sky-400 focus:outline-none focus:ring-2 focus:ring-sky-500">
                <span class="font-medium text-slate-900" x-text="formatWhen(s.created_at)"></span>
                <span class="text-xs text-slate-500" x-text="s.total_bytes === null ? t('restore_size_unknown') : (formatBytes(s.total_bytes) + ' · ' + t('restore_files_n', { n: formatCount(s.total_files) }))"></span>
              </button>
            </li>
          </template>
        </ul>
        <button type="button" x-on:click="back('vault')" class="mt-3 text-sm text-slate-600 hover:underline">{$eb_lang.restore_back|escape}</button>
      </div>

      {* 5. browse and select *}
      <div x-show="step === 'browse'" x-cloak class="mt-4" data-testid="restore-step-browse">
        <h3 class="text-sm font-semibold text-slate-800">{$eb_lang.restore_choose_files|escape}</h3>
        <label class="mt-2 flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" x-model="wholeItem" class="rounded border-slate-300 text-sky-600 focus:ring-sky-500" data-testid="restore-whole-item">
          <span>{$eb_lang.restore_whole_item|escape}</span>
        </label>
        <label class="mt-3 block text-xs font-medium text-slate-500" for="eb-rs-filter">{$eb_lang.restore_filter|escape}</label>
        <input id="eb-rs-filter" type="search" x-model="filter" class="mt-1 w-full rounded-lg border border-slate-300 px-3 py-1.5 text-sm focus:border-sky-500 focus:ring-sky-500" data-testid="restore-filter">
        <div x-show="!wholeItem" class="mt-3 max-h-96 overflow-y-auto rounded-xl border border-slate-200" role="tree" aria-label="{$eb_lang.restore_choose_files|escape}">
          <template x-if="node('').state === 'loading'"><p class="px-3 py-3 text-sm text-slate-500" role="status">{$eb_lang.restore_objects_loading|escape}</p></template>
          <template x-if="node('').state === 'error'"><p class="px-3 py-3 text-sm text-rose-700" role="alert" x-text="node('').error"></p></template>
          <ul class="divide-y divide-slate-100">
            <template x-for="r in rows()" :key="r.o.path">
              <li role="treeitem" :aria-expanded="r.o.is_container ? String(node(r.o.path).open) : null" class="flex items-center gap-2 py-1.5 pr-3 text-sm" :class="['pl-3', 'pl-8', 'pl-12', 'pl-16'][Math.min(r.depth, 3)]" :data-path="r.o.path" :data-kind="r.o.kind" :data-depth="r.depth" data-testid="restore-object">
                <input type="checkbox" :checked="isSelected(r.o)" x-on:change="toggleSelect(r.o)" :aria-label="r.o.name" class="rounded border-slate-300 text-sky-600 focus:ring-sky-500" data-testid="restore-select">
                <button type="button" x-show="r.o.is_container" x-on:click="toggleDir(r.o)" class="min-w-0 flex-1 truncate text-left font-medium text-slate-800 hover:underline" data-testid="restore-open">
                  <span aria-hidden="true" x-text="node(r.o.path).open ? '▾ ' : '▸ '"></span><span x-text="r.o.name"></span>
                  <span x-show="node(r.o.path).state === 'loading'" class="text-xs text-slate-400">…</span>
                </button>
                <span x-show="!r.o.is_container" class="min-w-0 flex-1 truncate text-slate-700" x-text="r.o.name"></span>
                <span x-show="!r.o.is_container" class="shrink-0 text-xs tabular-nums text-slate-500" x-text="formatBytes(r.o.size)"></span>
              </li>
            </template>
          </ul>
        </div>
        <div class="mt-3 flex flex-wrap items-center justify-between gap-2">
          <button type="button" x-on:click="back('snapshot')" class="text-sm text-slate-600 hover:underline">{$eb_lang.restore_back|escape}</button>
          <div class="flex items-center gap-3">
            <span class="text-xs text-slate-500" x-text="summaryText()" data-testid="restore-selected-count"></span>
            <button type="button" x-on:click="toOptions()" :disabled="!canContinue()" class="rounded-lg bg-sky-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-700 disabled:opacity-50" data-testid="restore-next">{$eb_lang.restore_next|escape}</button>
          </div>
        </div>
      </div>

      {* 6. destination and options *}
      <div x-show="step === 'options'" x-cloak class="mt-4 space-y-4" data-testid="restore-step-options">
        <fieldset>
          <legend class="text-sm font-semibold text-slate-800">{$eb_lang.restore_type|escape}</legend>
          <div class="mt-2 flex flex-wrap gap-2">
            <template x-for="ty in types()" :key="ty.value">
              <label class="inline-flex items-center gap-2 rounded-lg border border-slate-200 px-3 py-1.5 text-sm">
                <input type="radio" name="eb-rs-type" :value="ty.value" x-model.number="restoreType" :data-type="ty.key" class="text-sky-600 focus:ring-sky-500" data-testid="restore-type">
                <span x-text="t('restore_type_' + ty.key)"></span>
              </label>
            </template>
          </div>
        </fieldset>
        <fieldset x-show="type() && type().key === 'files'">
          <legend class="text-sm font-semibold text-slate-800">{$eb_lang.restore_destination|escape}</legend>
          <div class="mt-2 space-y-1 text-sm">
            <label class="flex items-center gap-2"><input type="radio" name="eb-rs-dest" value="original" x-model="destination" class="text-sky-600 focus:ring-sky-500" data-testid="restore-dest-original"> <span>{$eb_lang.restore_dest_original|escape}</span></label>
            <label class="flex items-center gap-2"><input type="radio" name="eb-rs-dest" value="path" x-model="destination" class="text-sky-600 focus:ring-sky-500" data-testid="restore-dest-path"> <span>{$eb_lang.restore_dest_path|escape}</span></label>
          </div>
        </fieldset>
        <div x-show="needsPath()">
          <label class="block text-xs font-medium text-slate-500" for="eb-rs-path" x-text="type() && type().key === 'archive' ? t('restore_archive_path') : t('restore_folder_path')"></label>
          <input id="eb-rs-path" type="text" x-model="destPath" :aria-invalid="submitField === 'dest_path'" class="mt-1 w-full rounded-lg border border-slate-300 px-3 py-1.5 text-sm focus:border-sky-500 focus:ring-sky-500" data-testid="restore-dest-input">
        </div>
        <div x-show="type() && type().key === 'archive'">
          <label class="block text-xs font-medium text-slate-500" for="eb-rs-format">{$eb_lang.restore_archive_format|escape}</label>
          <select id="eb-rs-format" x-model.number="archiveFormat" class="mt-1 rounded-lg border border-slate-300 px-3 py-1.5 text-sm">
            <template x-for="f in archiveFormats()" :key="f.value"><option :value="f.value" x-text="f.label"></option></template>
          </select>
        </div>
        <div x-show="type() && type().takes_overwrite">
          <label class="block text-xs font-medium text-slate-500" for="eb-rs-overwrite">{$eb_lang.restore_overwrite|escape}</label>
          <select id="eb-rs-overwrite" x-model="overwrite" class="mt-1 w-full rounded-lg border border-slate-300 px-3 py-1.5 text-sm sm:w-auto" data-testid="restore-overwrite">
            <option value="never">{$eb_lang.restore_overwrite_never|escape}</option>
            <option value="always">{$eb_lang.restore_overwrite_always|escape}</option>
            <option value="if_newer">{$eb_lang.restore_overwrite_if_newer|escape}</option>
            <option value="if_different">{$eb_lang.restore_overwrite_if_different|escape}</option>
          </select>
        </div>
        <div class="flex items-center justify-between gap-2">
          <button type="button" x-on:click="back('browse')" class="text-sm text-slate-600 hover:underline">{$eb_lang.restore_back|escape}</button>
          <button type="button" x-on:click="review()" class="rounded-lg bg-sky-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-700" data-testid="restore-review">{$eb_lang.restore_review|escape}</button>
        </div>
      </div>

      {* 7. confirm *}
      <div x-show="step === 'confirm'" x-cloak class="mt-4 space-y-3" data-testid="restore-step-confirm">
        <h3 class="text-sm font-semibold text-slate-800">{$eb_lang.restore_confirm_title|escape}</h3>
        <dl class="grid grid-cols-1 gap-2 text-sm sm:grid-cols-2">
          <div class="min-w-0"><dt class="text-xs text-slate-500">{$eb_lang.restore_what|escape}</dt><dd class="truncate text-slate-800" x-text="summaryText()"></dd></div>
          <div class="min-w-0"><dt class="text-xs text-slate-500">{$eb_lang.restore_device|escape}</dt><dd class="truncate text-slate-800" x-text="device() && device().name"></dd></div>
          <div class="min-w-0"><dt class="text-xs text-slate-500">{$eb_lang.restore_type|escape}</dt><dd class="text-slate-800" x-text="type() && t('restore_type_' + type().key)"></dd></div>
          <div class="min-w-0"><dt class="text-xs text-slate-500">{$eb_lang.restore_destination|escape}</dt><dd class="break-all text-slate-800" x-text="destinationText()" data-testid="restore-confirm-destination"></dd></div>
          <div class="min-w-0" x-show="type() && type().takes_overwrite"><dt class="text-xs text-slate-500">{$eb_lang.restore_overwrite|escape}</dt><dd class="text-slate-800" x-text="overwriteLabel()"></dd></div>
        </dl>
        <ul x-show="!wholeItem" class="max-h-40 overflow-y-auto rounded-lg bg-slate-50 px-3 py-2 text-xs text-slate-700">
          <template x-for="p in selectedPaths()" :key="p"><li class="break-all" x-text="p"></li></template>
        </ul>
        <p x-show="submitError" class="rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800" role="alert" x-text="submitError" data-testid="restore-error"></p>
        <div class="flex items-center justify-between gap-2">
          <button type="button" x-on:click="back('options')" class="text-sm text-slate-600 hover:underline">{$eb_lang.restore_back|escape}</button>
          <button type="button" x-on:click="start(payload())" :disabled="submitting" class="rounded-lg bg-sky-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-700 disabled:opacity-50" data-testid="restore-start">{$eb_lang.restore_start|escape}</button>
        </div>
      </div>

      {* 8. follow *}
      <div x-show="step === 'follow'" x-cloak class="mt-4 space-y-3" data-testid="restore-step-follow" :data-job-state="job ? job.status_class : 'waiting'">
        <h3 class="text-sm font-semibold text-slate-800">{$eb_lang.restore_following|escape}</h3>
        <p x-show="!jobId" class="text-sm text-slate-600">{$eb_lang.restore_no_job_id|escape}</p>
        <p x-show="jobError" class="text-sm text-rose-700" role="alert" x-text="jobError"></p>
        <div x-show="jobId" class="space-y-2" role="status" aria-live="polite">
          <div class="flex items-center justify-between text-sm">
            <span class="inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium" :class="jobBadge()" x-text="job ? job.status_label : t('restore_starting')" data-testid="restore-job-status"></span>
            <span class="tabular-nums text-slate-600" x-text="jobPercent() + '%'"></span>
          </div>
          <div class="h-2 overflow-hidden rounded-full bg-slate-100" aria-hidden="true"><div class="h-full rounded-full bg-sky-500 transition-all" :style="'width:' + jobPercent() + '%'"></div></div>
          <dl x-show="jobDone()" class="grid grid-cols-2 gap-2 text-sm" data-testid="restore-summary">
            <div><dt class="text-xs text-slate-500">{$eb_lang.restore_summary_files|escape}</dt><dd class="tabular-nums" x-text="job && formatCount(job.total_files)"></dd></div>
            <div><dt class="text-xs text-slate-500">{$eb_lang.restore_summary_bytes|escape}</dt><dd class="tabular-nums" x-text="job && formatBytes(job.total_bytes)"></dd></div>
            <div><dt class="text-xs text-slate-500">{$eb_lang.restore_summary_started|escape}</dt><dd x-text="job && formatWhen(job.started_at)"></dd></div>
            <div><dt class="text-xs text-slate-500">{$eb_lang.restore_summary_ended|escape}</dt><dd x-text="job && job.ended_at && formatWhen(job.ended_at)"></dd></div>
          </dl>
        </div>
      </div>
    </section>

    {* Find a file *}
    <section class="min-w-0 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5" aria-labelledby="eb-rs-find" data-testid="restore-find">
      <h2 id="eb-rs-find" class="text-base font-semibold text-slate-900">{$eb_lang.restore_find_title|escape}</h2>
      <p class="mt-1 text-sm text-slate-500" x-show="!deviceId || !itemId">{$eb_lang.restore_find_help|escape}</p>
      <form x-show="deviceId && itemId" x-on:submit.prevent="find()" class="mt-3 flex gap-2">
        <label class="sr-only" for="eb-rs-find-q">{$eb_lang.restore_find_label|escape}</label>
        <input id="eb-rs-find-q" type="search" x-model="findQuery" maxlength="200" class="min-w-0 flex-1 rounded-lg border border-slate-300 px-3 py-1.5 text-sm focus:border-sky-500 focus:ring-sky-500" data-testid="restore-find-input">
        <button type="submit" class="shrink-0 rounded-lg bg-slate-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-900" data-testid="restore-find-go">{$eb_lang.restore_find_go|escape}</button>
      </form>
      {include file="../../shared/state.tpl" kind="loading" when="findState === 'loading'" text=$eb_lang.restore_find_loading}
      {include file="../../shared/state.tpl" kind="error" when="findState === 'error'" message="findError" retry="find()"}
      {include file="../../shared/state.tpl" kind="empty" when="findState === 'ready' && findResults && findResults.paths.length === 0" text=$eb_lang.restore_find_none}
      <p x-show="findState === 'ready' && findResults" class="mt-2 text-xs text-slate-500" x-text="findResults && t('restore_find_searched', { n: findResults.snapshots_searched })"></p>
      <ul x-show="findState === 'ready' && findResults" class="mt-2 space-y-3">
        <template x-for="p in (findResults ? findResults.paths : [])" :key="p.path">
          <li class="rounded-xl border border-slate-200 p-3" :data-path="p.path" data-testid="restore-find-path">
            <p class="break-all text-sm font-medium text-slate-900" x-text="p.path"></p>
            <ol class="mt-2 space-y-1 border-l border-slate-200 pl-3">
              <template x-for="v in p.versions" :key="v.vault_id + v.snapshot_id">
                <li class="flex items-center justify-between gap-2 text-xs" :data-snapshot-id="v.snapshot_id" data-testid="restore-find-version">
                  <span :class="v.changed ? 'font-medium text-slate-800' : 'text-slate-500'" x-text="versionText(v)"></span>
                  <button type="button" x-on:click="restoreVersion(p, v)" class="shrink-0 font-medium text-sky-700 hover:underline" data-testid="restore-find-restore">{$eb_lang.restore_this_version|escape}</button>
                </li>
              </template>
            </ol>
          </li>
        </template>
      </ul>
    </section>
  </div>
</div>
