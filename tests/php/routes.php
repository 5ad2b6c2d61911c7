<?php
/**
 * The router and the generic API proxy over HTTP (required by run.php, which provides $t, $base,
 * $env, $repo, $apiPort, $snoozeLog). The stand-in runs in proxied mode unless a test switches it.
 */

/** Every route of the table, as a browser would call it (no CSRF value: access is checked first). */
$everyRoute = static function (Browser $b): array {
    return [
        'dashboard' => $b->request('GET', 'index.php?m=eazybackup&a=dashboard'),
        'console' => $b->request('GET', 'index.php?m=eazybackup&a=console&serviceid=101'),
        'token' => $b->request('POST', 'index.php?m=eazybackup&a=token', ['eb_csrf' => 'x']),
        'api GET' => $b->request('GET', 'index.php?m=eazybackup&a=api&path=' . rawurlencode('/pulse/snapshot')),
        'api POST' => $b->request('POST', 'index.php?m=eazybackup&a=api&path=' . rawurlencode('/incidents/snooze'), '{"profile":"eazybackup","job_id":"job-err-1","minutes":60}', ['Content-Type: application/json', 'X-EB-CSRF: x']),
    ];
};
$setMode = static function (string $mode) use ($t, $env, $repo): void {
    $r = $t->run([PHP_BINARY, $repo . '/whmcs-host/bin/install.php'], ['EB_DEPLOYMENT_MODE' => $mode] + $env);
    $t->check("switch the stand-in to $mode mode", $r['code'] === 0, $r['err']);
};
$proxy = static function (string $apiPath): string {
    return 'index.php?m=eazybackup&a=api&path=' . rawurlencode($apiPath);
};

// ---- the route table: the access check runs in front of every route ---------------------------
require_once $repo . '/whmcs/modules/addons/eazybackup/lib/Router.php';
$t->check('Router: the table has the dashboard, console, token and api routes', array_keys(\WHMCS\Module\Addon\Eazybackup\Router::ROUTES) === ['dashboard', 'console', 'token', 'api']);

$anon = new Browser($base);
foreach ($everyRoute($anon) as $route => $r) {
    $page = in_array($route, ['dashboard', 'console'], true);
    $ok = $page ? $r['status'] === 302 && strpos($r['location'], 'login.php') === 0
        : $r['status'] === 401 && (json_decode($r['body'], true)['error']['code'] ?? '') === 'not_logged_in';
    $t->check("anonymous $route -> " . ($page ? 'login redirect' : '401 JSON'), $ok, $r['status'] . ' ' . $r['location'] . ' ' . substr($r['body'], 0, 120));
    $t->check("anonymous $route mints nothing", strpos($r['body'], 'v2.') === false);
}
$t->check('anonymous requests reached no API', trim((string) file_get_contents($snoozeLog)) === '');
$r = $anon->request('GET', 'index.php?m=eazybackup&a=nope');
$t->check('unknown route -> 404 JSON not_found', $r['status'] === 404 && (json_decode($r['body'], true)['error']['code'] ?? '') === 'not_found', $r['status'] . ' ' . $r['body']);

$alice = new Browser($base);
$t->check('login with a wrong password fails', !$alice->login('alice@example.com', 'nope'));
$t->check('login as alice', $alice->login('alice@example.com', 'demo-alice'));
$r = $alice->request('GET', 'index.php?m=eazybackup&a=nope');
$t->check('unknown route for a logged-in client -> 404 JSON', $r['status'] === 404 && strpos($r['body'], 'not_found') !== false);

// ---- pages ------------------------------------------------------------------------------------
$page = $alice->request('GET', 'index.php?m=eazybackup');
$t->check('dashboard renders for alice', $page['status'] === 200 && strpos($page['body'], 'data-testid="pulse-card"') !== false, (string) $page['status']);
$t->check('dashboard lists alice\'s services only', strpos($page['body'], 'acme-dental') !== false && strpos($page['body'], 'brown-acct') === false && strpos($page['body'], 'acme-old') === false);
$t->check('dashboard service cards link to their console', strpos($page['body'], 'a=console&amp;serviceid=101') !== false && strpos($page['body'], 'a=console&amp;serviceid=102') !== false);
$t->check('nav hook adds "Backup Console"', strpos($page['body'], '>Backup Console</a>') !== false);
preg_match('/data-csrf="([0-9a-f]{64})"/', $page['body'], $m);
$csrf = $m[1] ?? '';
$t->check('dashboard carries eb_csrf', $csrf !== '');
$t->check('proxied mode: the page says so and carries no token', strpos($page['body'], 'data-mode="proxied"') !== false && (bool) preg_match('/data-token=""/', $page['body']) && strpos($page['body'], 'v2.1.') === false);
$t->check('the page hands the language strings to the scripts once', substr_count($page['body'], 'data-strings="') === 1 && strpos($page['body'], '&quot;overview_comet_down&quot;') !== false);

