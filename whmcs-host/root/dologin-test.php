<?php
/**
 * Test-only login for screenshots and browser tests: logs in client `uid` without a password.
 * Refuses to run unless the server was started with WHMCS_STANDIN_TEST_LOGIN=1.
 */

require __DIR__ . '/init.php';

if (getenv('WHMCS_STANDIN_TEST_LOGIN') !== '1') {
    http_response_code(404);
    echo 'Not found';
    exit;
}
$uid = (int) ($_GET['uid'] ?? 0);
if ($uid <= 0 || !\WHMCS\Database\Capsule::table('tblclients')->where('id', $uid)->exists()) {
    http_response_code(400);
    echo 'Unknown client';
    exit;
}
session_regenerate_id(true);
$_SESSION['uid'] = $uid;
header('Location: index.php?m=eazybackup');
