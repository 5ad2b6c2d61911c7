{* The Jobs tab (components/jobs.js): the account's job history with filters, search, sorting and
   paging (a table on wide screens, cards on phones), running jobs kept live by the event stream,
   and a drawer with one job's progress, its log (severity, search, first error, download) and
   cancel. Comet-controlled text is bound with x-text only. *}
<div x-data="jobsTab({$eb_service.service_id|escape})" :data-state="state" data-testid="jobs" class="space-y-4"
     x-on:keydown.escape.window="drawerOpen && close()">

  <section class="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-label="{$eb_lang.jobs_filters|escape}" data-testid="jobs-filters">
    <div class="flex flex-wrap items-center gap-2" role="group" aria-label="{$eb_lang.jobs_filter_status|escape}">
      <template x-for="c in classes" :key="c">
        <button type="button" class="inline-flex items-center gap-1.5 rounded-full px-3 py-1 text-xs font-medium ring-1"
                :class="statusOn(c) ? badgeClass(c) + ' ring-transparent' : 'bg-white text-slate-600 ring-slate-200 hover:bg-slate-50'"
                :aria-pressed="statusOn(c) ? 'true' : 'false'" :data-status-chip="c" x-on:click="toggleStatus(c)" x-text="statusLabel(c)"></button>
      </template>
      <span class="ml-auto inline-flex items-center gap-1.5 text-xs font-medium" :class="live === 'live' ? 'text-emerald-700' : 'text-amber-700'" :data-state="live" data-testid="jobs-live" role="status">
        <span class="h-2 w-2 rounded-full" :class="live === 'live' ? 'bg-emerald-500' : 'bg-amber-500 animate-pulse'" aria-hidden="true"></span>
        <span x-show="live === 'live'">{$eb_lang.pulse_live|escape}</span>
        <span x-show="live !== 'live'" x-cloak>{$eb_lang.pulse_reconnecting|escape}</span>
      </span>
    </div>
    <div class="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
      <div class="sm:col-span-2 lg:col-span-4">
        <label for="eb-jobs-q" class="block text-xs font-medium text-slate-500">{$eb_lang.jobs_search|escape}</label>
        <input id="eb-jobs-q" type="search" x-model="filters.q" x-on:input="searchChanged()" maxlength="200" data-testid="jobs-search"
               placeholder="{$eb_lang.jobs_search_placeholder|escape}" class="mt-1 w-full rounded-lg border border-slate-300 px-3 py-1.5 text-sm">
      </div>
      <div class="min-w-0">
        <label for="eb-jobs-device" class="block text-xs font-medium text-slate-500">{$eb_lang.jobs_device|escape}</label>
        <select id="eb-jobs-device" x-model="filters.device_id" x-on:change="refilter()" data-testid="jobs-device" class="mt-1 w-full rounded-lg border border-slate-300 px-2 py-1.5 text-sm">
          <option value="">{$eb_lang.jobs_all_devices|escape}</option>
          <template x-for="d in (choices ? choices.devices : [])" :key="d.id"><option :value="d.id" x-text="d.label"></option></template>
        </select>
      </div>
      <div class="min-w-0">
        <label for="eb-jobs-item" class="block text-xs font-medium text-slate-500">{$eb_lang.jobs_item|escape}</label>
        <select id="eb-jobs-item" x-model="filters.item_id" x-on:change="refilter()" data-testid="jobs-item" class="mt-1 w-full rounded-lg border border-slate-300 px-2 py-1.5 text-sm">
          <option value="">{$eb_lang.jobs_all_items|escape}</option>
          <template x-for="d in (choices ? choices.items : [])" :key="d.id"><option :value="d.id" x-text="d.label"></option></template>
        </select>
      </div>
      <div class="min-w-0">
        <label for="eb-jobs-vault" class="block text-xs font-medium text-slate-500">{$eb_lang.jobs_vault|escape}</label>
        <select id="eb-jobs-vault" x-model="filters.vault_id" x-on:change="refilter()" data-testid="jobs-vault" class="mt-1 w-full rounded-lg border border-slate-300 px-2 py-1.5 text-sm">
          <option value="">{$eb_lang.jobs_all_vaults|escape}</option>
          <template x-for="d in (choices ? choices.vaults : [])" :key="d.id"><option :value="d.id" x-text="d.label"></option></template>
        </select>
      </div>
      <div class="min-w-0">
        <label for="eb-jobs-kind" class="block text-xs font-medium text-slate-500">{$eb_lang.jobs_kind|escape}</label>
        <select id="eb-jobs-kind" x-model="filters.classification" x-on:change="refilter()" data-testid="jobs-kind" class="mt-1 w-full rounded-lg border border-slate-300 px-2 py-1.5 text-sm">
          <option value="">{$eb_lang.jobs_all_kinds|escape}</option>
          <template x-for="d in (choices ? choices.classifications : [])" :key="d.id"><option :value="d.id" x-text="d.label"></option></template>
        </select>
      </div>
      <div class="min-w-0">
        <label for="eb-jobs-from" class="block text-xs font-medium text-slate-500">{$eb_lang.jobs_from|escape}</label>
        <input id="eb-jobs-from" type="date" x-model="filters.from" x-on:change="refilter()" data-testid="jobs-from" class="mt-1 w-full rounded-lg border border-slate-300 px-2 py-1.5 text-sm">
      </div>
      <div class="min-w-0">
        <label for="eb-jobs-to" class="block text-xs font-medium text-slate-500">{$eb_lang.jobs_to|escape}</label>
        <input id="eb-jobs-to" type="date" x-model="filters.to" x-on:change="refilter()" data-testid="jobs-to" class="mt-1 w-full rounded-lg border border-slate-300 px-2 py-1.5 text-sm">
      </div>
      <div class="flex items-end">
        <button type="button" x-show="hasFilters()" x-cloak x-on:click="clearFilters()" data-testid="jobs-clear"
                class="rounded-lg border border-slate-200 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50">{$eb_lang.jobs_clear|escape}</button>
      </div>
    </div>
  </section>

  {include file="../../shared/state.tpl" kind="error" when="error !== ''" message="error" retry="retry()"}
  {include file="../../shared/state.tpl" kind="loading" when="state === 'loading'" text=$eb_lang.jobs_loading}
  {include file="../../shared/state.tpl" kind="empty" when="state === 'ready' && rows.length === 0 && !hasFilters()" text=$eb_lang.jobs_empty}
  {include file="../../shared/state.tpl" kind="empty" when="state === 'ready' && rows.length === 0 && hasFilters()" text=$eb_lang.jobs_empty_filtered}

  <div x-show="state === 'ready' && rows.length > 0" x-cloak>
    {* Wide screens: a sortable table. *}
    <div class="hidden overflow-hidden rounded-xl bg-white ring-1 ring-slate-200 md:block">
      <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid="jobs-table">
        <caption class="sr-only">{$eb_lang.jobs_caption|escape}</caption>
        <thead class="bg-slate-50 text-left text-slate-600">
          <tr>
            <th scope="col" class="px-3 py-2 font-semibold">{$eb_lang.jobs_col_status|escape}</th>
            <th scope="col" class="px-3 py-2 font-semibold">{$eb_lang.jobs_col_job|escape}</th>
            <th scope="col" class="px-3 py-2 font-semibold" :aria-sort="ariaSort('started')">
              <button type="button" class="inline-flex items-center gap-1" x-on:click="sortBy('started')" data-sort="started">{$eb_lang.jobs_col_started|escape}<span aria-hidden="true" x-text="sortIcon('started')"></span></button>
            </th>
            <th scope="col" class="px-3 py-2 font-semibold" :aria-sort="ariaSort('duration')">
              <button type="button" class="inline-flex items-center gap-1" x-on:click="sortBy('duration')" data-sort="duration">{$eb_lang.jobs_col_duration|escape}<span aria-hidden="true" x-text="sortIcon('duration')"></span></button>
            </th>
            <th scope="col" class="px-3 py-2 text-right font-semibold" :aria-sort="ariaSort('bytes')">
              <button type="button" class="inline-flex items-center gap-1" x-on:click="sortBy('bytes')" data-sort="bytes">{$eb_lang.jobs_col_size|escape}<span aria-hidden="true" x-text="sortIcon('bytes')"></span></button>
            </th>
            <th scope="col" class="px-3 py-2 text-right font-semibold">{$eb_lang.jobs_col_files|escape}</th>
            <th scope="col" class="px-3 py-2 text-right font-semibold">{$eb_lang.jobs_col_uploaded|escape}</th>
            <th scope="col" class="px-3 py-2 text-right font-semibold">{$eb_lang.jobs_col_speed|escape}</th>
            <th scope="col" class="px-3 py-2"><span class="sr-only">{$eb_lang.jobs_col_actions|escape}</span></th>
          </tr>
        </thead>
        <tbody class="divide-y divide-slate-100">
          <template x-for="row in rows" :key="row.job_id">
            <tr class="hover:bg-slate-50" data-testid="job-row" :data-job-id="row.job_id" :data-status="row.status_class" :data-device-id="row.device_id">
              <td class="px-3 py-2">
                <span class="inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium" :class="badgeClass(row.status_class)" x-text="row.status_label"></span>
                <span x-show="isCancelRequested(row)" x-cloak class="mt-1 block text-xs font-medium text-amber-700" data-testid="cancel-requested">{$eb_lang.jobs_cancel_requested|escape}</span>
              </td>
              <td class="max-w-xs px-3 py-2">
                <button type="button" class="block max-w-full truncate text-left font-medium text-sky-700 hover:underline" x-on:click="open(row)" data-testid="job-open" x-text="jobTitle(row)"></button>
                <span class="block truncate text-xs text-slate-500"><span x-text="row.classification_label"></span> · <span x-text="deviceText(row)"></span></span>
              </td>
              <td class="whitespace-nowrap px-3 py-2 text-slate-700" x-text="formatWhen(row.started_at)"></td>
              <td class="whitespace-nowrap px-3 py-2 tabular-nums text-slate-700" x-text="formatDuration(row.duration_secs)"></td>
              <td class="whitespace-nowrap px-3 py-2 text-right tabular-nums text-slate-700" x-text="bytesText(row)"></td>
              <td class="whitespace-nowrap px-3 py-2 text-right tabular-nums text-slate-700" x-text="formatCount(row.total_files)"></td>
              <td class="whitespace-nowrap px-3 py-2 text-right tabular-nums text-slate-700" x-text="formatBytes(row.upload_bytes)"></td>
              <td class="whitespace-nowrap px-3 py-2 text-right tabular-nums text-slate-700" x-text="speedText(row)"></td>
              <td class="whitespace-nowrap px-3 py-2 text-right">
                <button type="button" x-show="canCancel(row)" x-cloak x-on:click="cancel(row)" data-testid="job-cancel"
                        class="rounded-lg border border-rose-200 px-2 py-1 text-xs font-medium text-rose-700 hover:bg-rose-50">{$eb_lang.jobs_cancel|escape}</button>
              </td>
            </tr>
          </template>
        </tbody>
      </table>
    </div>

    {* Phones: one card per job. *}
    <ul class="space-y-3 md:hidden" data-testid="jobs-cards">
      <template x-for="row in rows" :key="row.job_id">
        <li class="rounded-xl bg-white p-3 ring-1 ring-slate-200" data-testid="job-card" :data-job-id="row.job_id" :data-status="row.status_class" :data-device-id="row.device_id">
          <div class="flex items-start justify-between gap-2">
            <button type="button" class="min-w-0 truncate text-left font-medium text-sky-700" x-on:click="open(row)" data-testid="job-open" x-text="jobTitle(row)"></button>
            <span class="inline-flex shrink-0 items-center rounded-full px-2 py-0.5 text-xs font-medium" :class="badgeClass(row.status_class)" x-text="row.status_label"></span>
          </div>
          <p class="mt-0.5 truncate text-xs text-slate-500"><span x-text="row.classification_label"></span> · <span x-text="deviceText(row)"></span></p>
          <dl class="mt-2 grid grid-cols-2 gap-x-3 gap-y-1 text-xs">
            <dt class="text-slate-500">{$eb_lang.jobs_col_started|escape}</dt><dd class="text-right text-slate-800" x-text="formatWhen(row.started_at)"></dd>
            <dt class="text-slate-500">{$eb_lang.jobs_col_duration|escape}</dt><dd class="text-right tabular-nums text-slate-800" x-text="formatDuration(row.duration_secs)"></dd>
            <dt class="text-slate-500">{$eb_lang.jobs_col_size|escape}</dt><dd class="text-right tabular-nums text-slate-800" x-text="bytesText(row)"></dd>
            <dt class="text-slate-500">{$eb_lang.jobs_col_uploaded|escape}</dt><dd class="text-right tabular-nums text-slate-800" x-text="formatBytes(row.upload_bytes)"></dd>
          </dl>
          <p x-show="isCancelRequested(row)" x-cloak class="mt-2 text-xs font-medium text-amber-700">{$eb_lang.jobs_cancel_requested|escape}</p>
          <button type="button" x-show="canCancel(row)" x-cloak x-on:click="cancel(row)"
                  class="mt-2 rounded-lg border border-rose-200 px-2 py-1 text-xs font-medium text-rose-700">{$eb_lang.jobs_cancel|escape}</button>
        </li>
      </template>
    </ul>

    <nav class="mt-3 flex items-center justify-between gap-2 text-sm" aria-label="{$eb_lang.jobs_paging|escape}">
      <button type="button" class="rounded-lg border border-slate-200 bg-white px-3 py-1.5 disabled:opacity-50" x-on:click="prevPage()" :disabled="cursors.length < 2" data-testid="jobs-prev">{$eb_lang.table_previous|escape}</button>
      <span class="text-slate-500" x-text="pageSummary()" data-testid="jobs-page"></span>
      <button type="button" class="rounded-lg border border-slate-200 bg-white px-3 py-1.5 disabled:opacity-50" x-on:click="nextPage()" :disabled="!nextCursor" data-testid="jobs-next">{$eb_lang.table_next|escape}</button>
    </nav>
  </div>

  {* The job drawer. *}
  <div x-show="drawerOpen" x-cloak class="fixed inset-0 z-40 flex justify-end bg-slate-900/30" x-on:click.self="close()" data-testid="job-drawer">
    <div class="flex h-full w-full max-w-2xl flex-col overflow-hidden bg-white shadow-xl" role="dialog" aria-modal="true" aria-labelledby="eb-job-title">
      <template x-if="detail">
        <div class="flex min-h-0 flex-1 flex-col">
          <div class="flex items-start justify-between gap-3 border-b border-slate-200 p-4">
            <div class="min-w-0">
              <h2 id="eb-job-title" class="truncate text-lg font-semibold text-slate-900" x-text="jobTitle(detail.job)"></h2>
              <p class="truncate text-sm text-slate-500"><span x-text="detail.job.classification_label"></span> · <span x-text="deviceText(detail.job)"></span></p>
            </div>
            <button type="button" x-ref="drawerClose" x-on:click="close()" class="shrink-0 rounded-lg p-1.5 text-slate-500 hover:bg-slate-100" aria-label="{$eb_lang.jobs_close|escape}" data-testid="job-drawer-close">
              <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" class="h-5 w-5" aria-hidden="true"><path stroke-linecap="round" d="M6 6l12 12M18 6L6 18"/></svg>
            </button>
          </div>
          <div class="min-h-0 flex-1 overflow-y-auto p-4">
            <div class="flex flex-wrap items-center gap-2">
              <span class="inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium" :class="badgeClass(detail.job.status_class)" x-text="detail.job.status_label" data-testid="job-detail-status"></span>
              <span x-show="isCancelRequested(detail.job)" x-cloak class="text-xs font-medium text-amber-700" data-testid="job-detail-cancel-requested">{$eb_lang.jobs_cancel_requested|escape}</span>
              <button type="button" x-show="canCancel(detail.job)" x-cloak x-on:click="cancel(detail.job)" data-testid="job-detail-cancel"
                      class="ml-auto rounded-lg border border-rose-200 px-3 py-1 text-sm font-medium text-rose-700 hover:bg-rose-50">{$eb_lang.jobs_cancel|escape}</button>
            </div>
            <p x-show="detailState === 'error'" x-cloak class="mt-2 text-sm text-rose-700" role="alert" x-text="detailError"></p>
            <div x-show="detail.job.status_class === 'running'" x-cloak class="mt-3" data-testid="job-progress">
              <div class="flex justify-between text-xs text-slate-600">
                <span x-text="bytesText(detail.job)"></span>
                <span x-show="detail.items_total" x-text="t('jobs_items_done', { done: formatCount(detail.items_done), total: formatCount(detail.items_total) })"></span>
              </div>
              <div class="mt-1 h-2 overflow-hidden rounded-full bg-slate-100" role="progressbar" aria-label="{$eb_lang.jobs_progress|escape}" aria-valuemin="0" aria-valuemax="100" :aria-valuenow="progressPercent()">
                <div class="h-full rounded-full bg-sky-500 transition-all" :style="progressStyle()"></div>
              </div>
            </div>
            <dl class="mt-4 grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-3">
              <div><dt class="text-xs text-slate-500">{$eb_lang.jobs_col_started|escape}</dt><dd class="text-slate-800" x-text="formatWhen(detail.job.started_at)"></dd></div>
              <div><dt class="text-xs text-slate-500">{$eb_lang.jobs_ended|escape}</dt><dd class="text-slate-800" x-text="detail.job.ended_at ? formatWhen(detail.job.ended_at) : '—'"></dd></div>
              <div><dt class="text-xs text-slate-500">{$eb_lang.jobs_col_duration|escape}</dt><dd class="tabular-nums text-slate-800" x-text="formatDuration(detail.job.duration_secs)"></dd></div>
              <div><dt class="text-xs text-slate-500">{$eb_lang.jobs_col_size|escape}</dt><dd class="tabular-nums text-slate-800" x-text="formatBytes(detail.job.total_bytes)"></dd></div>
              <div><dt class="text-xs text-slate-500">{$eb_lang.jobs_col_files|escape}</dt><dd class="tabular-nums text-slate-800" x-text="formatCount(detail.job.total_files)"></dd></div>
              <div><dt class="text-xs text-slate-500">{$eb_lang.jobs_col_uploaded|escape}</dt><dd class="tabular-nums text-slate-800" x-text="formatBytes(detail.job.upload_bytes)"></dd></div>
              <div><dt class="text-xs text-slate-500">{$eb_lang.jobs_col_speed|escape}</dt><dd class="tabular-nums text-slate-800" x-text="speedText(detail.job)"></dd></div>
              <div class="col-span-2 min-w-0"><dt class="text-xs text-slate-500">{$eb_lang.jobs_vault|escape}</dt><dd class="truncate text-slate-800" x-text="detail.job.vault_name || detail.job.vault_id || '—'"></dd></div>
            </dl>

            <section class="mt-5" aria-labelledby="eb-job-log" data-testid="job-log">
              <div class="flex flex-wrap items-center gap-2">
                <h3 id="eb-job-log" class="mr-auto text-base font-semibold text-slate-900">{$eb_lang.jobs_log|escape}</h3>
                <button type="button" x-on:click="jumpToFirstError()" :disabled="!log || log.first_error === null" data-testid="log-first-error"
                        class="rounded-lg border border-slate-200 px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50">{$eb_lang.jobs_log_first_error|escape}</button>
                <button type="button" x-on:click="download()" :disabled="downloading" data-testid="log-download"
                        class="rounded-lg border border-slate-200 px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50">{$eb_lang.jobs_log_download|escape}</button>
              </div>
              <div class="mt-2 grid grid-cols-1 gap-2 sm:grid-cols-3">
                <div>
                  <label for="eb-log-sev" class="sr-only">{$eb_lang.jobs_log_severity|escape}</label>
                  <select id="eb-log-sev" x-model="logSeverity" x-on:change="loadLog()" data-testid="log-severity" class="w-full rounded-lg border border-slate-300 px-2 py-1.5 text-sm">
                    <option value="I">{$eb_lang.jobs_log_all|escape}</option>
                    <option value="W">{$eb_lang.jobs_log_warnings|escape}</option>
                    <option value="E">{$eb_lang.jobs_log_errors|escape}</option>
                  </select>
                </div>
                <div class="sm:col-span-2">
                  <label for="eb-log-q" class="sr-only">{$eb_lang.jobs_log_search|escape}</label>
                  <input id="eb-log-q" type="search" x-model="logQuery" x-on:input="logSearchChanged()" maxlength="200" data-testid="log-search"
                         placeholder="{$eb_lang.jobs_log_search|escape}" class="w-full rounded-lg border border-slate-300 px-3 py-1.5 text-sm">
                </div>
              </div>
              <p x-show="logState === 'loading'" class="mt-3 text-sm text-slate-500" role="status">{$eb_lang.jobs_log_loading|escape}</p>
              <p x-show="logState === 'error'" x-cloak class="mt-3 text-sm text-rose-700" role="alert" x-text="logError"></p>
              <p x-show="logState === 'ready' && log && !log.available" x-cloak class="mt-3 text-sm text-slate-500" x-text="log && log.message"></p>
              <p x-show="logState === 'ready' && log && log.available && logEntries().length === 0" x-cloak class="mt-3 text-sm text-slate-500">{$eb_lang.jobs_log_empty|escape}</p>
              <ol x-show="logState === 'ready' && logEntries().length > 0" class="mt-3 divide-y divide-slate-100 rounded-lg font-mono text-xs ring-1 ring-slate-200" data-testid="log-entries">
                <template x-for="(e, i) in logEntries()" :key="i">
                  <li class="flex gap-2 px-2 py-1 focus:outline-none focus:ring-2 focus:ring-sky-400" :class="severityClass(e.severity)" tabindex="-1" :data-log-index="i" :data-severity="e.severity" data-testid="log-entry">
                    <span class="shrink-0 tabular-nums text-slate-500" x-text="logTime(e.time)"></span>
                    <span class="shrink-0 font-semibold" x-text="severityLabel(e.severity)"></span>
                    <span class="min-w-0 whitespace-pre-wrap break-words" x-text="e.message"></span>
                  </li>
                </template>
              </ol>
              <p x-show="log && log.truncated" x-cloak class="mt-2 text-xs text-slate-500">{$eb_lang.jobs_log_truncated|escape}</p>
            </section>
          </div>
        </div>
      </template>
    </div>
  </div>
</div>
