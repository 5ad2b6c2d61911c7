<?php
/**
 * Test-only login for screenshots and browser tests: logs in as the owner of client `uid` without a
 * password, or with `admin=1` as admin 1 masquerading as that client ("Login as Owner").
 * Refuses to run unless the server was started with WHMCS_STANDIN_TEST_LOGIN=1.
 */

require __DIR__ . '/init.php';

use WhmcsHost\Login;

if (getenv('WHMCS_STANDIN_TEST_LOGIN') !== '1') {
    http_response_code(404);
    echo 'Not found';
    exit;
}
$uid = (int) ($_GET['uid'] ?? 0);
$owner = $uid > 0 ? Login::ownerOf($uid) : null;
if ($owner === null || !\WHMCS\Database\Capsule::table('tblclients')->where('id', $uid)->exists()) {
    http_response_code(400);
    echo 'Unknown client';
    exit;
}
Login::start($owner, $uid, ($_GET['admin'] ?? '') === '1' ? 1 : null);
header('Location: index.php?m=eazybackup');
