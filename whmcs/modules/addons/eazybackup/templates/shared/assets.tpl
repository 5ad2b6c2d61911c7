{* Our stylesheet and scripts, in load order: lib/ (no Alpine needed), components/ (register on
   alpine:init), then Alpine itself. All deferred, so they run in this order after parsing. *}
{assign var=eb_assets value="`$WEB_ROOT`/modules/addons/eazybackup/templates/assets"}
<link rel="stylesheet" href="{$eb_assets|escape}/css/app.css?v={$eb_asset_version|escape}">
{* One script per line, so a new component is a one-line change. *}
{assign var=eb_scripts value=[]}
{$eb_scripts[] = 'lib/strings'}
{$eb_scripts[] = 'lib/format'}
{$eb_scripts[] = 'lib/status'}
{$eb_scripts[] = 'lib/api'}
{$eb_scripts[] = 'lib/stream'}
{$eb_scripts[] = 'components/toast'}
{$eb_scripts[] = 'components/confirm'}
{$eb_scripts[] = 'components/data-table'}
{$eb_scripts[] = 'components/pulse-card'}
{$eb_scripts[] = 'components/service-switcher'}
{$eb_scripts[] = 'components/console-shell'}
{$eb_scripts[] = 'components/overview'}
{$eb_scripts[] = 'components/vaults'}
{$eb_scripts[] = 'components/jobs'}
{$eb_scripts[] = 'components/account'}
{$eb_scripts[] = 'components/devices'}
{$eb_scripts[] = 'components/restore'}
{foreach from=$eb_scripts item=eb_script}
<script defer src="{$eb_assets|escape}/js/{$eb_script|escape}.js?v={$eb_asset_version|escape}"></script>
{/foreach}
<script defer src="{$eb_assets|escape}/js/vendor/alpine.min.js?v={$eb_asset_version|escape}"></script>
