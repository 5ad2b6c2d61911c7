<?php
/**
 * a=account-password (required by run.php after routes.php, which provides $t, $base, $env, $repo,
 * $alice and $csrf): the password change goes to the API, and only when the API accepted it does
 * WHMCS store the new service password, changing no other column of tblhosting.
 */

$row = static function (int $id) use ($t, $env): array {
    return $t->phpLines([__DIR__ . '/service-row.php', (string) $id], $env)[0] ?? [];
};
$url = static function (string $serviceId): string {
    return 'index.php?m=eazybackup&a=account-password&serviceid=' . rawurlencode($serviceId);
};
$json = ['Content-Type: application/json', 'X-EB-CSRF: ' . $csrf];
$before = $row(101);
$t->check('account-password: service 101 has a stored password to start with', ($before['id'] ?? null) !== null, json_encode($before));

$r = $alice->request('POST', $url('101'), '{"current_password":"acme-pass","new_password":"brand-new-pass-1"}', ['Content-Type: application/json']);
$t->check('account-password: without eb_csrf -> 403 csrf_failed', $r['status'] === 403 && strpos($r['body'], 'csrf_failed') !== false, $r['status'] . ' ' . $r['body']);
$t->check('account-password: a refused request changed nothing', $row(101) == $before);

$r = $alice->request('POST', $url('101'), '{"current_password":"wrong","new_password":"brand-new-pass-1"}', $json);
$answer = json_decode($r['body'], true);
$t->check('account-password: the API\'s refusal passes through (422, field current_password)', $r['status'] === 422 && ($answer['error']['field'] ?? '') === 'current_password', $r['status'] . ' ' . $r['body']);
$t->check('account-password: nothing stored when the API refused', $row(101) == $before);

$r = $alice->request('POST', $url('201'), '{"current_password":"acme-pass","new_password":"brand-new-pass-1"}', $json);
$t->check('account-password: another client\'s service -> 404', $r['status'] === 404, $r['status'] . ' ' . $r['body']);
$r = $alice->request('POST', $url('1x'), '{"current_password":"acme-pass","new_password":"brand-new-pass-1"}', $json);
$t->check('account-password: a malformed service id -> 404', $r['status'] === 404, $r['status'] . ' ' . $r['body']);
$r = $alice->request('GET', $url('101'));
$t->check('account-password: GET -> 405', $r['status'] === 405, (string) $r['status']);

$r = $alice->request('POST', $url('101'), '{"current_password":"acme-pass","new_password":"brand-new-pass-1","other":"x"}', $json);
$answer = json_decode($r['body'], true);
$t->check('account-password: accepted -> 200 with the API\'s answer and whmcs_password_stored', $r['status'] === 200 && ($answer['whmcs_password_stored'] ?? null) === true && array_key_exists('still_old', $answer), $r['status'] . ' ' . $r['body']);
$after = $row(101);
$t->check('account-password: the service password is the new one', ($after['password_plain'] ?? '') === 'brand-new-pass-1', (string) ($after['password_plain'] ?? ''));
$changed = [];
foreach ($before as $column => $value) {
    if (!in_array($column, ['password', 'password_plain'], true) && ($after[$column] ?? null) !== $value) {
        $changed[] = $column;
    }
}
$t->check('account-password: no other column of the service changed', $changed === [] && array_keys($after) === array_keys($before), implode(', ', $changed));
$t->check('account-password: other services untouched', $row(102)['password'] !== $after['password']);
