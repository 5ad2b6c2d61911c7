<?php
/**
 * PHP test runner: `php tests/php/run.php`. One line per test, then `N passed, M failed`; exit 1 on
 * any failure. Starts its own stand-in host and fake API on free ports with a throw-away SQLite DB.
 * Set EB_TEST_MARIADB=1 to also check install idempotence on MariaDB (127.0.0.1, root, no password).
 */

require __DIR__ . '/harness.php';

$t = new Harness();
$repo = dirname(__DIR__, 2);
$addon = $repo . '/whmcs/modules/addons/eazybackup';

// ---- templates ---------------------------------------------------------------------------------
foreach ([3, 4] as $v) {
    $lines = $t->phpLines([__DIR__ . '/compile-templates.php', (string) $v]);
    $t->check("smarty$v: found templates to compile", count($lines) >= 2, count($lines) . ' results');
    foreach ($lines as $r) {
        $t->check("smarty$v compiles {$r['tpl']} ({$r['policy']} policy)", $r['ok'], (string) $r['error']);
    }
    $bad = sys_get_temp_dir() . '/eb-bad-tpl-' . getmypid();
    @mkdir($bad);
    file_put_contents($bad . '/broken.tpl', "{if \$x}never closed\n");
    $lines = $t->phpLines([__DIR__ . '/compile-templates.php', (string) $v, $bad]);
    $t->check("smarty$v: a broken template is reported as failing", $lines !== [] && !$lines[0]['ok']);
}

require __DIR__ . '/lint.php';
foreach (eb_template_files($repo . '/whmcs') as $file) {
    $problems = eb_lint_template((string) file_get_contents($file));
    $t->check('lint ' . substr($file, strlen($repo) + 1), $problems === [], implode('; ', $problems));
}
$t->check('lint catches an unescaped variable', eb_lint_template('<p>{$device.name}</p>') !== []);
$t->check('lint catches {php} and $smarty.session', count(eb_lint_template('{php}echo 1;{/php}{$smarty.session.x|escape}')) === 2);
foreach (glob($addon . '/templates/assets/js/{lib,components}/*.js', GLOB_BRACE) as $js) {
    $src = (string) file_get_contents($js);
    $t->check('js uses no innerHTML/x-html: ' . basename($js), !preg_match('/innerHTML|outerHTML|insertAdjacentHTML|x-html/', $src));
}
foreach (eb_template_files($repo . '/whmcs') as $file) {
    $markup = (string) preg_replace('/\{\*.*?\*\}/s', '', (string) file_get_contents($file));
    $t->check('template uses no x-html: ' . basename($file), strpos($markup, 'x-html') === false);
}

require __DIR__ . '/strings.php';

// ---- built CSS is up to date (needs `npm ci` in frontend/ first) ------------------------------
$tailwind = $repo . '/frontend/node_modules/.bin/tailwindcss';
if (is_file($tailwind)) {
    $out = sys_get_temp_dir() . '/eb-app-' . getmypid() . '.css';
    $r = $t->run([$tailwind, '--postcss', $repo . '/frontend/postcss.config.js', '-c', $repo . '/frontend/tailwind.config.js', '-i', $repo . '/frontend/src/app.css', '-o', $out, '--minify'], ['BROWSERSLIST_IGNORE_OLD_DATA' => '1']);
    $t->check('committed app.css equals a fresh Tailwind build', $r['code'] === 0 && is_file($out) && file_get_contents($out) === file_get_contents($addon . '/templates/assets/css/app.css'), trim($r['err']));
    @unlink($out);
    $t->check('vendored Alpine equals node_modules/alpinejs/dist/cdn.min.js', file_get_contents($repo . '/frontend/node_modules/alpinejs/dist/cdn.min.js') === file_get_contents($addon . '/templates/assets/js/vendor/alpine.min.js'));
} else {
    echo "skip CSS rebuild check (run `npm ci` in frontend/)\n";
}

