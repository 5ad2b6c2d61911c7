{* Counts summary of the Protection Pulse (last 24 hours + running now). *}
<dl class="grid grid-cols-2 gap-2 px-4 py-4 sm:grid-cols-5 sm:gap-3 sm:px-6" data-testid="pulse-counts">
  <div class="col-span-2 rounded-xl bg-sky-50 px-3 py-2.5 sm:col-span-1">
    <dt class="text-xs font-medium text-sky-700">{$eb_lang.status_running|escape}</dt>
    <dd class="text-xl font-semibold tabular-nums text-sky-900" data-count="running" x-text="loading ? '–' : counts.running"></dd>
  </div>
  <div class="rounded-xl bg-emerald-50 px-3 py-2.5">
    <dt class="text-xs font-medium text-emerald-700">{$eb_lang.status_success|escape}</dt>
    <dd class="text-xl font-semibold tabular-nums text-emerald-900" data-count="success" x-text="loading ? '–' : counts.success"></dd>
  </div>
  <div class="rounded-xl bg-amber-50 px-3 py-2.5">
    <dt class="text-xs font-medium text-amber-700">{$eb_lang.status_warning|escape}</dt>
    <dd class="text-xl font-semibold tabular-nums text-amber-900" data-count="warning" x-text="loading ? '–' : counts.warning"></dd>
  </div>
  <div class="rounded-xl bg-rose-50 px-3 py-2.5">
    <dt class="text-xs font-medium text-rose-700">{$eb_lang.status_error|escape}</dt>
    <dd class="text-xl font-semibold tabular-nums text-rose-900" data-count="error" x-text="loading ? '–' : counts.error"></dd>
  </div>
  <div class="rounded-xl bg-slate-100 px-3 py-2.5">
    <dt class="text-xs font-medium text-slate-600">{$eb_lang.status_missed|escape}</dt>
    <dd class="text-xl font-semibold tabular-nums text-slate-900" data-count="missed" x-text="loading ? '–' : counts.missed"></dd>
  </div>
</dl>
