{* Our stylesheet and scripts, in load order: lib/ (no Alpine needed), components/ (register on
   alpine:init), then Alpine itself. All deferred, so they run in this order after parsing. *}
{assign var=eb_assets value="`$WEB_ROOT`/modules/addons/eazybackup/templates/assets"}
<link rel="stylesheet" href="{$eb_assets|escape}/css/app.css?v={$eb_asset_version|escape}">
{* One script per line, so a new component is a one-line change. *}
{assign var=eb_scripts value=[]}
{append var=eb_scripts value='lib/strings'}
{append var=eb_scripts value='lib/format'}
{append var=eb_scripts value='lib/status'}
{append var=eb_scripts value='lib/api'}
{append var=eb_scripts value='lib/stream'}
{append var=eb_scripts value='components/toast'}
{append var=eb_scripts value='components/confirm'}
{append var=eb_scripts value='components/data-table'}
{append var=eb_scripts value='components/pulse-card'}
{append var=eb_scripts value='components/service-switcher'}
{append var=eb_scripts value='components/console-shell'}
{append var=eb_scripts value='components/overview'}
{append var=eb_scripts value='components/vaults'}
{append var=eb_scripts value='components/jobs'}
{append var=eb_scripts value='components/account'}
{append var=eb_scripts value='components/devices'}
{append var=eb_scripts value='components/restore'}
{append var=eb_scripts value='components/item-wizard'}
{append var=eb_scripts value='components/items'}
{foreach from=$eb_scripts item=eb_script}
<script defer src="{$eb_assets|escape}/js/{$eb_script|escape}.js?v={$eb_asset_version|escape}"></script>
{/foreach}
<script defer src="{$eb_assets|escape}/js/vendor/alpine.min.js?v={$eb_asset_version|escape}"></script>