// ---- token -------------------------------------------------------------------------------------
if (!defined('WHMCS')) {
    define('WHMCS', true);
}
require_once $addon . '/lib/Token.php';
$minted = \WHMCS\Module\Addon\Eazybackup\Token::mint(42, 'test-secret', 1700000000, '0123456789abcdef', 7);
$payload = 'v2.42.7.1700000000.1700000900.0123456789abcdef';
$expectedMac = rtrim(strtr(base64_encode(hash_hmac('sha256', $payload, 'test-secret', true)), '+/', '-_'), '=');
$t->check('token: known vector', $minted['token'] === $payload . '.' . $expectedMac, $minted['token']);
// Shared vector (secret "test-secret", client 42, user 7, iat 1700000000, exp 1700000900, nonce
// 0123456789abcdef): crates/eazybackup/tests/it/api.rs checks the same string.
$t->check('token: fixed vector MAC', $minted['token'] === 'v2.42.7.1700000000.1700000900.0123456789abcdef.2oRTU0-61pj7lpKcKanYFXYxQwpYVnxJMbacgbjebuA', $minted['token']);
$t->check('token: expires 900 s after now', $minted['expires_at'] === 1700000900);
$fresh = \WHMCS\Module\Addon\Eazybackup\Token::mint(7, 's');
$t->check('token: format v2.<id>.<user>.<iat>.<exp>.<16 hex>.<43 base64url>', (bool) preg_match('/^v2\.7\.0\.\d{10}\.\d{10}\.[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/', $fresh['token']), $fresh['token']);
$parts = explode('.', $fresh['token']);
$t->check('token: MAC verifies over the first six fields', hash_equals(
    rtrim(strtr(base64_encode(hash_hmac('sha256', implode('.', array_slice($parts, 0, 6)), 's', true)), '+/', '-_'), '='),
    $parts[6]
));
$t->check('token: nonces differ between mints', explode('.', \WHMCS\Module\Addon\Eazybackup\Token::mint(7, 's')['token'])[5] !== $parts[5]);

// ---- the demo's private files ------------------------------------------------------------------
require __DIR__ . '/private-files.php';

// ---- stand-in host + routes (HTTP) -------------------------------------------------------------
$env = $t->freshSqliteEnv();
$install = $t->run([PHP_BINARY, $repo . '/whmcs-host/bin/install.php'], $env);
$t->check('install.php succeeds on SQLite', $install['code'] === 0, $install['err'] . $install['out']);
$pdo = new PDO($env['WHMCS_DB_DSN']);
$tables = $pdo->query("SELECT name FROM sqlite_master WHERE type = 'table'")->fetchAll(PDO::FETCH_COLUMN);
$t->check('install.php activated the addon (its schema created eb_events, eb_incident_ack)', in_array('eb_events', $tables, true) && in_array('eb_incident_ack', $tables, true));
$settings = $pdo->query("SELECT setting, value FROM tbladdonmodules WHERE module = 'eazybackup'")->fetchAll(PDO::FETCH_KEY_PAIR);
$t->check('install.php stored version/access/api_* settings', isset($settings['version'], $settings['access']) && $settings['api_secret'] === $env['EB_API_SECRET']);
$again = $t->run([PHP_BINARY, $repo . '/whmcs-host/bin/install.php'], $env);
$t->check('install.php is idempotent on SQLite (second run changes 0 rows)', $again['code'] === 0 && strpos($again['out'], ' 0 row(s) changed') !== false, trim($again['out']));

$apiPort = $t->freePort();
$webPort = $t->freePort();
$snoozeLog = $env['TMP'] . '/snooze.log';
touch($snoozeLog);
$env['EB_API_URL'] = "http://127.0.0.1:$apiPort";
$t->run([PHP_BINARY, $repo . '/whmcs-host/bin/install.php'], $env);
$t->serve($apiPort, [__DIR__ . '/fake-api.php'], ['FAKE_API_SECRET' => $env['EB_API_SECRET'], 'FAKE_API_LOG' => $snoozeLog, 'FAKE_API_HOLD_S' => '0', 'FAKE_API_EVENT_DELAY_MS' => '1']);
$t->serve($webPort, ['-t', $repo . '/whmcs-host/root', $repo . '/whmcs-host/router.php'], $env);
$base = "http://127.0.0.1:$webPort/";

require __DIR__ . '/routes.php';
require __DIR__ . '/account-password.php';

// ---- access for WHMCS 8 users: sub-users, closed accounts, masquerading admins ------------------
require __DIR__ . '/access.php';

// The same page through Smarty 4 (WHMCS 9 forward check).
$web4 = $t->freePort();
$t->serve($web4, ['-t', $repo . '/whmcs-host/root', $repo . '/whmcs-host/router.php'], ['WHMCS_SMARTY' => '4'] + $env);
$alice4 = new Browser("http://127.0.0.1:$web4/");
$alice4->login('alice@example.com', 'demo-alice');
$page4 = $alice4->request('GET', 'index.php?m=eazybackup');
$t->check('dashboard renders under Smarty 4 too', $page4['status'] === 200 && strpos($page4['body'], 'data-testid="pulse-incidents"') !== false && strpos($page4['body'], 'acme-dental') !== false, (string) $page4['status']);
$console4 = $alice4->request('GET', 'index.php?m=eazybackup&a=console&serviceid=101');
$t->check('console renders under Smarty 4 too', $console4['status'] === 200 && strpos($console4['body'], 'data-testid="overview"') !== false && substr_count($console4['body'], 'role="tab"') === 7, (string) $console4['status']);

