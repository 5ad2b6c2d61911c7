<?php
/**
 * eazyBackup Console — WHMCS addon. Thin by design: this file only declares the module to WHMCS and
 * routes client-area requests; the work is in lib/ (namespace WHMCS\Module\Addon\Eazybackup\) and
 * in the Rust service the browser talks to.
 */

use WHMCS\Database\Capsule;
use WHMCS\Module\Addon\Eazybackup\Router;
use WHMCS\Module\Addon\Eazybackup\Schema;
use WHMCS\Module\Addon\Eazybackup\Settings;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

// WHMCS autoloads lib/ under this namespace; register the same mapping in case the host does not.
spl_autoload_register(static function (string $class): void {
    $prefix = 'WHMCS\\Module\\Addon\\Eazybackup\\';
    if (strncmp($class, $prefix, strlen($prefix)) !== 0) {
        return;
    }
    $file = __DIR__ . '/lib/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
    if (is_file($file)) {
        require_once $file;
    }
});

function eazybackup_config(): array
{
    return [
        'name' => 'eazyBackup Console',
        'description' => 'Live backup status and a per-account console for your customers\' Comet Backup accounts.',
        'version' => '1.0.0',
        'author' => 'eazyBackup',
        'language' => 'english',
        'fields' => [
            'deployment_mode' => [
                'FriendlyName' => 'Deployment mode',
                'Type' => 'dropdown',
                'Options' => 'proxied,direct',
                'Default' => 'proxied',
                'Description' => 'proxied: the browser talks only to WHMCS, which forwards to the Internal API URL (no public API host needed). direct: the browser calls the API URL with short-lived tokens (set EB_API_CORS_ORIGINS to this WHMCS origin).',
            ],
            'api_url' => [
                'FriendlyName' => 'API URL',
                'Type' => 'text',
                'Size' => '60',
                'Default' => '',
                'Description' => 'Direct mode: browser-facing base URL of the eazyBackup API, e.g. https://console-api.example.com',
            ],
            'api_internal_url' => [
                'FriendlyName' => 'Internal API URL',
                'Type' => 'text',
                'Size' => '60',
                'Default' => '',
                'Description' => 'Base URL WHMCS uses server-side (e.g. http://127.0.0.1:8090). Empty = API URL.',
            ],
            'api_secret' => [
                'FriendlyName' => 'API secret',
                'Type' => 'password',
                'Size' => '60',
                'Default' => '',
                'Description' => 'Must equal EB_API_SECRET in the service\'s .env.',
            ],
        ],
    ];
}

function eazybackup_activate(): array
{
    try {
        $driver = Capsule::connection()->getDriverName();
        $count = Schema::apply(Capsule::connection()->getPdo(), $driver, __DIR__ . '/sql');
        return ['status' => 'success', 'description' => "eazyBackup Console activated ({$count} schema statements applied)."];
    } catch (\Throwable $e) {
        return ['status' => 'error', 'description' => 'eazyBackup Console could not create its tables: ' . $e->getMessage()];
    }
}

function eazybackup_deactivate(): array
{
    // Customer data (job history, snoozes, audit log) is kept; re-activating picks it up again.
    return ['status' => 'success', 'description' => 'eazyBackup Console deactivated. Its tables and data were kept.'];
}

function eazybackup_clientarea(array $vars)
{
    $lang = is_array($vars['_lang'] ?? null) ? $vars['_lang'] : [];
    $route = isset($_GET['a']) && is_string($_GET['a']) ? $_GET['a'] : Router::DEFAULT_ROUTE;
    return Router::dispatch(Settings::fromVars($vars), $lang, $route);
}
