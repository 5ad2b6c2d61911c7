<?php
/**
 * A fake `eazybackup serve` for the PHP tests and screenshots (php -S router). It checks the v1/v2
 * token exactly as the contract says (so a wrong MAC or expiry fails here too), serves a canned
 * snapshot, records snooze calls to FAKE_API_LOG, and streams a few job events over SSE.
 *   FAKE_API_SECRET=... FAKE_API_LOG=/tmp/x.log php -S 127.0.0.1:0 tests/php/fake-api.php
 */

$secret = (string) getenv('FAKE_API_SECRET');
$log = (string) getenv('FAKE_API_LOG');
$path = (string) parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);

function fake_json(int $status, array $body): void
{
    http_response_code($status);
    header('Content-Type: application/json');
    header('Access-Control-Allow-Origin: *');
    echo json_encode($body);
}

function fake_client_from_token(string $token, string $secret): ?int
{
    $parts = explode('.', $token);
    // v1.<client>.<exp>.<nonce>.<mac> or v2.<client>.<user>.<iat>.<exp>.<nonce>.<mac>
    $shapes = ['v1' => [5, 2], 'v2' => [7, 4]];
    if (!isset($shapes[$parts[0]]) || count($parts) !== $shapes[$parts[0]][0]) {
        return null;
    }
    $n = count($parts);
    $mac = rtrim(strtr(base64_encode(hash_hmac('sha256', implode('.', array_slice($parts, 0, $n - 1)), $secret, true)), '+/', '-_'), '=');
    if (!hash_equals($mac, $parts[$n - 1]) || (int) $parts[$shapes[$parts[0]][1]] < time()) {
        return null;
    }
    return (int) $parts[1];
}

function fake_job(string $id, string $class, array $over = []): array
{
    $now = time();
    $labels = ['running' => 'Running', 'success' => 'Completed', 'warning' => 'Completed with warnings', 'error' => 'Failed', 'missed' => 'Missed'];
    $codes = ['running' => 6001, 'success' => 5000, 'warning' => 7001, 'error' => 7003, 'missed' => 7004];
    return $over + [
        'profile' => 'eazybackup', 'username' => 'acme-dental', 'service_id' => 101, 'job_id' => $id,
        'device_id' => 'dev-' . $id, 'device_name' => 'FRONT-DESK-PC', 'item_id' => 'item-' . $id,
        'item_name' => 'Patient records', 'vault_id' => 'vault-1', 'classification' => 4001,
        'classification_label' => 'Backup', 'status' => $codes[$class], 'status_label' => $labels[$class],
        'status_class' => $class, 'started_at' => $now - 754, 'ended_at' => $class === 'running' ? null : $now - 60,
        'bytes_done' => 3_400_000_000, 'total_bytes' => 8_000_000_000, 'upload_bytes' => 1_200_000_000,
        'progress_counter' => 12, 'last_update' => $now,
    ];
}

if ($path === '/api/v1/health') {
    fake_json(200, ['ok' => true]);
    return true;
}

$auth = $_SERVER['HTTP_AUTHORIZATION'] ?? '';
$token = strncmp($auth, 'Bearer ', 7) === 0 ? substr($auth, 7) : ($path === '/api/v1/events' ? (string) ($_GET['token'] ?? '') : '');
$clientId = fake_client_from_token($token, $secret);
if ($clientId === null) {
    fake_json(401, ['error' => ['code' => 'unauthorized', 'message' => 'Token rejected by fake API']]);
    return true;
}

