<?php
/** Minimal test harness: checks, subprocesses, free ports, background servers and a cookie-keeping HTTP client. */

final class Harness
{
    /** @var int */
    private $passed = 0;
    /** @var int */
    private $failed = 0;
    /** @var list<resource> */
    private $servers = [];
    /** @var list<string> */
    private $tmpDirs = [];

    public function __destruct()
    {
        foreach ($this->servers as $proc) {
            $status = proc_get_status($proc);
            if ($status['running']) {
                // php -S with workers: the workers are our children's children; end the whole group we created.
                posix_kill(-$status['pid'], SIGTERM) || proc_terminate($proc);
            }
            proc_close($proc);
        }
        foreach ($this->tmpDirs as $dir) {
            exec('rm -rf ' . escapeshellarg($dir));
        }
    }

    public function check(string $name, bool $ok, string $detail = ''): void
    {
        if ($ok) {
            $this->passed++;
            echo "ok   $name\n";
        } else {
            $this->failed++;
            echo "FAIL $name" . ($detail !== '' ? "  -- $detail" : '') . "\n";
        }
    }

    public function finish(): int
    {
        echo "{$this->passed} passed, {$this->failed} failed\n";
        return $this->failed > 0 ? 1 : 0;
    }

    /** @return array{code: int, out: string, err: string} */
    public function run(array $cmd, array $env = []): array
    {
        $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env + getenv());
        $out = stream_get_contents($pipes[1]);
        $err = stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        return ['code' => proc_close($proc), 'out' => (string) $out, 'err' => (string) $err];
    }

    /** Run a PHP script that prints one JSON object per line. */
    public function phpLines(array $args, array $env = []): array
    {
        $r = $this->run(array_merge([PHP_BINARY], $args), $env);
        $lines = [];
        foreach (explode("\n", trim($r['out'])) as $line) {
            $decoded = json_decode($line, true);
            if (is_array($decoded)) {
                $lines[] = $decoded;
            }
        }
        if ($r['code'] !== 0) {
            $this->check('subprocess ' . basename($args[0]) . ' exits 0', false, trim($r['err']));
        }
        return $lines;
    }

    public function freshSqliteEnv(): array
    {
        $dir = sys_get_temp_dir() . '/eb-php-tests-' . bin2hex(random_bytes(4));
        mkdir($dir);
        $this->tmpDirs[] = $dir;
        return [
            'TMP' => $dir,
            'WHMCS_DB_DSN' => 'sqlite:' . $dir . '/whmcs.sqlite',
            'EB_API_URL' => 'http://127.0.0.1:9',
            'EB_API_INTERNAL_URL' => '',
            'EB_API_SECRET' => 'php-test-secret-' . bin2hex(random_bytes(8)),
        ];
    }

    public function freePort(): int
    {
        $sock = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
        $name = stream_socket_get_name($sock, false);
        fclose($sock);
        return (int) substr((string) strrchr((string) $name, ':'), 1);
    }

    /** Start `php -S 127.0.0.1:<port> <args>` in its own process group and wait until it accepts connections. */
    public function serve(int $port, array $args, array $env): void
    {
        $cmd = array_merge(['setsid', PHP_BINARY, '-S', "127.0.0.1:$port"], $args);
        $proc = proc_open($cmd, [1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes, null, ['PHP_CLI_SERVER_WORKERS' => '4'] + $env + getenv());
        $this->servers[] = $proc;
        for ($i = 0; $i < 100; $i++) {
            $conn = @fsockopen('127.0.0.1', $port, $errno, $errstr, 0.1);
            if ($conn) {
                fclose($conn);
                return;
            }
            usleep(50000);
        }
        throw new RuntimeException("server on port $port did not start");
    }
}

/** A cookie-keeping HTTP client that never follows redirects. */
final class Browser
{
    /** @var string */
    private $base;
    /** @var string */
    private $jar;

    public function __construct(string $base)
    {
        $this->base = $base;
        $this->jar = tempnam(sys_get_temp_dir(), 'eb-jar');
    }

    public function __destruct()
    {
        @unlink($this->jar);
    }

