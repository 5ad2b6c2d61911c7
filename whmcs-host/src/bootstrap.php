<?php
/** Loads the stand-in's WHMCS-like environment (no request handling; see root/init.php). */

if (!defined('WHMCS')) {
    define('WHMCS', true);
}
if (!defined('WHMCS_HOST_DIR')) {
    define('WHMCS_HOST_DIR', dirname(__DIR__));
}
if (!defined('ROOTDIR')) {
    define('ROOTDIR', WHMCS_HOST_DIR . '/root');
}
// Smarty 3.1 on PHP 8.2 raises deprecations WHMCS production hides; so do we.
error_reporting(E_ALL & ~E_DEPRECATED & ~E_USER_DEPRECATED);

require_once '/usr/share/php/Illuminate/Database/autoload.php';
foreach (['Capsule', 'ReadOnlyModel', 'Client', 'User', 'CurrentUser', 'MenuItem', 'Menu', 'Database', 'Addons', 'ClientArea', 'Hooks', 'Login', 'Crypto', 'LocalApi', 'SmartyFactory'] as $file) {
    require_once __DIR__ . '/' . $file . '.php';
}
require_once __DIR__ . '/functions.php';

// WHMCS autoloads each addon's lib/ under WHMCS\Module\Addon\<Name>\.
spl_autoload_register(static function (string $class): void {
    if (!preg_match('/^WHMCS\\\\Module\\\\Addon\\\\([A-Za-z0-9_]+)\\\\(.+)$/', $class, $m)) {
        return;
    }
    $file = ROOTDIR . '/modules/addons/' . strtolower($m[1]) . '/lib/' . str_replace('\\', '/', $m[2]) . '.php';
    if (is_file($file)) {
        require_once $file;
    }
});
