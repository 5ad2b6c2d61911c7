<?php
/**
 * Runs one WHMCS hook of the addon against WHMCS_DB_DSN, as WHMCS would: `php run-hook.php
 * <HookName> '<json vars>'`. For hooks the stand-in's pages never fire (client closure, deletion).
 */

require_once dirname(__DIR__, 2) . '/whmcs-host/src/bootstrap.php';

\WhmcsHost\Database::connectFromEnv();
require_once ROOTDIR . '/modules/addons/eazybackup/hooks.php';
run_hook($argv[1], json_decode($argv[2] ?? '{}', true) ?: []);
echo "ok\n";
