{* Toasts (components/toast.js). Announced politely to screen readers; each can be dismissed. *}
<div x-data="toast" class="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex flex-col items-center gap-2 px-4 sm:items-end sm:px-6" aria-live="polite" data-testid="toasts">
  <template x-for="item in items" :key="item.id">
    <div class="pointer-events-auto flex w-full max-w-sm items-start justify-between gap-3 rounded-xl border px-4 py-3 text-sm shadow-lg" :class="kindClass(item.kind)" role="status" data-testid="toast">
      <span x-text="item.message"></span>
      <button type="button" class="shrink-0 text-current opacity-70 hover:opacity-100" x-on:click="dismiss(item.id)">
        <span class="sr-only">{$eb_lang.dismiss|escape}</span>
        <svg viewBox="0 0 20 20" fill="currentColor" class="h-4 w-4" aria-hidden="true"><path d="M6.28 5.22a.75.75 0 00-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 101.06 1.06L10 11.06l3.72 3.72a.75.75 0 101.06-1.06L11.06 10l3.72-3.72a.75.75 0 00-1.06-1.06L10 8.94 6.28 5.22z"/></svg>
      </button>
    </div>
  </template>
</div>
