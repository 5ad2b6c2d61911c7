<?php
/**
 * Logout ends the console's live access: the addon's ClientLogout/UserLogout hooks record the time
 * in eb_stream_revocations, which the API compares with each token's mint time. Included by run.php
 * ($t, $base, $env in scope).
 */

$revoked = static function (int $clientId) use ($env): ?int {
    $pdo = new PDO($env['WHMCS_DB_DSN']);
    $stmt = $pdo->prepare('SELECT revoked_at FROM eb_stream_revocations WHERE client_id = ?');
    $stmt->execute([$clientId]);
    $at = $stmt->fetchColumn();
    return $at === false ? null : (int) $at;
};

$bobOut = new Browser($base);
$bobOut->login('bob@example.com', 'demo-bob');
$before = $revoked(2);
$page = $bobOut->request('GET', 'index.php?m=eazybackup');
$t->check('logout: a logged-in dashboard records no revocation', $page['status'] === 200 && $revoked(2) === $before);
$start = time();
$bobOut->request('GET', 'logout.php');
$at = $revoked(2);
$t->check('logout: the hook records the client\'s revocation time', $at !== null && $at >= $start && $at <= time() + 1, var_export($at, true));
$r = $bobOut->request('GET', 'index.php?m=eazybackup&a=api&path=%2Fevents', null, ['Accept: text/event-stream']);
$t->check('logout: the event stream is refused afterwards (401, nothing proxied)', $r['status'] === 401 && strpos($r['body'], 'event:') === false, (string) $r['status']);

// A second logout moves the time forward (never back); a hook failure never breaks the logout.
$bobOut->login('bob@example.com', 'demo-bob');
sleep(1);
$bobOut->request('GET', 'logout.php');
$t->check('logout: a later logout moves the revocation forward', ($revoked(2) ?? 0) > (int) $at);

foreach (['ClientClose' => 7, 'ClientDelete' => 8] as $hook => $clientId) {
    $r = $t->run([PHP_BINARY, __DIR__ . '/run-hook.php', $hook, json_encode(['userid' => $clientId])], $env);
    $t->check("$hook records the client's revocation", $r['code'] === 0 && ($revoked($clientId) ?? 0) >= $start, $r['err'] . $r['out']);
}
