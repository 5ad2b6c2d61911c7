{* Our stylesheet and scripts, in load order: lib/ (no Alpine needed), components/ (register on
   alpine:init), then Alpine itself. All deferred, so they run in this order after parsing. *}
{assign var=eb_assets value="`$WEB_ROOT`/modules/addons/eazybackup/templates/assets"}
<link rel="stylesheet" href="{$eb_assets|escape}/css/app.css?v={$eb_asset_version|escape}">
{foreach from=['lib/strings', 'lib/format', 'lib/status', 'lib/api', 'lib/stream', 'components/toast', 'components/confirm', 'components/data-table', 'components/pulse-card', 'components/service-switcher', 'components/console-shell', 'components/overview', 'components/item-wizard', 'components/items'] item=eb_script}
<script defer src="{$eb_assets|escape}/js/{$eb_script|escape}.js?v={$eb_asset_version|escape}"></script>
{/foreach}
<script defer src="{$eb_assets|escape}/js/vendor/alpine.min.js?v={$eb_asset_version|escape}"></script>
