{* The confirm dialog (components/confirm.js): names what will be lost before a destructive action.
   Escape or Cancel answers no; focus starts on Cancel and returns where it was. *}
<div x-data="confirmDialog" x-show="open" x-cloak class="fixed inset-0 z-50 flex items-end justify-center bg-slate-900/40 p-4 sm:items-center"
     x-on:keydown.escape="answer(false)" data-testid="confirm">
  <div class="w-full max-w-md rounded-2xl bg-white p-5 shadow-xl ring-1 ring-slate-200" role="alertdialog" aria-modal="true" aria-labelledby="eb-confirm-title" aria-describedby="eb-confirm-lost">
    <h2 id="eb-confirm-title" class="text-lg font-semibold text-slate-900" x-text="title"></h2>
    <div id="eb-confirm-lost" class="mt-3 text-sm text-slate-600">
      <p>{$eb_lang.confirm_lost|escape}</p>
      <ul class="mt-2 list-disc space-y-1 pl-5">
        <template x-for="(thing, i) in lost" :key="i"><li x-text="thing"></li></template>
      </ul>
    </div>
    <div class="mt-5 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
      <button type="button" x-ref="cancel" class="rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50" x-on:click="answer(false)">{$eb_lang.confirm_cancel|escape}</button>
      <button type="button" class="rounded-lg bg-rose-600 px-4 py-2 text-sm font-medium text-white hover:bg-rose-700" x-on:click="answer(true)" x-text="confirmLabel"></button>
    </div>
  </div>
</div>
