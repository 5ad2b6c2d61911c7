{* A tab whose feature is not built yet: says what will be here. Params: title, text. *}
<div class="rounded-2xl border border-dashed border-slate-300 bg-white px-5 py-8 text-center" data-testid="coming-soon">
  <p class="text-base font-semibold text-slate-900">{$title|escape}</p>
  <p class="mx-auto mt-2 max-w-xl text-sm text-slate-600">{$text|escape}</p>
  <p class="mt-3 inline-block rounded-full bg-slate-100 px-3 py-1 text-xs font-medium text-slate-600">{$eb_lang.coming_title|escape}</p>
</div>
