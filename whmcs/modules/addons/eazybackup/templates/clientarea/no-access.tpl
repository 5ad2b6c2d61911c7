{* Shown instead of the console to a logged-in visitor who may not use it (a sub-user without the
   products permission, or a closed account). Carries no token, no CSRF value and no service data. *}
{assign var=eb_assets value="`$WEB_ROOT`/modules/addons/eazybackup/templates/assets"}
<link rel="stylesheet" href="{$eb_assets|escape}/css/app.css">

<div id="eb-console" data-testid="no-access">
<div class="mx-auto w-full max-w-6xl px-0 py-2 text-slate-800 sm:py-4">
  <div class="rounded-xl border border-slate-200 bg-white px-4 py-5 shadow-sm" role="status">
    <h1 class="mb-2 text-xl font-semibold tracking-tight text-slate-900">{$eb_lang.no_access_title|escape}</h1>
    {if $eb_no_access_reason == 'service'}
      <p class="text-sm text-slate-600">{$eb_lang.no_access_service|escape}</p>
      <p class="mt-3 text-sm"><a href="{$eb_dashboard_url|escape}" class="font-medium text-sky-700 hover:underline">{$eb_lang.back_to_dashboard|escape}</a></p>
    {elseif $eb_no_access_reason == 'closed'}
      <p class="text-sm text-slate-600">{$eb_lang.no_access_closed|escape}</p>
    {else}
      <p class="text-sm text-slate-600">{$eb_lang.no_access_permission|escape}</p>
    {/if}
  </div>
</div>
</div>
