<?php

namespace WHMCS\Module\Addon\Eazybackup\Json;

use WHMCS\Module\Addon\Eazybackup\ApiStream;
use WHMCS\Module\Addon\Eazybackup\Csrf;
use WHMCS\Module\Addon\Eazybackup\Http;
use WHMCS\Module\Addon\Eazybackup\ProxyPath;
use WHMCS\Module\Addon\Eazybackup\RouteContext;
use WHMCS\Module\Addon\Eazybackup\Token;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/**
 * a=api&path=/services/12/overview — the one proxy of proxied mode: any customer API route, any
 * method, answered by the API itself. WHMCS only proves who the visitor is (the router's access
 * check and, for writes, our CSRF value) and mints the Bearer token server-side; scoping (a
 * service that is not the client's → 404) stays the API's job, and its answer passes through.
 */
final class ApiProxy implements JsonRoute
{
    public const MAX_BODY_BYTES = 1048576;
    private const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

    public function handle(RouteContext $ctx): void
    {
        $method = strtoupper((string) ($_SERVER['REQUEST_METHOD'] ?? 'GET'));
        if (!in_array($method, self::METHODS, true)) {
            header('Allow: ' . implode(', ', self::METHODS));
            Http::error(405, 'method_not_allowed', 'This method is not supported.');
        }
        $path = ProxyPath::validate($_GET['path'] ?? null);
        if ($path === null) {
            Http::error(400, 'invalid', 'That address is not a backup console API path.', 'path');
        }
        if ($method !== 'GET') {
            Csrf::requireValid();
        }
        if (!$ctx->settings->isComplete()) {
            Http::error(503, 'not_configured', 'The backup console is not configured yet. Please contact support.');
        }
        $body = $method === 'GET' ? '' : self::readBody();
        $isStream = self::wantsStream();
        $headers = [
            'Authorization: Bearer ' . Token::forSession($ctx->clientId, $ctx->settings->apiSecret)['token'],
            'Accept: ' . ($isStream ? 'text/event-stream' : 'application/json'),
        ];
        if ($body !== '') {
            $headers[] = 'Content-Type: application/json';
        }
        // EventSource sends Last-Event-ID on its own reconnects: the stream resumes where it was.
        $lastEventId = (string) ($_SERVER['HTTP_LAST_EVENT_ID'] ?? '');
        if ($lastEventId !== '' && ctype_digit($lastEventId) && strlen($lastEventId) <= 20) {
            $headers[] = 'Last-Event-ID: ' . $lastEventId;
        }
        // PHP sessions are locked while open: a stream holding the lock for minutes would stall
        // every other request of this visitor (the page's own API calls included).
        if (session_status() === PHP_SESSION_ACTIVE) {
            session_write_close();
        }
        (new ApiStream())->forward($ctx->settings->apiInternalUrl . '/api/v1' . $path, $method, $headers, $body, $isStream);
    }

    private static function readBody(): string
    {
        $body = (string) file_get_contents('php://input', false, null, 0, self::MAX_BODY_BYTES + 1);
        if (strlen($body) > self::MAX_BODY_BYTES) {
            Http::error(413, 'too_large', 'The request is too large.');
        }
        if ($body !== '' && json_decode($body) === null && json_last_error() !== JSON_ERROR_NONE) {
            Http::error(400, 'invalid', 'The request body is not valid JSON.');
        }
        return $body;
    }

    private static function wantsStream(): bool
    {
        return stripos((string) ($_SERVER['HTTP_ACCEPT'] ?? ''), 'text/event-stream') !== false;
    }
}
