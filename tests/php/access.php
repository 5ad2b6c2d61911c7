<?php
/**
 * Access to the console for WHMCS 8 users (required by run.php, which provides $t, $pdo, $base,
 * $snoozeLog, $env and $repo): owners and sub-users with `products` are allowed, sub-users without
 * it and closed accounts are refused on every route, masquerading admins are allowed.
 */

use WHMCS\Module\Addon\Eazybackup\Access;

require_once $repo . '/whmcs/modules/addons/eazybackup/lib/Access.php';

// ---- the rule (in-process) -------------------------------------------------------------------
$owner = ['owner' => 1, 'permissions' => ''];
$t->check('Access: the owner is allowed', Access::decide(1, 'Active', false, $owner)->isAllowed());
$t->check('Access: a sub-user with products is allowed', Access::decide(1, 'Active', false, ['owner' => 0, 'permissions' => 'profile, Products ,invoices'])->isAllowed());
$t->check('Access: a sub-user without products is refused', Access::decide(1, 'Active', false, ['owner' => 0, 'permissions' => 'profile,contacts,manageproducts,productsso'])->status === Access::NO_PERMISSION);
$t->check('Access: a session user with no link to the client is refused', Access::decide(1, 'Active', false, null)->status === Access::NO_PERMISSION);
$t->check('Access: a masquerading admin is allowed without a link', Access::decide(1, 'Active', true, null)->isAllowed());
$t->check('Access: a closed account is refused, even to its owner and admins', Access::decide(1, 'Closed', false, $owner)->status === Access::CLIENT_CLOSED && !Access::decide(1, 'Closed', true, $owner)->isAllowed());
$t->check('Access: an Inactive account is still usable', Access::decide(1, 'Inactive', false, $owner)->isAllowed());

// ---- seeds ------------------------------------------------------------------------------------
$links = $pdo->query('SELECT u.email, l.client_id, l.owner, l.permissions FROM tblusers u JOIN tblusers_clients l ON l.auth_user_id = u.id ORDER BY l.id')->fetchAll(PDO::FETCH_ASSOC);
$t->check('install.php seeds owners alice/bob and sub-user carol (no products) on client 1', array_map(static function ($l) {
    return $l['email'] . ':' . $l['client_id'] . ':' . $l['owner'] . ':' . $l['permissions'];
}, $links) === ['alice@example.com:1:1:', 'bob@example.com:2:1:', 'carol@example.com:1:0:profile,contacts'], json_encode($links));

/** Every JSON route, called without any CSRF value (access is checked before anything else). */
$jsonRoutes = static function (Browser $b): array {
    return [
        'token' => $b->request('POST', 'index.php?m=eazybackup&a=token', ['eb_csrf' => 'x']),
        'api GET /pulse/snapshot' => $b->request('GET', 'index.php?m=eazybackup&a=api&path=%2Fpulse%2Fsnapshot'),
        'api GET /events' => $b->request('GET', 'index.php?m=eazybackup&a=api&path=%2Fevents', null, ['Accept: text/event-stream']),
        'api POST /incidents/snooze' => $b->request('POST', 'index.php?m=eazybackup&a=api&path=%2Fincidents%2Fsnooze', '{"profile":"eazybackup","job_id":"job-err-1","minutes":60}', ['Content-Type: application/json']),
    ];
};
$forbidden = static function (array $r): bool {
    $json = json_decode($r['body'], true);
    return $r['status'] === 403 && ($json['error']['code'] ?? '') === 'forbidden' && ($json['error']['message'] ?? '') !== ''
        && $r['location'] === '' && strpos($r['body'], 'v2.') === false && stripos($r['headers'], 'application/json') !== false;
};
$snoozesBefore = count(array_filter(explode("\n", (string) file_get_contents($snoozeLog))));

// ---- sub-user without products ----------------------------------------------------------------
$carol = new Browser($base);
$t->check('login as carol (sub-user of client 1)', $carol->login('carol@example.com', 'demo-carol'));
foreach ($jsonRoutes($carol) as $route => $r) {
    $t->check("carol (no products) a=$route -> 403 forbidden JSON, no token", $forbidden($r), $r['status'] . ' ' . substr($r['body'], 0, 160));
}
$r = $carol->request('GET', 'index.php?m=eazybackup&a=console&serviceid=101');
$t->check('carol\'s console is the no-access page', strpos($r['body'], 'data-testid="no-access"') !== false && strpos($r['body'], 'acme-dental') === false && strpos($r['body'], 'data-csrf') === false);
$page = $carol->request('GET', 'index.php?m=eazybackup');
$t->check('carol\'s dashboard is the no-access page', $page['status'] === 200 && strpos($page['body'], 'data-testid="no-access"') !== false
    && strpos($page['body'], 'have access to backup services on this account') !== false, $page['status'] . ' ' . substr($page['body'], 0, 200));
$t->check('carol\'s no-access page carries no token, CSRF value, services or console', strpos($page['body'], 'v2.') === false
    && strpos($page['body'], 'data-csrf') === false && strpos($page['body'], 'acme-dental') === false && strpos($page['body'], 'pulse-card') === false);
/** The primary navbar's markup of a stand-in page. */
$navOf = static function (string $body): string {
    return preg_match('#<nav class="standin-nav" id="primary-nav">(.*?)</nav>#s', $body, $m) ? $m[1] : '';
};
$t->check('carol gets no "Backup Console" nav entry', strpos($navOf($page['body']), 'Logout') !== false && strpos($navOf($page['body']), 'Backup Console') === false, $navOf($page['body']));
$t->check('carol\'s refused snooze reached no API', count(array_filter(explode("\n", (string) file_get_contents($snoozeLog)))) === $snoozesBefore);

