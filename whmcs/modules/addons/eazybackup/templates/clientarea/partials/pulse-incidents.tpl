{* Incidents of the last 24 hours (warning / error / missed) with a Snooze menu. *}
<div class="px-4 pb-5 pt-3 sm:px-6">
  <h3 class="mb-2 flex items-center gap-2 text-sm font-semibold uppercase tracking-wide text-slate-500">
    {$eb_lang.pulse_incidents|escape}
    <span class="rounded-full bg-rose-100 px-2 py-0.5 text-xs font-semibold text-rose-700" x-show="!loading && incidentsTotal > 0" x-cloak x-text="incidentsTotal"></span>
  </h3>

  <div x-show="loading" class="space-y-3 py-2" aria-hidden="true">
    <div class="h-14 animate-pulse rounded-xl bg-slate-100"></div>
  </div>

  <ul data-testid="pulse-incidents" x-show="!loading" x-cloak class="space-y-2 py-1">
    <template x-for="incident in incidents" :key="jobKey(incident)">
      <li data-testid="pulse-incident" :data-job-key="jobKey(incident)" :data-profile="incident.profile" :data-job-id="incident.job_id" :data-status-class="incident.status_class"
          class="flex items-start justify-between gap-3 rounded-xl border border-slate-200 px-3 py-3 sm:items-center sm:px-4">
        <div class="min-w-0">
          <span class="inline-block rounded-md px-2 py-0.5 text-xs font-semibold" :class="badgeClass(incident.status_class)" x-text="incident.status_label"></span>
          <p class="mt-1 truncate font-medium text-slate-900" x-text="incident.device_name || incident.device_id"></p>
          <p class="truncate text-sm text-slate-500">
            <span x-text="incident.item_name || incident.classification_label"></span>
            <span class="text-slate-300">&middot;</span>
            <span x-text="serviceLabel(incident)"></span>
          </p>
          <p class="text-xs text-slate-400" x-text="formatWhen(incident.ended_at || incident.started_at)"></p>
        </div>
        <div class="relative shrink-0" x-on:click.outside="closeMenu(incident)" x-on:keydown.escape="closeMenu(incident)">
          {* A suspended service is read-only: say so instead of offering a snooze the API refuses. *}
          <span x-show="isReadOnly(incident)" data-testid="pulse-read-only" title="{$eb_lang.pulse_read_only_hint|escape}"
                class="inline-flex items-center rounded-lg border border-amber-200 bg-amber-50 px-3 py-1.5 text-sm font-medium text-amber-800">
            {$eb_lang.pulse_read_only|escape}<span class="sr-only">: {$eb_lang.pulse_read_only_hint|escape}</span>
          </span>
          <button type="button" data-testid="pulse-snooze" x-show="!isReadOnly(incident)" class="inline-flex items-center gap-1 rounded-lg border border-slate-200 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50"
                  x-on:click="toggleMenu(incident)" :aria-expanded="menuOpen(incident)" :disabled="isSnoozing(incident)">
            {$eb_lang.pulse_snooze|escape}
            <svg viewBox="0 0 20 20" fill="currentColor" class="h-4 w-4" aria-hidden="true"><path fill-rule="evenodd" d="M5.23 7.21a.75.75 0 011.06.02L10 11.06l3.71-3.83a.75.75 0 111.08 1.04l-4.25 4.39a.75.75 0 01-1.08 0L5.21 8.27a.75.75 0 01.02-1.06z" clip-rule="evenodd"/></svg>
          </button>
          <div x-show="menuOpen(incident)" x-cloak x-transition.origin.top.right
               class="absolute right-0 z-20 mt-1 w-36 overflow-hidden rounded-xl bg-white py-1 shadow-lg ring-1 ring-slate-200" role="menu">
            <button type="button" role="menuitem" data-minutes="60" class="block w-full px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-50" x-on:click="snooze(incident, 60)">{$eb_lang.pulse_snooze_1h|escape}</button>
            <button type="button" role="menuitem" data-minutes="1440" class="block w-full px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-50" x-on:click="snooze(incident, 1440)">{$eb_lang.pulse_snooze_24h|escape}</button>
            <button type="button" role="menuitem" data-minutes="10080" class="block w-full px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-50" x-on:click="snooze(incident, 10080)">{$eb_lang.pulse_snooze_7d|escape}</button>
          </div>
        </div>
      </li>
    </template>
    <li x-show="hiddenIncidents() > 0" x-cloak class="px-1 pt-1 text-xs text-slate-500" data-testid="pulse-incidents-more" x-text="t('pulse_incidents_more', { count: hiddenIncidents() })"></li>
    <li x-show="incidents.length === 0" class="flex items-center gap-3 rounded-xl border border-dashed border-emerald-200 bg-emerald-50/50 px-4 py-5 text-sm text-emerald-800" data-testid="pulse-incidents-empty">
      <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" class="h-5 w-5 shrink-0 text-emerald-500" aria-hidden="true"><path stroke-linecap="round" stroke-linejoin="round" d="M5 13l4 4L19 7"/></svg>
      {$eb_lang.pulse_incidents_empty|escape}
    </li>
  </ul>
</div>
