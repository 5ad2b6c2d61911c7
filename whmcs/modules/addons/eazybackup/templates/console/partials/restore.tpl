{* The restore tab: not built yet, so it says what is coming. *}
{include file="../../shared/coming-soon.tpl" title=$eb_lang.tab_restore text=$eb_lang.coming_restore}
