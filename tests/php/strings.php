<?php
/**
 * Every string the templates and scripts name exists in lang/english.php (required by run.php:
 * $t, $addon). Templates name them as $eb_lang.key, scripts as t('key'); keys built at run time
 * (status_<class>, quota_<key>, service_status_<status>, tab_<id>, coming_<id>) are checked by prefix.
 */

if (!defined('WHMCS')) {
    define('WHMCS', true);
}
$_ADDONLANG = [];
require $addon . '/lang/english.php';
$lang = $_ADDONLANG;

$named = [];
foreach (eb_template_files($addon . '/templates') as $file) {
    preg_match_all('/\$eb_lang\.([A-Za-z0-9_]+)/', (string) file_get_contents($file), $m);
    foreach ($m[1] as $key) {
        $named[$key][] = basename($file);
    }
}
foreach (glob($addon . '/templates/assets/js/{lib,components}/*.js', GLOB_BRACE) as $file) {
    preg_match_all('/\bt\(\'([A-Za-z0-9_]+)\'(?!\s*\+)/', (string) file_get_contents($file), $m);
    foreach ($m[1] as $key) {
        $named[$key][] = basename($file);
    }
}
$missing = [];
foreach ($named as $key => $files) {
    if (!isset($lang[$key])) {
        $missing[] = $key . ' (' . implode(', ', array_unique($files)) . ')';
    }
}
$t->check('every string a template or script names is in lang/english.php', count($named) > 40 && $missing === [], implode('; ', $missing));
$dynamic = ['status_' => ['running', 'success', 'warning', 'error', 'missed'], 'quota_' => ['devices', 'items_bytes', 'm365_accounts', 'hyperv_guests', 'vmware_guests', 'vault'],
    'service_status_' => ['Active', 'Suspended'], 'tab_' => ['overview', 'devices', 'items', 'vaults', 'jobs', 'restore', 'account'],
    'coming_' => ['devices', 'items', 'vaults', 'jobs', 'restore', 'account']];
$missing = [];
foreach ($dynamic as $prefix => $names) {
    foreach ($names as $name) {
        if (!isset($lang[$prefix . $name])) {
            $missing[] = $prefix . $name;
        }
    }
}
$t->check('every string built at run time (status, quota, tab…) is in lang/english.php', $missing === [], implode('; ', $missing));
