{* The account tab: not built yet, so it says what is coming. *}
{include file="../../shared/coming-soon.tpl" title=$eb_lang.tab_account text=$eb_lang.coming_account}
