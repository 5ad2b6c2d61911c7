<?php
/** Global functions WHMCS provides to modules (the subset our addon and its tests use). */

use WHMCS\Database\Capsule;
use WhmcsHost\Crypto;
use WhmcsHost\Database;
use WhmcsHost\Hooks;
use WhmcsHost\LocalApi;

function encrypt($plain)
{
    return Crypto::encrypt((string) $plain);
}

function decrypt($stored)
{
    return Crypto::decrypt((string) $stored);
}

function localAPI($command, $params = [], $adminUser = null)
{
    return LocalApi::call((string) $command, is_array($params) ? $params : []);
}

function logActivity($message, $clientId = 0)
{
    Database::insertWithNextId('tblactivitylog', [
        'date' => gmdate('Y-m-d H:i:s'),
        'description' => (string) $message,
        'user' => 'System',
        'userid' => (int) $clientId,
        'ipaddr' => (string) ($_SERVER['REMOTE_ADDR'] ?? ''),
    ]);
}

function logModuleCall($module, $action, $request, $response, $processed = '', $replaceVars = [])
{
    // Module logging is off unless the stand-in is asked to record it; secrets are masked first.
    if (!getenv('WHMCS_MODULE_LOG')) {
        return;
    }
    $mask = static function ($value) use ($replaceVars) {
        $text = is_string($value) ? $value : json_encode($value);
        foreach ((array) $replaceVars as $secret) {
            if ((string) $secret !== '') {
                $text = str_replace((string) $secret, '********', $text);
            }
        }
        return $text;
    };
    error_log(sprintf('[module-log] %s %s request=%s response=%s', $module, $action, $mask($request), $mask($response)));
}

function add_hook($name, $priority, $fn)
{
    Hooks::add((string) $name, (int) $priority, $fn);
}

function run_hook($name, $vars)
{
    return Hooks::run((string) $name, $vars);
}

function generate_token($type = 'form')
{
    if (empty($_SESSION['tkval'])) {
        $_SESSION['tkval'] = bin2hex(random_bytes(20));
    }
    $token = $_SESSION['tkval'];
    if ($type === 'plain') {
        return $token;
    }
    if ($type === 'link') {
        return '&token=' . $token;
    }
    return '<input type="hidden" name="token" value="' . htmlspecialchars($token, ENT_QUOTES) . '" />';
}

function check_token($namespace = 'WHMCS.default', $token = null)
{
    $token = $token ?? ($_POST['token'] ?? ($_GET['token'] ?? ''));
    $expected = $_SESSION['tkval'] ?? '';
    if (!is_string($token) || $expected === '' || !hash_equals($expected, $token)) {
        http_response_code(403);
        echo 'Invalid CSRF Protection Token';
        exit;
    }
    return true;
}
