{* eazyBackup Console dashboard. Every variable is escaped; live data is rendered by
   assets/js/components/pulse-card.js with x-text only (never x-html). *}
{include file="../shared/assets.tpl"}

{* #eb-console carries no utility classes: ours only apply inside it (tailwind.config.js). *}
<div id="eb-console" data-testid="dashboard"
     {include file="../shared/root-attrs.tpl"}>
<div class="mx-auto w-full max-w-6xl px-0 py-2 text-slate-800 sm:py-4">

  <header class="mb-5 flex flex-col gap-1 sm:mb-6">
    <h1 class="text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">{$eb_lang.dashboard_title|escape}</h1>
    <p class="text-sm text-slate-500">{$eb_lang.dashboard_subtitle|escape}</p>
  </header>

  {if !$eb_configured}
    <div class="mb-5 rounded-xl border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-800" role="alert">
      {$eb_lang.not_configured|escape}
    </div>
  {/if}

  <div class="grid grid-cols-1 gap-5 lg:grid-cols-3 lg:gap-6">
    <div class="min-w-0 lg:col-span-2">
      {include file="./partials/pulse-card.tpl"}
    </div>
    <aside class="min-w-0">
      {include file="./partials/services.tpl"}
    </aside>
  </div>

  {include file="../shared/toast.tpl"}
</div>
</div>