$console = $alice->request('GET', 'index.php?m=eazybackup&a=console&serviceid=101');
$t->check('console renders for alice\'s service', $console['status'] === 200 && strpos($console['body'], 'data-testid="console"') !== false && strpos($console['body'], 'data-service-id="101"') !== false, (string) $console['status']);
$t->check('console header names the Comet username and server', strpos($console['body'], 'data-testid="console-username">acme-dental<') !== false && strpos($console['body'], '>eazybackup</dd>') !== false);
$t->check('console has the seven tabs in a tablist', substr_count($console['body'], 'role="tab"') === 7 && strpos($console['body'], 'role="tablist"') !== false && substr_count($console['body'], 'role="tabpanel"') === 7);
$t->check('console offers the switcher for a client with two services', strpos($console['body'], 'data-testid="service-switcher"') !== false && strpos($console['body'], 'value="102"') !== false);
$t->check('unfinished tabs say what is coming', substr_count($console['body'], 'data-testid="coming-soon"') === 5);
foreach (['202' => 'another client\'s service', '103' => 'a terminated service', 'abc' => 'a non-numeric id', '' => 'no id'] as $id => $what) {
    $r = $alice->request('GET', 'index.php?m=eazybackup&a=console&serviceid=' . $id);
    $t->check("console for $what -> the no-access page, naming nothing", $r['status'] === 200 && strpos($r['body'], 'data-testid="no-access"') !== false
        && strpos($r['body'], 'data-testid="console"') === false && strpos($r['body'], 'brown') === false && strpos($r['body'], 'data-csrf') === false, $r['status'] . ' ' . substr($r['body'], 0, 120));
}

// ---- the proxy: path validation ---------------------------------------------------------------
foreach (['' => 'empty', 'pulse/snapshot' => 'relative', '/../health' => 'parent', '/services/..%2f..' => 'encoded dots', '//evil.example/x' => 'host-like', '/services/1 x' => 'space',
          "/services/1\nx" => 'newline', '/pulse/snapshot?x=<b>' => 'bad query', '@evil.example/' => 'userinfo'] as $bad => $label) {
    $r = $alice->request('GET', 'index.php?m=eazybackup&a=api&path=' . rawurlencode($bad));
    $json = json_decode($r['body'], true);
    $t->check("proxy refuses a $label path -> 400 invalid (field path)", $r['status'] === 400 && ($json['error']['code'] ?? '') === 'invalid' && ($json['error']['field'] ?? '') === 'path', $r['status'] . ' ' . $r['body']);
}
$r = $alice->request('GET', 'index.php?m=eazybackup&a=api');
$t->check('proxy without a path -> 400', $r['status'] === 400);

// ---- the proxy: forwarding --------------------------------------------------------------------
$r = $alice->request('GET', $proxy('/pulse/snapshot'));
$json = json_decode($r['body'], true);
$t->check('proxied GET /pulse/snapshot answers with a token for client 1', $r['status'] === 200 && ($json['client_id'] ?? null) === 1 && isset($json['running'][0]['job_id']), $r['status'] . ' ' . substr($r['body'], 0, 100));
$t->check('proxied answers keep the API\'s content type and are not cached', stripos($r['headers'], 'Content-Type: application/json') !== false && stripos($r['headers'], 'no-store') !== false);
$r = $alice->request('GET', $proxy('/__echo?limit=5&sort=name'));
$json = json_decode($r['body'], true);
$t->check('proxy forwards the query string, and neither cookies nor WHMCS parameters', ($json['query'] ?? '') === 'limit=5&sort=name' && ($json['cookie'] ?? 'x') === '' && ($json['method'] ?? '') === 'GET', $r['body']);
$r = $alice->request('PATCH', $proxy('/__echo'), '{"name":"x"}', ['Content-Type: application/json', 'X-EB-CSRF: ' . $csrf]);
$json = json_decode($r['body'], true);
$t->check('proxy forwards method and JSON body of a write', ($json['method'] ?? '') === 'PATCH' && ($json['body'] ?? '') === '{"name":"x"}' && strpos($json['content_type'] ?? '', 'application/json') === 0, $r['body']);