$bob = new Browser($base);
$bob->login('bob@example.com', 'demo-bob');
$r = $bob->request('GET', 'index.php?m=eazybackup&a=api&path=%2Fpulse%2Fsnapshot');
$json = json_decode($r['body'], true);
$t->check('bob\'s proxied token is for client 2', ($json['client_id'] ?? null) === 2, $r['body']);
$r = $bob->request('POST', 'index.php?m=eazybackup&a=api&path=%2Fincidents%2Fsnooze', '{"profile":"eazybackup","job_id":"job-err-1","minutes":60}', ['Content-Type: application/json', 'X-EB-CSRF: ' . $csrf]);
$t->check('bob cannot use alice\'s eb_csrf -> 403', $r['status'] === 403);
$r = $bob->request('GET', 'index.php?m=eazybackup&a=console&serviceid=101');
$t->check('bob cannot open alice\'s console -> the no-access page', strpos($r['body'], 'data-testid="no-access"') !== false && strpos($r['body'], 'acme-dental') === false);

$alice->request('GET', 'logout.php');
$r = $alice->request('GET', 'index.php?m=eazybackup&a=api&path=%2Fpulse%2Fsnapshot');
$t->check('after logout JSON routes answer 401', $r['status'] === 401);
require __DIR__ . '/revocation.php';

// API errors reach the browser as {error:{code,message}} with the API's status.
$downPort = $t->freePort();
$envDown = $env;
$envDown['EB_API_URL'] = "http://127.0.0.1:$downPort";
$t->run([PHP_BINARY, $repo . '/whmcs-host/bin/install.php'], $envDown);
$bob2 = new Browser($base);
$bob2->login('bob@example.com', 'demo-bob');
$r = $bob2->request('GET', 'index.php?m=eazybackup&a=api&path=%2Fpulse%2Fsnapshot');
$json = json_decode($r['body'], true);
$t->check('unreachable API -> 502 api_unreachable with a message', $r['status'] === 502 && ($json['error']['code'] ?? '') === 'api_unreachable' && ($json['error']['message'] ?? '') !== '', $r['status'] . ' ' . $r['body']);

// ---- scoping (in-process, same DB) -------------------------------------------------------------
$scope = $t->phpLines([__DIR__ . '/services-scope.php'], $env);
$byClient = [];
foreach ($scope as $row) {
    $byClient[$row['client']] = $row['services'];
}
$ids = static function (array $services): array {
    return array_map(static function ($s) { return $s['service_id']; }, $services);
};
$t->check('Services: client 1 sees 101 and 102 (not terminated 103)', $ids($byClient[1] ?? []) === [101, 102], json_encode($byClient[1] ?? null));
$t->check('Services: client 2 sees 201 and suspended 202', $ids($byClient[2] ?? []) === [201, 202], json_encode($byClient[2] ?? null));
$t->check('Services: client 2 never sees client 1\'s services', array_intersect($ids($byClient[2] ?? []), [101, 102, 103]) === []);
$t->check('Services: profile names come from the server group', ($byClient[1][1]['profile'] ?? '') === 'obc' && ($byClient[2][1]['status'] ?? '') === 'Suspended');
$t->check('Services: unknown client has none', ($byClient[99] ?? null) === []);

// ---- MariaDB (optional) ------------------------------------------------------------------------
if (getenv('EB_TEST_MARIADB') === '1') {
    $db = 'whmcs_t_' . bin2hex(random_bytes(4));
    $pdo = new PDO('mysql:host=127.0.0.1', 'root', '');
    $pdo->exec("CREATE DATABASE `$db`");
    try {
        $menv = ['WHMCS_DB_DSN' => "mysql:host=127.0.0.1;dbname=$db", 'WHMCS_DB_USER' => 'root', 'WHMCS_DB_PASS' => ''] + $env;
        $first = $t->run([PHP_BINARY, $repo . '/whmcs-host/bin/install.php'], $menv);
        $second = $t->run([PHP_BINARY, $repo . '/whmcs-host/bin/install.php'], $menv);
        $t->check('install.php succeeds on MariaDB', $first['code'] === 0, $first['err']);
        $t->check('install.php is idempotent on MariaDB', $second['code'] === 0 && strpos($second['out'], ' 0 row(s) changed') !== false, trim($second['out'] . $second['err']));
        $scope = $t->phpLines([__DIR__ . '/services-scope.php'], $menv);
        $t->check('Services scoping on MariaDB matches SQLite', $ids($scope[1]['services'] ?? []) === [201, 202] && $ids($scope[0]['services'] ?? []) === [101, 102]);
    } finally {
        $pdo->exec("DROP DATABASE `$db`");
    }
}

exit($t->finish());