if ($path === '/api/v1/pulse/snapshot') {
    if (getenv('FAKE_API_FAIL')) {
        fake_json(503, ['error' => ['code' => 'db_unavailable', 'message' => 'The status database is temporarily unavailable.']]);
        return true;
    }
    fake_json(200, [
        'generated_at' => time(),
        'client_id' => $clientId,
        'running' => [
            fake_job('job-run-1', 'running'),
            fake_job('job-run-2', 'running', ['device_name' => 'Reception <b>iMac</b>', 'item_name' => 'Mail & documents', 'service_id' => 102, 'username' => 'acme-offsite', 'total_bytes' => 0, 'bytes_done' => 640_000_000, 'started_at' => time() - 95]),
        ],
        'incidents' => [
            fake_job('job-err-1', 'error', ['device_name' => 'XRAY-WS-02', 'item_name' => 'Imaging archive', 'snoozed_until' => null]),
            fake_job('job-miss-1', 'missed', ['device_name' => 'Laptop (Dr. Lee)', 'item_name' => 'Home folder', 'ended_at' => time() - 20000, 'snoozed_until' => null]),
            fake_job('job-warn-1', 'warning', ['device_name' => 'FRONT-DESK-PC', 'item_name' => 'SQL Server', 'ended_at' => time() - 5000, 'snoozed_until' => null]),
        ],
        'counts' => ['running' => 2, 'success' => 41, 'warning' => 1, 'error' => 1, 'missed' => 1],
    ]);
    return true;
}

// Which fake services each client owns (as the demo seed: alice 101/102, bob 201/202).
const FAKE_OWNED = [1 => [101, 102], 2 => [201, 202]];

if (preg_match('#^/api/v1/services/(\d+)/overview$#', $path, $m)) {
    $serviceId = (int) $m[1];
    if (!in_array($serviceId, FAKE_OWNED[$clientId] ?? [], true)) {
        fake_json(404, ['error' => ['code' => 'not_found', 'message' => 'No such service.']]);
        return true;
    }
    // 102 plays a service whose Comet server is down: our figures, plus the reason.
    $down = $serviceId === 102;
    fake_json(200, [
        'service' => ['service_id' => $serviceId, 'profile' => 'eazybackup', 'username' => 'acme-dental', 'status' => 'Active'],
        'account' => ['display_name' => 'Acme <Dental>', 'email' => 'it@acme.example', 'created_ts' => 1700000000],
        'devices' => ['online' => 2, 'total' => 3], 'items' => ['total' => 7], 'vaults' => ['total' => 1],
        'storage' => ['used_bytes' => 123_000_000_000],
        'quotas' => [
            ['key' => 'devices', 'used' => 3, 'limit' => 5, 'unit' => 'count', 'vault_id' => null, 'vault_name' => null],
            ['key' => 'vault', 'used' => 123_000_000_000, 'limit' => null, 'unit' => 'bytes', 'vault_id' => 'v1', 'vault_name' => 'Cloud <vault>'],
        ],
        'jobs_24h' => ['running' => 1, 'success' => 9, 'warning' => 1, 'error' => 0, 'missed' => 0],
        'news' => [],
        'comet' => $down ? ['reachable' => false, 'message' => 'connection refused'] : ['reachable' => true, 'message' => null],
    ]);
    return true;
}

// What the proxy forwarded, for the PHP tests: method, query, body and the headers that matter.
if ($path === '/api/v1/__echo') {
    fake_json(200, [
        'client_id' => $clientId, 'method' => $_SERVER['REQUEST_METHOD'] ?? '', 'query' => $_SERVER['QUERY_STRING'] ?? '',
        'body' => (string) file_get_contents('php://input'), 'content_type' => $_SERVER['CONTENT_TYPE'] ?? '',
        'accept' => $_SERVER['HTTP_ACCEPT'] ?? '', 'last_event_id' => $_SERVER['HTTP_LAST_EVENT_ID'] ?? '',
        'cookie' => $_SERVER['HTTP_COOKIE'] ?? '',
    ]);
    return true;
}