$r = $alice->request('GET', $proxy('/services/101/overview'));
$json = json_decode($r['body'], true);
$t->check('proxied overview of alice\'s service -> 200', $r['status'] === 200 && ($json['devices']['total'] ?? null) === 3, $r['status'] . ' ' . substr($r['body'], 0, 100));
$r = $alice->request('GET', $proxy('/services/201/overview'));
$json = json_decode($r['body'], true);
$t->check('proxied overview of another client\'s service -> the API\'s 404 passes through', $r['status'] === 404 && ($json['error']['code'] ?? '') === 'not_found' && ($json['error']['message'] ?? '') === 'No such service.', $r['status'] . ' ' . $r['body']);

// ---- the proxy: writes need our CSRF value ----------------------------------------------------
$snooze = '{"profile":"eazybackup","job_id":"job-err-1","minutes":60}';
foreach (['missing' => [], 'wrong' => ['X-EB-CSRF: ' . str_repeat('0', 64)]] as $label => $extra) {
    $r = $alice->request('POST', $proxy('/incidents/snooze'), $snooze, array_merge(['Content-Type: application/json'], $extra));
    $t->check("proxied write with $label eb_csrf -> 403 csrf_failed", $r['status'] === 403 && strpos($r['body'], 'csrf_failed') !== false, $r['status'] . ' ' . $r['body']);
}
$r = $alice->request('POST', $proxy('/incidents/snooze'), $snooze, ['Content-Type: application/json', 'X-EB-CSRF: ' . $csrf, 'Sec-Fetch-Site: cross-site']);
$t->check('proxied write sent cross-site -> 403', $r['status'] === 403);
$t->check('refused writes reached no API', trim((string) file_get_contents($snoozeLog)) === '');
$r = $alice->request('POST', $proxy('/incidents/snooze'), 'not json', ['Content-Type: application/json', 'X-EB-CSRF: ' . $csrf]);
$t->check('proxied write with a body that is not JSON -> 400', $r['status'] === 400, $r['status'] . ' ' . $r['body']);
$r = $alice->request('POST', $proxy('/incidents/snooze'), '"' . str_repeat('a', 1048577) . '"', ['Content-Type: application/json', 'X-EB-CSRF: ' . $csrf]);
$t->check('proxied write over 1 MB -> 413', $r['status'] === 413, (string) $r['status']);
$r = $alice->request('OPTIONS', $proxy('/incidents/snooze'));
$t->check('proxy refuses other methods -> 405', $r['status'] === 405);
$r = $alice->request('POST', $proxy('/incidents/snooze'), $snooze, ['Content-Type: application/json', 'X-EB-CSRF: ' . $csrf]);
$json = json_decode($r['body'], true);
$log = array_values(array_filter(explode("\n", (string) file_get_contents($snoozeLog))));
$t->check('proxied snooze -> 200 {profile, job_id, until_ts}', $r['status'] === 200 && ($json['job_id'] ?? '') === 'job-err-1' && is_int($json['until_ts'] ?? null), $r['status'] . ' ' . $r['body']);
$t->check('proxied snooze carried client 1 and the body', count($log) === 1 && json_decode($log[0], true) == ['client_id' => 1, 'body' => ['profile' => 'eazybackup', 'job_id' => 'job-err-1', 'minutes' => 60]], implode('|', $log));
$r = $alice->request('POST', $proxy('/incidents/snooze'), '{"profile":"obc","job_id":"job-suspended","minutes":60}', ['Content-Type: application/json', 'X-EB-CSRF: ' . $csrf]);
$json = json_decode($r['body'], true);
$t->check('a read-only refusal reaches the page as the API said it (403 read_only + message)', $r['status'] === 403 && ($json['error']['code'] ?? '') === 'read_only' && strpos($json['error']['message'] ?? '', 'suspended') !== false, $r['status'] . ' ' . $r['body']);

