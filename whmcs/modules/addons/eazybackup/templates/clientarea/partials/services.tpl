{* The client's backup accounts (Active/Suspended Comet services), rendered server-side; each opens
   its console. *}
<section class="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5" data-testid="services">
  <h2 class="text-base font-semibold text-slate-900">{$eb_lang.services_title|escape}</h2>
  {if empty($eb_services)}
    <p class="mt-3 text-sm text-slate-500">{$eb_lang.services_empty|escape}</p>
  {else}
    <ul class="mt-3 divide-y divide-slate-100">
      {foreach from=$eb_services item=service}
        <li data-testid="service" data-service-id="{$service.service_id|escape}">
          <a href="{$eb_routes.console|escape}&amp;serviceid={$service.service_id|escape}" data-testid="service-console-link"
             class="-mx-2 flex items-center justify-between gap-3 rounded-lg px-2 py-3 text-inherit no-underline hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500">
            <span class="min-w-0">
              <span class="block truncate text-sm font-medium text-slate-900">{$service.product|escape}</span>
              <span class="block truncate text-xs text-slate-500">{$service.username|escape} &middot; {$service.profile|escape}</span>
            </span>
            <span class="flex shrink-0 items-center gap-2">
              {include file="../../shared/status-badge.tpl" status=$service.status}
              <span class="sr-only">{$eb_lang.console_open|escape}</span>
              <svg viewBox="0 0 20 20" fill="currentColor" class="h-4 w-4 text-slate-400" aria-hidden="true"><path fill-rule="evenodd" d="M7.21 14.77a.75.75 0 01.02-1.06L11.168 10 7.23 6.29a.75.75 0 111.04-1.08l4.5 4.25a.75.75 0 010 1.08l-4.5 4.25a.75.75 0 01-1.06-.02z" clip-rule="evenodd"/></svg>
            </span>
          </a>
        </li>
      {/foreach}
    </ul>
  {/if}
</section>
