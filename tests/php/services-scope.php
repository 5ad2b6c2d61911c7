<?php
/**
 * Prints Services::forClient as JSON lines, one per client id given as an argument (default 1, 2,
 * 99), against WHMCS_DB_DSN. The Rust tests run it too, to prove both sides apply the same rule.
 */

require_once dirname(__DIR__, 2) . '/whmcs-host/src/bootstrap.php';

\WhmcsHost\Database::connectFromEnv();
$clients = array_slice($argv, 1) ?: [1, 2, 99];
foreach ($clients as $client) {
    echo json_encode(['client' => (int) $client, 'services' => \WHMCS\Module\Addon\Eazybackup\Services::forClient((int) $client)]), "\n";
}
