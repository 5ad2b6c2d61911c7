{* The client's backup accounts (Active/Suspended Comet services), rendered server-side. *}
<section class="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5" data-testid="services">
  <h2 class="text-base font-semibold text-slate-900">{$eb_lang.services_title|escape}</h2>
  {if empty($eb_services)}
    <p class="mt-3 text-sm text-slate-500">{$eb_lang.services_empty|escape}</p>
  {else}
    <ul class="mt-3 divide-y divide-slate-100">
      {foreach from=$eb_services item=service}
        <li class="flex items-center justify-between gap-3 py-3" data-testid="service" data-service-id="{$service.service_id|escape}">
          <div class="min-w-0">
            <p class="truncate text-sm font-medium text-slate-900">{$service.product|escape}</p>
            <p class="truncate text-xs text-slate-500">{$service.username|escape} &middot; {$service.profile|escape}</p>
          </div>
          {if $service.status == 'Suspended'}
            <span class="shrink-0 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800">{$eb_lang.suspended|escape}</span>
          {else}
            <span class="shrink-0 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">{$service.status|escape}</span>
          {/if}
        </li>
      {/foreach}
    </ul>
  {/if}
</section>
