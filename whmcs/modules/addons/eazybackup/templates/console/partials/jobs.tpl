{* The jobs tab: not built yet, so it says what is coming. *}
{include file="../../shared/coming-soon.tpl" title=$eb_lang.tab_jobs text=$eb_lang.coming_jobs}
