{* Stand-in client-area layout (our own; mirrors the structure of a WHMCS theme, not its look). *}
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="{$charset|escape}">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{$pagetitle|escape} - {$companyname|escape}</title>
  {* No icon file in the stand-in: an empty one keeps the browser from asking for /favicon.ico (a 404 in the console). *}
  <link rel="icon" href="data:,">
  <script>
    var csrfToken = '{$token|escape:'javascript'}';
  </script>
  <style>
    body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f1f5f9; color: #1e293b; }
    .standin-topbar { background: #0f172a; color: #e2e8f0; }
    .standin-topbar .inner, .standin-main { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
    .standin-topbar .inner { display: flex; align-items: center; justify-content: space-between; gap: 1rem; min-height: 3.5rem; flex-wrap: wrap; }
    .standin-brand { font-weight: 700; letter-spacing: .01em; color: #fff; text-decoration: none; }
    .standin-nav { display: flex; gap: .25rem; flex-wrap: wrap; }
    .standin-nav a { color: #cbd5e1; text-decoration: none; padding: .4rem .7rem; border-radius: .5rem; font-size: .9rem; }
    .standin-nav a:hover { background: #1e293b; color: #fff; }
    .standin-breadcrumb { font-size: .8rem; color: #64748b; padding: .9rem 0 .2rem; }
    .standin-breadcrumb a { color: #475569; }
    .standin-main { padding-bottom: 3rem; }
  </style>
  {$headoutput}
</head>
<body>
{$headeroutput}
<header class="standin-topbar">
  <div class="inner">
    <a class="standin-brand" href="index.php">{$companyname|escape}</a>
    <nav class="standin-nav" id="primary-nav">
      {foreach from=$primaryNavbar item=navItem}
        <a href="{$navItem.uri|escape}">{$navItem.label|escape}</a>
      {/foreach}
      {if $loggedin}
        <a href="logout.php">Logout</a>
      {else}
        <a href="login.php">Login</a>
      {/if}
    </nav>
  </div>
</header>
<main class="standin-main">
  <div class="standin-breadcrumb">
    <a href="index.php">Portal Home</a>
    {if isset($breadcrumb)}{foreach from=$breadcrumb key=link item=label} / <a href="{$link|escape}">{$label|escape}</a>{/foreach}{/if}
  </div>
  <div id="main-body" class="primary-content">
