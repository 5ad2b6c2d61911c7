{* Stand-in client-area layout (our own markup; mirrors the structure of a WHMCS theme). It loads
   Bootstrap 4.6 like WHMCS's default theme, so our scoped styles are tested against a real host
   theme both ways: ours must not restyle the page around #eb-console, theirs must not restyle it. *}
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="{$charset|escape}">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{$pagetitle|escape} - {$companyname|escape}</title>
  {* No icon file in the stand-in: an empty one keeps the browser from asking for /favicon.ico (a 404 in the console). *}
  <link rel="icon" href="data:,">
  <link rel="stylesheet" id="standin-theme" href="{$WEB_ROOT|escape}/templates/standin/vendor/bootstrap.min.css">
  <script>
    var csrfToken = '{$token|escape:'javascript'}';
  </script>
  <style>
    body { background: #f4f6f8; }
    .standin-topbar .navbar-brand { font-weight: 700; }
    .standin-nav { display: flex; flex-wrap: wrap; }
    .standin-main { padding-bottom: 3rem; }
    .standin-footer { border-top: 1px solid #dee2e6; background: #fff; padding: 1.5rem 0; color: #6c757d; }
  </style>
  {$headoutput}
</head>
<body>
{$headeroutput}
<header class="standin-topbar navbar navbar-expand navbar-dark bg-dark">
  <div class="container flex-wrap">
    <a class="navbar-brand" href="index.php">{$companyname|escape}</a>
    <nav class="standin-nav" id="primary-nav">
      {foreach from=$primaryNavbar item=navItem}
        <a class="nav-link" href="{$navItem.uri|escape}">{$navItem.label|escape}</a>
      {/foreach}
      {if $loggedin}
        <a class="nav-link" href="logout.php">Logout</a>
      {else}
        <a class="nav-link" href="login.php">Login</a>
      {/if}
    </nav>
  </div>
</header>
<main class="standin-main container">
  <nav aria-label="breadcrumb">
    <ol class="breadcrumb standin-breadcrumb mt-3 bg-transparent px-0">
      <li class="breadcrumb-item"><a href="index.php">Portal Home</a></li>
      {if isset($breadcrumb)}{foreach from=$breadcrumb key=link item=label}<li class="breadcrumb-item"><a href="{$link|escape}">{$label|escape}</a></li>{/foreach}{/if}
    </ol>
  </nav>
  <div id="main-body" class="primary-content">