// ---- a user of two accounts: without products on client 1, with it on client 2 ----------------
$pdo->exec("INSERT INTO tblusers (id, first_name, last_name, email, password, language) VALUES (12, 'Dave', 'Dunn', 'dave@example.com', " . $pdo->quote(password_hash('demo-dave', PASSWORD_DEFAULT)) . ", '')");
$pdo->exec("INSERT INTO tblusers_clients (id, auth_user_id, client_id, invite_id, owner, permissions) VALUES (12, 12, 1, 0, 0, 'profile,invoices'), (13, 12, 2, 0, 0, 'profile,products')");
$dave1 = new Browser($base);
$t->check('dave logs in to his first account (client 1) by default', $dave1->login('dave@example.com', 'demo-dave'));
$r = $dave1->request('GET', 'index.php?m=eazybackup&a=api&path=%2Fpulse%2Fsnapshot');
$t->check('dave on client 1 (no products) -> 403 forbidden', $forbidden($r), $r['status'] . ' ' . $r['body']);
$dave2 = new Browser($base);
$t->check('dave logs in choosing client 2', $dave2->login('dave@example.com', 'demo-dave', 2));
$r = $dave2->request('GET', 'index.php?m=eazybackup&a=api&path=%2Fpulse%2Fsnapshot');
$json = json_decode($r['body'], true);
$t->check('dave on client 2 (with products) -> snapshot for client 2', $r['status'] === 200 && ($json['client_id'] ?? null) === 2, $r['status'] . ' ' . substr($r['body'], 0, 120));
$page = $dave2->request('GET', 'index.php?m=eazybackup');
$t->check('dave on client 2 gets the "Backup Console" nav entry', strpos($navOf($page['body']), '>Backup Console</a>') !== false);
$t->check('dave\'s dashboard on client 2 is the console for client 2', $page['status'] === 200 && strpos($page['body'], 'data-testid="pulse-card"') !== false
    && strpos($page['body'], 'brown-acct') !== false && strpos($page['body'], 'acme-dental') === false);
$r = $dave2->request('GET', 'index.php?m=eazybackup&a=console&serviceid=201');
$t->check('dave on client 2 opens client 2\'s console', strpos($r['body'], 'data-testid="console"') !== false);
$t->check('a user cannot choose an account they do not belong to', !(new Browser($base))->login('carol@example.com', 'demo-carol', 2));

// ---- closed account ---------------------------------------------------------------------------
$pdo->exec("INSERT INTO tblclients (id, uuid, firstname, lastname, companyname, email, password, currency, language, datecreated, groupid, status)
    VALUES (4, '00000000-0000-4000-8000-000000000004', 'Erin', 'Evans', 'Evans Law', 'erin@example.com', '', 1, 'english', '2026-01-01', 0, 'Active')");
$pdo->exec("INSERT INTO tblusers (id, first_name, last_name, email, password, language) VALUES (14, 'Erin', 'Evans', 'erin@example.com', " . $pdo->quote(password_hash('demo-erin', PASSWORD_DEFAULT)) . ", '')");
$pdo->exec("INSERT INTO tblusers_clients (id, auth_user_id, client_id, invite_id, owner, permissions) VALUES (14, 14, 4, 0, 1, '')");
$erin = new Browser($base);
$t->check('login as erin (owner of client 4)', $erin->login('erin@example.com', 'demo-erin'));
$r = $erin->request('GET', 'index.php?m=eazybackup&a=api&path=%2Fpulse%2Fsnapshot');
$t->check('erin\'s open account is allowed', $r['status'] === 200, $r['status'] . ' ' . $r['body']);
$pdo->exec("UPDATE tblclients SET status = 'Closed' WHERE id = 4");
foreach ($jsonRoutes($erin) as $route => $r) {
    $t->check("closed account (owner's live session) a=$route -> 403 forbidden", $forbidden($r), $r['status'] . ' ' . substr($r['body'], 0, 160));
}
$page = $erin->request('GET', 'index.php?m=eazybackup');
$t->check('closed account: dashboard says the account is closed, no token', $page['status'] === 200 && strpos($page['body'], 'data-testid="no-access"') !== false
    && strpos($page['body'], 'This account is closed') !== false && strpos($page['body'], 'v2.') === false);
$t->check('closed account: login is refused', !(new Browser($base))->login('erin@example.com', 'demo-erin'));

// ---- masquerading admin ("Login as Owner", test login server) --------------------------------
$testLoginPort = $t->freePort();
$t->serve($testLoginPort, ['-t', $repo . '/whmcs-host/root', $repo . '/whmcs-host/router.php'], ['WHMCS_STANDIN_TEST_LOGIN' => '1'] + $env);
$admin = new Browser("http://127.0.0.1:$testLoginPort/");
$admin->request('GET', 'dologin-test.php?uid=2&admin=1');
$r = $admin->request('GET', 'index.php?m=eazybackup&a=api&path=%2Fpulse%2Fsnapshot');
$t->check('masquerading admin on client 2 is allowed', $r['status'] === 200 && (json_decode($r['body'], true)['client_id'] ?? null) === 2, $r['status'] . ' ' . substr($r['body'], 0, 120));
$admin->request('GET', 'dologin-test.php?uid=4&admin=1');
$r = $admin->request('GET', 'index.php?m=eazybackup&a=api&path=%2Fpulse%2Fsnapshot');
$t->check('masquerading admin on a closed account is refused', $forbidden($r), $r['status'] . ' ' . $r['body']);
