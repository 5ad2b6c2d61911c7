<?php
/**
 * Prints one tblhosting row as JSON (every column, and `password` also decrypted as
 * `password_plain`), against WHMCS_DB_DSN: `php tests/php/service-row.php 101`.
 */

require_once dirname(__DIR__, 2) . '/whmcs-host/src/bootstrap.php';

\WhmcsHost\Database::connectFromEnv();
$row = (array) \WHMCS\Database\Capsule::table('tblhosting')->where('id', (int) ($argv[1] ?? 0))->first();
$row['password_plain'] = isset($row['password']) ? \WhmcsHost\Crypto::decrypt((string) $row['password']) : null;
echo json_encode($row), "\n";
