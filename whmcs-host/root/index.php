<?php
/** Client-area front controller: index.php?m=<addon> (lifecycle of shared/whmcs.md §5.5). */

require __DIR__ . '/init.php';

use WhmcsHost\Addons;
use WhmcsHost\ClientArea;

$module = isset($_GET['m']) && is_string($_GET['m']) ? $_GET['m'] : '';
if ($module === '') {
    header('Location: index.php?m=eazybackup');
    exit;
}
if (!Addons::isActive($module, $CONFIG)) {
    http_response_code(404);
    echo 'Not found';
    exit;
}

try {
    Addons::load($module);
    Addons::upgradeIfNeeded($module);
    $client = (new \WHMCS\Authentication\CurrentUser())->client();
    $vars = Addons::settings($module) + [
        'modulelink' => 'index.php?m=' . $module,
        '_lang' => Addons::lang($module, $client !== null && $client->language ? (string) $client->language : 'english'),
    ];
    $vars['modulelink'] = 'index.php?m=' . $module;

    ob_start();
    $result = ($module . '_clientarea')($vars);
    $early = ob_get_clean();

    if (!is_array($result)) {
        echo $early;
        exit;
    }
    if (!empty($result['requirelogin']) && $client === null) {
        header('Location: login.php?returnurl=' . rawurlencode($_SERVER['REQUEST_URI'] ?? 'index.php'));
        exit;
    }
    $template = Addons::resolveTemplate($module, (string) ($result['templatefile'] ?? ''));
    if ($template === null) {
        throw new RuntimeException('template not found: ' . ($result['templatefile'] ?? ''));
    }
    $page = ClientArea::standardVars((string) ($result['pagetitle'] ?? ''), ['breadcrumb' => $result['breadcrumb'] ?? []]);
    $page = array_merge($page, $result['vars'] ?? []);
    foreach (array_merge(run_hook('ClientAreaPage', $page), run_hook('ClientAreaPageAddonModule', $page)) as $extra) {
        if (is_array($extra)) {
            $page = array_merge($page, $extra);
        }
    }
    ClientArea::output($template, $page);
} catch (Throwable $e) {
    http_response_code(500);
    logActivity('Stand-in client area error (' . $module . '): ' . $e->getMessage());
    error_log((string) $e);
    echo 'Oops! Something went wrong.';
}
