<?php

namespace WHMCS\Module\Addon\Eazybackup;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/**
 * Server-side calls to `eazybackup serve` (api_internal_url) with a Bearer token. Every outcome is
 * an ApiResponse whose body is either the API's JSON or `{error: {code, message}}`, so routes can
 * pass it straight to the browser.
 */
final class ApiClient
{
    private const CONNECT_TIMEOUT = 3;
    private const TIMEOUT = 10;

    /** @var string */
    private $baseUrl;
    /** @var string */
    private $bearer;

    public function __construct(string $baseUrl, string $bearer)
    {
        $this->baseUrl = rtrim($baseUrl, '/');
        $this->bearer = $bearer;
    }

    public function get(string $path): ApiResponse
    {
        return $this->send('GET', $path, null);
    }

    public function postJson(string $path, array $body): ApiResponse
    {
        return $this->send('POST', $path, json_encode($body, JSON_UNESCAPED_SLASHES));
    }

    private function send(string $method, string $path, ?string $body): ApiResponse
    {
        if ($this->baseUrl === '') {
            return ApiResponse::failure(503, 'not_configured', 'The backup console is not configured yet (missing API URL).');
        }
        $ch = curl_init($this->baseUrl . $path);
        $headers = ['Accept: application/json', 'Authorization: Bearer ' . $this->bearer];
        if ($body !== null) {
            $headers[] = 'Content-Type: application/json';
            curl_setopt($ch, CURLOPT_POSTFIELDS, $body);
        }
        curl_setopt_array($ch, [
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_HTTPHEADER => $headers,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_FOLLOWLOCATION => false,
            CURLOPT_CONNECTTIMEOUT => self::CONNECT_TIMEOUT,
            CURLOPT_TIMEOUT => self::TIMEOUT,
        ]);
        $raw = curl_exec($ch);
        $status = (int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
        $curlError = curl_error($ch);
        curl_close($ch);

        if ($raw === false) {
            return ApiResponse::failure(502, 'api_unreachable', 'The backup service is not reachable right now. Please try again shortly.');
        }
        return self::interpret($status, (string) $raw);
    }

    /** Map an HTTP answer to an ApiResponse; anything that is not the documented shape becomes a 502. */
    public static function interpret(int $status, string $raw): ApiResponse
    {
        $decoded = json_decode($raw, true);
        if ($status >= 200 && $status < 300) {
            if (!is_array($decoded)) {
                return ApiResponse::failure(502, 'api_bad_response', 'The backup service sent an unreadable answer.');
            }
            return new ApiResponse($status, $decoded);
        }
        if ($status >= 400 && $status < 600) {
            $error = is_array($decoded) && isset($decoded['error']) && is_array($decoded['error']) ? $decoded['error'] : null;
            $code = is_string($error['code'] ?? null) ? $error['code'] : 'api_error';
            $message = is_string($error['message'] ?? null) ? $error['message'] : 'The backup service reported an error (HTTP ' . $status . ').';
            return ApiResponse::failure($status, $code, $message);
        }
        return ApiResponse::failure(502, 'api_bad_response', 'The backup service sent an unexpected answer (HTTP ' . $status . ').');
    }
}