// ---- the proxy: event streams pass through as they arrive -------------------------------------
// The fake API sends an event after 300 ms and then holds the stream open for 4 s: a buffering
// proxy would deliver it only when the stream ends.
$s = $alice->streamUntil($proxy('/events?delay_ms=300&hold_s=4'), 'event: job:start', 3.5, ['Accept: text/event-stream']);
$t->check('proxied SSE: the first event arrives while the stream is still open', $s['status'] === 200 && $s['arrived_after'] !== null && $s['arrived_after'] < 2.5, $s['status'] . ' after ' . var_export($s['arrived_after'], true) . ' ' . substr($s['body'], 0, 80));
$t->check('proxied SSE keeps the event-stream content type, unbuffered', stripos($s['headers'], 'Content-Type: text/event-stream') !== false && stripos($s['headers'], 'X-Accel-Buffering: no') !== false, $s['headers']);
$s = $alice->streamUntil($proxy('/events?delay_ms=10&hold_s=1'), 'event: job:end', 3, ['Accept: text/event-stream', 'Last-Event-ID: 2']);
$t->check('proxied SSE forwards Last-Event-ID (resumes after event 2)', $s['arrived_after'] !== null && strpos($s['body'], 'id: 1') === false && strpos($s['body'], 'id: 3') !== false, substr($s['body'], 0, 200));
$abortLog = 'eb-proxy-abort-' . getmypid();
@unlink(sys_get_temp_dir() . '/' . $abortLog);
$s = $alice->streamUntil($proxy("/events?delay_ms=10&hold_s=6&keepalive=1&abort_log=$abortLog"), 'event: job:start', 3, ['Accept: text/event-stream']);
$gone = false;
for ($i = 0; $i < 30 && !$gone; $i++) {
    usleep(100000);
    $gone = is_file(sys_get_temp_dir() . '/' . $abortLog);
}
$t->check('proxied SSE: when the browser hangs up, the proxy ends its upstream request too', $s['arrived_after'] !== null && $gone, var_export($s['arrived_after'], true));
@unlink(sys_get_temp_dir() . '/' . $abortLog);
$took = $alice->secondsWhileStreaming($proxy('/events?delay_ms=10&hold_s=5'), $proxy('/pulse/snapshot'));
$t->check('an open proxied stream does not hold the session: the page\'s other calls answer meanwhile', $took < 2.0, sprintf('%.2f s', $took));
$r = $alice->request('GET', $proxy('/__echo'), null, ['Last-Event-ID: 1 OR 1=1']);
$t->check('proxy drops a Last-Event-ID that is not an id', (json_decode($r['body'], true)['last_event_id'] ?? 'x') === '', $r['body']);

// ---- direct mode ------------------------------------------------------------------------------
$r = $alice->request('POST', 'index.php?m=eazybackup&a=token', ['eb_csrf' => $csrf]);
$t->check('proxied mode hands out no tokens (a=token -> 404)', $r['status'] === 404 && strpos($r['body'], 'v2.') === false, $r['status'] . ' ' . $r['body']);
$setMode('direct');
$page = $alice->request('GET', 'index.php?m=eazybackup');
$t->check('direct mode: the page carries the API base and a v2 token for client 1', strpos($page['body'], 'data-mode="direct"') !== false
    && strpos($page['body'], 'data-api-base="http://127.0.0.1:' . $apiPort . '/api/v1"') !== false && (bool) preg_match('/data-token="v2\.1\.\d+\.\d+\.\d+\.[0-9a-f]{16}\./', $page['body']));
$r = $alice->request('POST', 'index.php?m=eazybackup&a=token', ['eb_csrf' => $csrf]);
$json = json_decode($r['body'], true);
$t->check('direct mode: a=token returns {token, expires_at} with no-store', $r['status'] === 200 && strpos($json['token'] ?? '', 'v2.1.') === 0 && ($json['expires_at'] ?? 0) > time() && stripos($r['headers'], 'no-store') !== false);
$r = $alice->request('POST', 'index.php?m=eazybackup&a=token', ['eb_csrf' => 'bad']);
$t->check('direct mode: a=token with a wrong eb_csrf -> 403', $r['status'] === 403);
$r = $alice->request('GET', 'index.php?m=eazybackup&a=token');
$t->check('direct mode: a=token via GET -> 405', $r['status'] === 405);
$setMode('proxied');
