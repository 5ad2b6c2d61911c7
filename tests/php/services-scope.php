<?php
/** Prints Services::forClient for clients 1, 2 and 99 as JSON lines, against WHMCS_DB_DSN. */

require_once dirname(__DIR__, 2) . '/whmcs-host/src/bootstrap.php';

\WhmcsHost\Database::connectFromEnv();
foreach ([1, 2, 99] as $client) {
    echo json_encode(['client' => $client, 'services' => \WHMCS\Module\Addon\Eazybackup\Services::forClient($client)]), "\n";
}
