<?php

namespace WHMCS\Module\Addon\Eazybackup;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/**
 * Forwards one request to `eazybackup serve` over the internal URL and streams the answer to the
 * browser as it arrives: status, content type and body, with nothing buffered — an SSE stream
 * passes through event by event. It ends when the API ends the answer or the browser goes away.
 */
final class ApiStream
{
    private const CONNECT_TIMEOUT = 3;
    /** Ordinary answers; an event stream has no total timeout (it lives as long as the page). */
    private const TIMEOUT = 30;
    /** API answer headers the browser may see; everything else (cookies, server) stays here. */
    private const PASSED_HEADERS = ['content-type', 'retry-after', 'content-disposition'];

    /** @var bool */
    private $started = false;
    /** @var array<string, string> */
    private $upstreamHeaders = [];

    /**
     * @param list<string> $requestHeaders already-validated headers to send (Authorization, Accept, …)
     * @return never
     */
    public function forward(string $url, string $method, array $requestHeaders, string $body, bool $isStream): void
    {
        ignore_user_abort(true); // we notice the browser leaving ourselves and close the upstream cleanly
        if ($isStream) {
            set_time_limit(0);
        }
        @ini_set('zlib.output_compression', '0');
        $ch = curl_init($url);
        curl_setopt_array($ch, [
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_HTTPHEADER => $requestHeaders,
            CURLOPT_FOLLOWLOCATION => false,
            CURLOPT_CONNECTTIMEOUT => self::CONNECT_TIMEOUT,
            CURLOPT_TIMEOUT => $isStream ? 0 : self::TIMEOUT,
            CURLOPT_HEADERFUNCTION => function ($ch, string $line): int {
                $this->rememberHeader($line);
                return strlen($line);
            },
            CURLOPT_WRITEFUNCTION => function ($ch, string $chunk): int {
                return $this->write($ch, $chunk);
            },
        ]);
        if ($body !== '') {
            curl_setopt($ch, CURLOPT_POSTFIELDS, $body);
        }
        $ok = curl_exec($ch);
        if (!$this->started && $ok !== false) {
            $this->start($ch); // an answer without a body (204, or an empty 200)
        }
        curl_close($ch);
        if (!$this->started) {
            Http::error(502, 'api_unreachable', 'The backup service is not reachable right now. Please try again shortly.');
        }
        exit;
    }

    private function rememberHeader(string $line): void
    {
        // A new status line starts a new header block (e.g. after "100 Continue").
        if (strncmp($line, 'HTTP/', 5) === 0) {
            $this->upstreamHeaders = [];
            return;
        }
        $colon = strpos($line, ':');
        if ($colon !== false) {
            $this->upstreamHeaders[strtolower(trim(substr($line, 0, $colon)))] = trim(substr($line, $colon + 1));
        }
    }

    /** @param resource|\CurlHandle $ch */
    private function write($ch, string $chunk): int
    {
        if (!$this->started) {
            $this->start($ch);
        }
        echo $chunk;
        flush();
        // 0 tells curl to stop: the browser is gone, so the upstream request ends too.
        return connection_aborted() ? 0 : strlen($chunk);
    }

    /** @param resource|\CurlHandle $ch */
    private function start($ch): void
    {
        $this->started = true;
        while (ob_get_level() > 0) {
            ob_end_clean();
        }
        http_response_code((int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE));
        foreach (self::PASSED_HEADERS as $name) {
            if (isset($this->upstreamHeaders[$name])) {
                header(self::headerName($name) . ': ' . $this->upstreamHeaders[$name]);
            }
        }
        header('Cache-Control: no-store');
        header('X-Content-Type-Options: nosniff');
        header('X-Accel-Buffering: no'); // nginx in front of WHMCS must not hold an event stream back
        flush();
    }

    private static function headerName(string $lower): string
    {
        return implode('-', array_map('ucfirst', explode('-', $lower)));
    }
}
