{* A service's status as a badge (server-rendered). Param: status (Active|Suspended|…). The same
   colours as lib/status.js serviceBadgeClass. *}
{if $status == 'Suspended'}
  <span class="inline-flex shrink-0 items-center rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800" data-testid="status-badge">{$eb_lang.service_status_Suspended|escape}</span>
{elseif $status == 'Active'}
  <span class="inline-flex shrink-0 items-center rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800" data-testid="status-badge">{$eb_lang.service_status_Active|escape}</span>
{else}
  <span class="inline-flex shrink-0 items-center rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700" data-testid="status-badge">{$status|escape}</span>
{/if}