if (preg_match('#^/api/v1/services/(\d+)/account/password$#', $path, $m) && ($_SERVER['REQUEST_METHOD'] ?? '') === 'POST') {
    // Service 101 is client 1's; its Comet password is "acme-pass" here.
    $body = json_decode((string) file_get_contents('php://input'), true);
    if ($clientId !== 1 || $m[1] !== '101') {
        fake_json(404, ['error' => ['code' => 'not_found', 'message' => 'That service was not found.']]);
        return true;
    }
    if (array_keys((array) $body) !== ['current_password', 'new_password']) {
        fake_json(422, ['error' => ['code' => 'invalid_body', 'message' => 'Unexpected fields.']]);
        return true;
    }
    if (($body['current_password'] ?? '') !== 'acme-pass') {
        fake_json(422, ['error' => ['code' => 'invalid', 'message' => 'The current password is not correct.', 'field' => 'current_password']]);
        return true;
    }
    fake_json(200, ['devices' => [['device_id' => 'dev-1', 'name' => 'FRONT-DESK-PC', 'online' => true, 'updated' => true]], 'still_old' => 0]);
    return true;
}

if ($path === '/api/v1/incidents/snooze' && ($_SERVER['REQUEST_METHOD'] ?? '') === 'POST') {
    $body = json_decode((string) file_get_contents('php://input'), true);
    if ($log !== '') {
        file_put_contents($log, json_encode(['client_id' => $clientId, 'body' => $body]) . "\n", FILE_APPEND | LOCK_EX);
    }
    if (($body['job_id'] ?? '') === 'job-suspended') {
        // What the real API answers for a job of a suspended service.
        fake_json(403, ['error' => ['code' => 'read_only', 'message' => 'This service is suspended, so it is read-only.']]);
        return true;
    }
    fake_json(200, ['profile' => $body['profile'] ?? '', 'job_id' => $body['job_id'] ?? '', 'until_ts' => time() + 60 * (int) ($body['minutes'] ?? 0)]);
    return true;
}

if ($path === '/api/v1/events') {
    header('Content-Type: text/event-stream');
    header('Cache-Control: no-store');
    header('Access-Control-Allow-Origin: *');
    $start = (int) ($_GET['last_event_id'] ?? ($_SERVER['HTTP_LAST_EVENT_ID'] ?? 0));
    $script = [
        ['job:start', fake_job('job-new-1', 'running', ['device_name' => 'SERVER-01', 'item_name' => 'Accounts DB', 'bytes_done' => 0, 'started_at' => time()])],
        ['job:progress', fake_job('job-new-1', 'running', ['device_name' => 'SERVER-01', 'item_name' => 'Accounts DB', 'bytes_done' => 4_000_000_000, 'started_at' => time() - 2, 'last_update' => time() + 1])],
        ['job:end', fake_job('job-run-1', 'success', ['ended_at' => time()])],
    ];
    echo "retry: 1000\n\n";
    @ob_flush();
    flush();
    foreach ($script as $i => [$kind, $payload]) {
        $id = $i + 1;
        if ($id <= $start) {
            continue;
        }
        usleep((int) ($_GET['delay_ms'] ?? (getenv('FAKE_API_EVENT_DELAY_MS') ?: 700)) * 1000);
        echo 'id: ' . $id . "\nevent: " . $kind . "\ndata: " . json_encode($payload) . "\n\n";
        @ob_flush();
        flush();
    }
    // Holds the stream open, with a keep-alive comment every 200 ms when asked (as `serve` does
    // every 15 s); `abort_log` records that the reader went away (the proxy closed its side).
    $until = microtime(true) + (int) ($_GET['hold_s'] ?? (getenv('FAKE_API_HOLD_S') ?: 20));
    ignore_user_abort(true);
    while (microtime(true) < $until) {
        usleep(200000);
        if (isset($_GET['keepalive'])) {
            echo ": keep-alive\n\n";
            @ob_flush();
            flush();
            if (connection_aborted()) {
                if (isset($_GET['abort_log']) && preg_match('/^[a-z0-9-]+$/', (string) $_GET['abort_log'])) {
                    file_put_contents(sys_get_temp_dir() . '/' . $_GET['abort_log'], 'aborted');
                }
                return true;
            }
        }
    }
    return true;
}

fake_json(404, ['error' => ['code' => 'not_found', 'message' => 'No such route']]);
return true;
