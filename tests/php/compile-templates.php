<?php
/**
 * Force-compiles every .tpl under whmcs/ with one Smarty major version (argv[1] = 3|4) under the
 * WHMCS-like permissive policy and under Smarty's strict default policy. Prints one JSON line per
 * template and policy: {"tpl", "policy", "ok", "error"}. Run in its own process (one Smarty per process).
 */

$version = (int) ($argv[1] ?? 3);
putenv('WHMCS_SMARTY=' . $version);
require_once dirname(__DIR__, 2) . '/whmcs-host/src/bootstrap.php';

use WhmcsHost\SmartyFactory;

$addon = dirname(__DIR__, 2) . '/whmcs/modules/addons/eazybackup';
// argv[2] (optional): scan this directory instead (the runner uses it to prove failures are caught).
$scanDir = $argv[2] ?? dirname(__DIR__, 2) . '/whmcs';
$files = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($scanDir, FilesystemIterator::SKIP_DOTS));
$templates = [];
foreach ($files as $file) {
    if (substr($file->getFilename(), -4) === '.tpl') {
        $templates[] = $file->getRealPath();
    }
}
sort($templates);

// Deprecations count as failures under the strict policy (Smarty 4 raises E_USER_DEPRECATED for PHP functions used as modifiers).
$deprecations = [];
set_error_handler(static function (int $no, string $msg) use (&$deprecations): bool {
    if ($no === E_USER_DEPRECATED) {
        $deprecations[] = $msg; // raised because of what a template does
        return true;
    }
    if ($no === E_DEPRECATED) {
        return true; // smarty3's own PHP 8.2 dynamic-property notices, not our templates
    }
    return false;
});

foreach (['whmcs', 'strict'] as $policy) {
    $compileDir = sys_get_temp_dir() . '/eb-tpl-' . getmypid() . "-$version-$policy";
    $smarty = SmartyFactory::create($compileDir, [$addon . '/templates'], [dirname(__DIR__, 2) . '/whmcs', realpath($scanDir)], $policy, $version);
    $smarty->force_compile = true;
    foreach ($templates as $tpl) {
        $deprecations = [];
        $error = null;
        try {
            $template = $smarty->createTemplate('file:' . $tpl);
            $template->compileTemplateSource();
        } catch (Throwable $e) {
            $error = get_class($e) . ': ' . $e->getMessage();
        }
        if ($error === null && $policy === 'strict' && $deprecations !== []) {
            $error = 'deprecation: ' . $deprecations[0];
        }
        echo json_encode(['tpl' => basename(dirname($tpl)) . '/' . basename($tpl), 'policy' => $policy, 'ok' => $error === null, 'error' => $error]), "\n";
    }
}
