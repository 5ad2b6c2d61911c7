{* A loading, empty or error state for a client-rendered block.
   Params: kind (loading|empty|error), when (Alpine expression showing it), text (fixed words) or
   message (Alpine expression, for errors worded by the API), retry (Alpine expression, optional). *}
{if $kind == 'loading'}
  <div x-show="{$when|escape}" class="flex items-center gap-3 rounded-xl border border-slate-200 bg-white px-4 py-5 text-sm text-slate-500" role="status" data-state="loading">
    <svg class="h-5 w-5 shrink-0 animate-spin text-sky-500" viewBox="0 0 24 24" fill="none" aria-hidden="true"><circle cx="12" cy="12" r="9" stroke="currentColor" stroke-opacity=".25" stroke-width="3"/><path d="M21 12a9 9 0 00-9-9" stroke="currentColor" stroke-width="3" stroke-linecap="round"/></svg>
    <span>{$text|escape}</span>
  </div>
{elseif $kind == 'empty'}
  <div x-show="{$when|escape}" x-cloak class="flex items-center gap-3 rounded-xl border border-dashed border-slate-200 px-4 py-5 text-sm text-slate-500" data-state="empty">
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" class="h-5 w-5 shrink-0 text-slate-400" aria-hidden="true"><circle cx="12" cy="12" r="9"/><path stroke-linecap="round" d="M8 12h8"/></svg>
    <span>{$text|escape}</span>
  </div>
{else}
  <div x-show="{$when|escape}" x-cloak class="flex items-start justify-between gap-3 rounded-xl border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-800" role="alert" data-state="error">
    {if isset($message)}<span x-text="{$message|escape}"></span>{else}<span>{$text|escape}</span>{/if}
    {if isset($retry)}<button type="button" class="shrink-0 font-medium text-rose-700 underline" x-on:click="{$retry|escape}">{$eb_lang.retry|escape}</button>{/if}
  </div>
{/if}
