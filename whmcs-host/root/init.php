<?php
/**
 * Stand-in for WHMCS's init.php: session, Capsule, $CONFIG, active addons' hooks.
 * Our own code; no WHMCS source is used.
 */

require_once dirname(__DIR__) . '/src/bootstrap.php';

use WhmcsHost\Database;

if (PHP_SAPI !== 'cli' && session_status() === PHP_SESSION_NONE) {
    session_name('WHMCSstandin');
    session_set_cookie_params(['path' => '/', 'httponly' => true, 'samesite' => 'Lax']);
    session_start();
}

Database::connectFromEnv();
$GLOBALS['CONFIG'] = Database::loadConfig();
$CONFIG = $GLOBALS['CONFIG'];

foreach (array_filter(explode(',', $CONFIG['AddonModulesHooks'] ?? '')) as $module) {
    $module = trim($module);
    $hooks = ROOTDIR . '/modules/addons/' . $module . '/hooks.php';
    if (preg_match('/^[a-z][a-z0-9_]*$/', $module) && is_file($hooks)) {
        require_once $hooks;
    }
}
