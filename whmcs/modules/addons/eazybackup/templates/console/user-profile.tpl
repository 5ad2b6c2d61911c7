{* A backup account's console: header (service, Comet username, server, status), service switcher,
   and the tabs Overview · Devices · Protected items · Storage vaults · Jobs · Restore · Account
   (components/console-shell.js; the open tab is in the URL hash). One partial per tab in partials/. *}
{include file="../shared/assets.tpl"}

{* #eb-console carries no utility classes: ours only apply inside it (tailwind.config.js). *}
<div id="eb-console"
     {include file="../shared/root-attrs.tpl"}
     data-testid="console" data-service-id="{$eb_service.service_id|escape}"
     x-data="consoleShell({$eb_tabs_json|escape})">
<div class="mx-auto w-full max-w-6xl px-0 py-2 text-slate-800 sm:py-4">

  <header class="mb-4 flex flex-col gap-4 sm:mb-5 sm:flex-row sm:items-start sm:justify-between">
    <div class="min-w-0">
      <a href="{$eb_routes.dashboard|escape}" class="text-sm font-medium text-sky-700 hover:underline">&larr; {$eb_lang.back_to_dashboard|escape}</a>
      <div class="mt-1 flex flex-wrap items-center gap-2">
        <h1 class="truncate text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl" data-testid="console-title">{$eb_service.product|escape}</h1>
        {include file="../shared/status-badge.tpl" status=$eb_service.status}
      </div>
      <dl class="mt-2 flex flex-wrap gap-x-5 gap-y-1 text-sm text-slate-600" data-testid="console-account">
        <div class="flex gap-1.5"><dt class="text-slate-500">{$eb_lang.console_username|escape}:</dt><dd class="font-medium text-slate-800" data-testid="console-username">{$eb_service.username|escape}</dd></div>
        <div class="flex gap-1.5"><dt class="text-slate-500">{$eb_lang.console_server|escape}:</dt><dd class="font-medium text-slate-800">{$eb_service.profile|escape}</dd></div>
      </dl>
    </div>
    {if count($eb_services) > 1}
      <div x-data="serviceSwitcher" class="w-full sm:w-72">
        <label for="eb-service-switcher" class="mb-1 block text-xs font-medium text-slate-500">{$eb_lang.switcher_label|escape}</label>
        <select id="eb-service-switcher" data-testid="service-switcher" x-on:change="go($event)"
                class="block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm text-slate-800">
          {foreach from=$eb_services item=service}
            <option value="{$service.service_id|escape}"{if $service.service_id == $eb_service.service_id} selected{/if}>{$service.product|escape} &middot; {$service.username|escape}</option>
          {/foreach}
        </select>
      </div>
    {/if}
  </header>

  {if !$eb_configured}
    <div class="mb-5 rounded-xl border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-800" role="alert">
      {$eb_lang.not_configured|escape}
    </div>
  {/if}

  <div class="-mx-1 mb-5 overflow-x-auto px-1 sm:mx-0 sm:px-0">
    <div role="tablist" aria-label="{$eb_lang.console_tabs_label|escape}" class="flex min-w-max gap-1 border-b border-slate-200" data-testid="console-tabs"
         x-on:keydown="onKey($event)">
      {foreach from=$eb_tabs item=tab}
        {assign var=eb_tab_label value="tab_`$tab`"}
        <button type="button" role="tab" id="eb-tab-{$tab|escape}" aria-controls="eb-panel-{$tab|escape}" data-tab="{$tab|escape}"
                :aria-selected="isCurrent('{$tab|escape}') ? 'true' : 'false'" :tabindex="isCurrent('{$tab|escape}') ? 0 : -1"
                x-on:click="select('{$tab|escape}')"
                class="-mb-px whitespace-nowrap border-b-2 px-3 py-2.5 text-sm font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
                :class="isCurrent('{$tab|escape}') ? 'border-sky-600 text-sky-700' : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-800'">
          {$eb_lang[$eb_tab_label]|escape}
        </button>
      {/foreach}
    </div>
  </div>

  {foreach from=$eb_tabs item=tab}
    <section role="tabpanel" id="eb-panel-{$tab|escape}" aria-labelledby="eb-tab-{$tab|escape}" tabindex="0" data-panel="{$tab|escape}"
             x-show="isCurrent('{$tab|escape}')"{if $tab != 'overview'} x-cloak{/if} class="focus:outline-none">
      {include file="./partials/`$tab`.tpl"}
    </section>
  {/foreach}

  {include file="../shared/toast.tpl"}
  {include file="../shared/confirm.tpl"}
</div>
</div>
