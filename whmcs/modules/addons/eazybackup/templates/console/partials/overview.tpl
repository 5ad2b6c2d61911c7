{* The Overview tab (components/overview.js): account summary, usage against every quota, the last
   24 hours of jobs by status (live), and news from the provider when there is any. Comet-controlled
   text is bound with x-text only. *}
<div x-data="overview({$eb_service.service_id|escape})" :data-state="state" data-testid="overview" class="space-y-5">

  <div x-show="cometDown()" x-cloak class="rounded-xl border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900" role="alert" data-testid="comet-down">
    <p class="font-medium">{$eb_lang.overview_comet_down|escape}</p>
    <p class="mt-0.5 text-amber-800" x-show="cometMessage()" x-text="cometMessage()"></p>
  </div>
  {include file="../../shared/state.tpl" kind="error" when="error !== ''" message="error" retry="retry()"}
  {include file="../../shared/state.tpl" kind="loading" when="state === 'loading'" text=$eb_lang.overview_loading}

  <div x-show="state === 'ready'" x-cloak class="grid grid-cols-1 gap-5 lg:grid-cols-3">
    <section class="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5 lg:col-span-2" aria-labelledby="eb-ov-summary" data-testid="overview-summary">
      <h2 id="eb-ov-summary" class="text-base font-semibold text-slate-900">{$eb_lang.overview_summary|escape}</h2>
      <dl class="mt-4 grid grid-cols-2 gap-x-4 gap-y-4 sm:grid-cols-3">
        <div class="col-span-2 min-w-0 sm:col-span-1">
          <dt class="text-xs font-medium text-slate-500">{$eb_lang.overview_display_name|escape}</dt>
          <dd class="truncate font-medium text-slate-900" data-field="display_name" x-text="account().display_name || '—'"></dd>
        </div>
        <div class="col-span-2 min-w-0 sm:col-span-1">
          <dt class="text-xs font-medium text-slate-500">{$eb_lang.overview_email|escape}</dt>
          <dd class="truncate text-slate-800" data-field="email" x-text="account().email || '—'"></dd>
        </div>
        <div>
          <dt class="text-xs font-medium text-slate-500">{$eb_lang.overview_created|escape}</dt>
          <dd class="text-slate-800" data-field="created" x-text="formatDate(account().created_ts) || '—'"></dd>
        </div>
        <div>
          <dt class="text-xs font-medium text-slate-500">{$eb_lang.overview_devices|escape}</dt>
          <dd class="text-xl font-semibold tabular-nums text-slate-900" data-field="devices" x-text="devicesText()"></dd>
        </div>
        <div>
          <dt class="text-xs font-medium text-slate-500">{$eb_lang.overview_items|escape}</dt>
          <dd class="text-xl font-semibold tabular-nums text-slate-900" data-field="items" x-text="itemsText()"></dd>
        </div>
        <div>
          <dt class="text-xs font-medium text-slate-500">{$eb_lang.overview_vaults|escape}</dt>
          <dd class="text-xl font-semibold tabular-nums text-slate-900" data-field="vaults" x-text="vaultsText()"></dd>
        </div>
        <div>
          <dt class="text-xs font-medium text-slate-500">{$eb_lang.overview_storage|escape}</dt>
          <dd class="text-xl font-semibold tabular-nums text-slate-900" data-field="storage" x-text="storageText()"></dd>
        </div>
      </dl>
    </section>

    <section class="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5" aria-labelledby="eb-ov-jobs" data-testid="overview-jobs">
      <div class="flex items-center justify-between gap-2">
        <h2 id="eb-ov-jobs" class="text-base font-semibold text-slate-900">{$eb_lang.overview_jobs|escape}</h2>
        <span class="inline-flex items-center gap-1.5 text-xs font-medium" :class="live === 'live' ? 'text-emerald-700' : 'text-amber-700'" :data-state="live" data-testid="overview-live" role="status">
          <span class="h-2 w-2 rounded-full" :class="live === 'live' ? 'bg-emerald-500' : 'bg-amber-500 animate-pulse'" aria-hidden="true"></span>
          <span x-show="live === 'live'">{$eb_lang.pulse_live|escape}</span>
          <span x-show="live === 'reconnecting'" x-cloak>{$eb_lang.pulse_reconnecting|escape}</span>
          <span x-show="live === 'connecting'" x-cloak>{$eb_lang.pulse_connecting|escape}</span>
        </span>
      </div>
      <ul class="mt-4 space-y-3">
        <template x-for="c in classes" :key="c">
          <li :data-count="c">
            <div class="flex items-center justify-between text-sm">
              <span class="inline-flex items-center gap-2"><span class="h-2.5 w-2.5 rounded-full" :class="barClass(c)" aria-hidden="true"></span><span x-text="statusLabel(c)"></span></span>
              <span class="font-semibold tabular-nums text-slate-900" data-testid="job-count" x-text="jobs[c]"></span>
            </div>
            <div class="mt-1 h-1.5 overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
              <div class="h-full rounded-full transition-all duration-500" :class="barClass(c)" :style="jobShare(c)"></div>
            </div>
          </li>
        </template>
      </ul>
      <p x-show="jobsTotal() === 0" class="mt-3 text-sm text-slate-500">{$eb_lang.overview_jobs_empty|escape}</p>
    </section>

    <section class="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5 lg:col-span-3" aria-labelledby="eb-ov-quotas" data-testid="overview-quotas">
      <h2 id="eb-ov-quotas" class="text-base font-semibold text-slate-900">{$eb_lang.overview_quotas|escape}</h2>
      <ul class="mt-4 grid grid-cols-1 gap-x-6 gap-y-4 md:grid-cols-2">
        <template x-for="q in quotas()" :key="quotaKey(q)">
          <li data-testid="quota" :data-key="q.key" :data-vault-id="q.vault_id || ''">
            <div class="flex items-baseline justify-between gap-3 text-sm">
              <span class="min-w-0 truncate font-medium text-slate-800" x-text="quotaLabel(q)"></span>
              <span class="shrink-0 tabular-nums text-slate-600" data-testid="quota-amount" x-text="quotaAmount(q)"></span>
            </div>
            <div class="mt-1.5 h-2 overflow-hidden rounded-full bg-slate-100" role="progressbar" :aria-label="quotaLabel(q)" aria-valuemin="0" aria-valuemax="100"
                 :aria-valuenow="quotaPercent(q)" :aria-valuetext="quotaAmount(q)">
              <div class="h-full rounded-full" :class="quotaBarClass(q)" :style="quotaBarStyle(q)"></div>
            </div>
          </li>
        </template>
      </ul>
      {include file="../../shared/state.tpl" kind="empty" when="quotas().length === 0" text=$eb_lang.overview_quotas_empty}
    </section>

    <section x-show="news().length > 0" class="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5 lg:col-span-3" aria-labelledby="eb-ov-news" data-testid="overview-news">
      <h2 id="eb-ov-news" class="text-base font-semibold text-slate-900">{$eb_lang.overview_news|escape}</h2>
      <ul class="mt-3 divide-y divide-slate-100">
        <template x-for="item in news()" :key="item.id">
          <li class="py-3" data-testid="news-item">
            <p class="text-xs text-slate-500" x-text="formatWhen(item.ts)"></p>
            <p class="mt-1 whitespace-pre-line text-sm text-slate-800" x-text="item.content"></p>
          </li>
        </template>
      </ul>
    </section>
  </div>
</div>
