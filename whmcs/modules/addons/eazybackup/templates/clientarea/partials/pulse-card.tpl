{* Protection Pulse: running jobs, last-24h incidents and counts, kept live by pulseCard
   (assets/js/components/pulse-card.js). Comet-controlled text is only ever bound with x-text. *}
<section x-data="pulseCard" class="overflow-hidden rounded-2xl bg-white shadow-sm ring-1 ring-slate-200" data-testid="pulse-card">

  <div class="flex items-center justify-between gap-2 border-b border-slate-100 px-4 py-4 sm:gap-3 sm:px-6">
    <div class="flex min-w-0 items-center gap-2.5 sm:gap-3">
      <span class="flex h-9 w-9 shrink-0 items-center justify-center rounded-xl bg-sky-50 text-sky-600" aria-hidden="true">
        <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" class="h-5 w-5"><path stroke-linecap="round" stroke-linejoin="round" d="M12 3l7 3v6c0 4.5-3 7.5-7 9-4-1.5-7-4.5-7-9V6l7-3z"/><path stroke-linecap="round" stroke-linejoin="round" d="M8.5 12.5h2l1.5-3 2 5 1.5-2h2"/></svg>
      </span>
      <h2 class="text-base font-semibold leading-tight text-slate-900 sm:text-lg">{$eb_lang.pulse_title|escape}</h2>
    </div>
    <span data-testid="pulse-live" :data-state="live" role="status"
          class="inline-flex shrink-0 items-center gap-2 rounded-full px-2.5 py-1 text-xs font-medium"
          :class="liveBadgeClass()">
      <span class="relative flex h-2 w-2">
        <span x-show="live === 'live'" class="absolute inline-flex h-full w-full animate-ping rounded-full bg-emerald-400 opacity-75"></span>
        <span class="relative inline-flex h-2 w-2 rounded-full" :class="liveDotClass()"></span>
      </span>
      <span x-show="live === 'live'">{$eb_lang.pulse_live|escape}</span>
      <span x-show="live === 'reconnecting'" x-cloak>{$eb_lang.pulse_reconnecting|escape}</span>
      <span x-show="live === 'connecting'" x-cloak>{$eb_lang.pulse_connecting|escape}</span>
    </span>
  </div>

  <div x-show="error" x-cloak class="mx-4 mt-4 flex items-start justify-between gap-3 rounded-xl border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-800 sm:mx-6" role="alert" data-testid="pulse-error">
    <span x-text="error"></span>
    <button type="button" class="shrink-0 font-medium text-rose-700 underline" x-on:click="retry()">{$eb_lang.retry|escape}</button>
  </div>

  {include file="./pulse-counts.tpl"}

  <div class="px-4 pb-2 sm:px-6">
    <h3 class="mb-2 mt-1 flex items-center gap-2 text-sm font-semibold uppercase tracking-wide text-slate-500">
      {$eb_lang.pulse_running|escape}
      <span class="rounded-full bg-sky-100 px-2 py-0.5 text-xs font-semibold text-sky-700" x-show="!loading" x-text="activeCount()"></span>
    </h3>

    <div x-show="loading" class="space-y-3 py-2" aria-hidden="true" data-testid="pulse-skeleton">
      <div class="h-16 animate-pulse rounded-xl bg-slate-100"></div>
      <div class="h-16 animate-pulse rounded-xl bg-slate-100"></div>
    </div>

    <ul data-testid="pulse-running" x-show="!loading" x-cloak class="space-y-3 py-1">
      <template x-for="job in runningList()" :key="jobKey(job)">
        <li data-testid="pulse-job" :data-job-key="jobKey(job)" :data-profile="job.profile" :data-job-id="job.job_id" :data-status-class="job.status_class"
            class="rounded-xl border px-3 py-3 transition-colors duration-500 sm:px-4" :class="jobRowClass(job)">
          <div class="flex items-start justify-between gap-3">
            <div class="min-w-0">
              <p class="truncate font-medium text-slate-900" x-text="job.device_name || job.device_id"></p>
              <p class="truncate text-sm text-slate-500">
                <span x-text="job.item_name || job.classification_label"></span>
                <span class="text-slate-300">&middot;</span>
                <span x-text="serviceLabel(job)"></span>
              </p>
            </div>
            <div class="shrink-0 text-right">
              <p class="text-sm font-semibold tabular-nums text-slate-900" x-text="job.ended_at ? job.status_label : elapsed(job)"></p>
              <p class="text-xs text-slate-500" x-text="job.classification_label"></p>
            </div>
          </div>
          <div class="mt-3 h-2 overflow-hidden rounded-full bg-slate-100" role="progressbar" :aria-valuenow="percent(job)" aria-valuemin="0" aria-valuemax="100">
            <div x-show="percent(job) !== null" class="h-full rounded-full transition-all duration-700" :class="barClass(job)" :style="barStyle(job)"></div>
            <div x-show="percent(job) === null" class="h-full w-2/5 rounded-full bg-sky-400 animate-eb-indeterminate"></div>
          </div>
          <div class="mt-1.5 flex justify-between text-xs tabular-nums text-slate-500">
            <span x-text="progressText(job)"></span>
            <span x-text="t('started_at', { time: formatTime(job.started_at) })"></span>
          </div>
        </li>
      </template>
      <li x-show="runningList().length === 0" class="flex items-center gap-3 rounded-xl border border-dashed border-slate-200 px-4 py-5 text-sm text-slate-500" data-testid="pulse-running-empty">
        <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" class="h-5 w-5 shrink-0 text-slate-400" aria-hidden="true"><circle cx="12" cy="12" r="9"/><path stroke-linecap="round" d="M12 7v5l3 2"/></svg>
        {$eb_lang.pulse_running_empty|escape}
      </li>
    </ul>
  </div>

  {include file="./pulse-incidents.tpl"}

  <div class="border-t border-slate-100 px-4 py-2.5 text-right text-xs text-slate-400 sm:px-6" x-show="updatedAt" x-cloak>
    <span x-text="t('updated_at', { time: formatTime(updatedAt, true) })"></span>
  </div>
</section>
