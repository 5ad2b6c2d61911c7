{* The vaults tab: not built yet, so it says what is coming. *}
{include file="../../shared/coming-soon.tpl" title=$eb_lang.tab_vaults text=$eb_lang.coming_vaults}