    /** @return array{status: int, headers: string, body: string, location: string} */
    /** $fields: form fields (POSTed form-encoded), or a string sent as the raw body. */
    public function request(string $method, string $path, $fields = null, array $headers = []): array
    {
        $ch = curl_init($this->base . $path);
        curl_setopt_array($ch, [
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_HEADER => true,
            CURLOPT_FOLLOWLOCATION => false,
            CURLOPT_COOKIEJAR => $this->jar,
            CURLOPT_COOKIEFILE => $this->jar,
            CURLOPT_HTTPHEADER => $headers,
            CURLOPT_TIMEOUT => 20,
        ]);
        if ($fields !== null) {
            curl_setopt($ch, CURLOPT_POSTFIELDS, is_string($fields) ? $fields : http_build_query($fields));
        }
        $raw = (string) curl_exec($ch);
        $status = (int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
        $headerSize = (int) curl_getinfo($ch, CURLINFO_HEADER_SIZE);
        curl_close($ch);
        $head = substr($raw, 0, $headerSize);
        $location = preg_match('/^Location:\s*(\S+)/mi', $head, $m) ? $m[1] : '';
        return ['status' => $status, 'headers' => $head, 'body' => (string) substr($raw, $headerSize), 'location' => $location];
    }

    /** Log in through login.php like a person would (GET the form for its token, then POST); $clientId picks one of the user's accounts. */
    public function login(string $email, string $password, ?int $clientId = null): bool
    {
        $form = $this->request('GET', 'login.php');
        if (!preg_match('/name="token" value="([^"]+)"/', $form['body'], $m)) {
            return false;
        }
        $fields = ['token' => $m[1], 'username' => $email, 'password' => $password, 'returnurl' => 'index.php?m=eazybackup'];
        if ($clientId !== null) {
            $fields['client_id'] = (string) $clientId;
        }
        $r = $this->request('POST', 'login.php', $fields);
        return $r['status'] === 302 && $r['location'] === 'index.php?m=eazybackup';
    }

    /**
     * Opens a streamed GET and reads until `$until` appears in the body or $maxSeconds pass, then
     * hangs up (as a browser leaving the page). Returns the status, headers, what was read and when
     * `$until` arrived (seconds after the request started; null if it never did).
     *
     * @return array{status: int, headers: string, body: string, arrived_after: ?float}
     */
    public function streamUntil(string $path, string $until, float $maxSeconds, array $headers = []): array
    {
        $head = '';
        $body = '';
        $arrived = null;
        $start = microtime(true);
        $ch = curl_init($this->base . $path);
        curl_setopt_array($ch, [
            CURLOPT_COOKIEFILE => $this->jar,
            CURLOPT_HTTPHEADER => $headers,
            CURLOPT_TIMEOUT_MS => (int) ($maxSeconds * 1000),
            CURLOPT_HEADERFUNCTION => static function ($ch, string $line) use (&$head): int {
                $head .= $line;
                return strlen($line);
            },
            CURLOPT_WRITEFUNCTION => static function ($ch, string $chunk) use (&$body, &$arrived, $until, $start): int {
                $body .= $chunk;
                if (strpos($body, $until) !== false) {
                    $arrived = microtime(true) - $start;
                    return 0; // hang up
                }
                return strlen($chunk);
            },
        ]);
        curl_exec($ch);
        $status = (int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
        curl_close($ch);
        return ['status' => $status, 'headers' => $head, 'body' => $body, 'arrived_after' => $arrived];
    }

    /**
     * Seconds a GET of $path takes while a stream of $streamPath is open in the same session
     * (a session lock held by the stream would make it wait for the stream's end).
     */
    public function secondsWhileStreaming(string $streamPath, string $path): float
    {
        $stream = curl_init($this->base . $streamPath);
        curl_setopt_array($stream, [CURLOPT_COOKIEFILE => $this->jar, CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 10, CURLOPT_HTTPHEADER => ['Accept: text/event-stream']]);
        $multi = curl_multi_init();
        curl_multi_add_handle($multi, $stream);
        $until = microtime(true) + 0.5;
        do {
            curl_multi_exec($multi, $running);
            curl_multi_select($multi, 0.05);
        } while (microtime(true) < $until);
        $start = microtime(true);
        $this->request('GET', $path);
        $took = microtime(true) - $start;
        curl_multi_remove_handle($multi, $stream);
        curl_close($stream);
        curl_multi_close($multi);
        return $took;
    }
}
