{* A table with filter, sorting and paging (components/data-table.js).
   Params: name (unique on the page, for ids), path (API path of the rows), columns (list of [key, lang key of the heading, format]),
   caption (words for screen readers), empty (words when there are no rows). *}
<div x-data="dataTable('{$path|escape:'javascript'|escape}', [{foreach from=$columns item=c name=cols}{ key: '{$c[0]|escape:'javascript'|escape}', format: '{$c[2]|escape:'javascript'|escape}' }{if !$smarty.foreach.cols.last}, {/if}{/foreach}], 25)" data-testid="data-table">
  <div class="mb-3 flex items-center gap-2">
    <label class="sr-only" for="eb-filter-{$name|escape}">{$eb_lang.table_filter|escape}</label>
    <input id="eb-filter-{$name|escape}" type="search" x-model="filter" x-on:input="page = 1" placeholder="{$eb_lang.table_filter|escape}"
           class="w-full max-w-xs rounded-lg border border-slate-300 px-3 py-1.5 text-sm">
  </div>
  {include file="./state.tpl" kind="loading" when="state === 'loading'" text=$eb_lang.loading}
  {include file="./state.tpl" kind="error" when="state === 'error'" message="error" retry="load()"}
  <div x-show="state === 'ready'" x-cloak class="overflow-x-auto rounded-xl ring-1 ring-slate-200">
    <table class="min-w-full divide-y divide-slate-200 bg-white text-sm">
      <caption class="sr-only">{$caption|escape}</caption>
      <thead class="bg-slate-50">
        <tr>
          {foreach from=$columns item=c}
            <th scope="col" class="px-3 py-2 text-left font-semibold text-slate-600" :aria-sort="ariaSort('{$c[0]|escape:'javascript'|escape}')">
              <button type="button" class="inline-flex items-center gap-1" x-on:click="sortBy('{$c[0]|escape:'javascript'|escape}')">{$eb_lang[$c[1]]|escape}</button>
            </th>
          {/foreach}
        </tr>
      </thead>
      <tbody class="divide-y divide-slate-100">
        <template x-for="(row, i) in visible()" :key="rowKey(row, i)">
          <tr>
            <template x-for="col in columns" :key="col.key"><td class="px-3 py-2 text-slate-800" x-text="cell(row, col)"></td></template>
          </tr>
        </template>
      </tbody>
    </table>
  </div>
  {include file="./state.tpl" kind="empty" when="state === 'ready' && filtered().length === 0" text=$empty}
  <div x-show="state === 'ready' && pages() > 1" x-cloak class="mt-3 flex items-center justify-between gap-2 text-sm">
    <button type="button" class="rounded-lg border border-slate-200 px-3 py-1.5 disabled:opacity-50" x-on:click="page = page - 1" :disabled="page <= 1">{$eb_lang.table_previous|escape}</button>
    <span class="text-slate-500" x-text="pageText()"></span>
    <button type="button" class="rounded-lg border border-slate-200 px-3 py-1.5 disabled:opacity-50" x-on:click="page = page + 1" :disabled="page >= pages()">{$eb_lang.table_next|escape}</button>
  </div>
</div>
