<?php

namespace WHMCS\Module\Addon\Eazybackup\Route;

use WHMCS\Module\Addon\Eazybackup\Http;
use WHMCS\Module\Addon\Eazybackup\Settings;
use WHMCS\Module\Addon\Eazybackup\Token;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/**
 * a=pulse-events: 302 to the API's SSE stream with a fresh token. EventSource reconnects to this
 * URL (not the redirect target), so every reconnect gets a new token and forwards Last-Event-ID.
 */
final class PulseEvents
{
    /** @return never */
    public static function handle(Settings $settings): void
    {
        $clientId = Guard::requireClient();
        Guard::requireConfigured($settings);
        // EventSource sends Last-Event-ID on its own reconnects; our script passes it as a query
        // parameter when it has to build a new EventSource after a permanent failure.
        $lastEventId = $_SERVER['HTTP_LAST_EVENT_ID'] ?? ($_GET['last_event_id'] ?? null);
        Http::redirect(self::streamUrl($settings, $clientId, is_string($lastEventId) ? $lastEventId : null));
    }

    public static function streamUrl(Settings $settings, int $clientId, ?string $lastEventId): string
    {
        $query = ['token' => Token::forSession($clientId, $settings->apiSecret)['token']];
        $lastEventId = trim((string) $lastEventId);
        // Event ids are eb_events.id; anything else is dropped rather than forwarded.
        if ($lastEventId !== '' && ctype_digit($lastEventId) && strlen($lastEventId) <= 20) {
            $query['last_event_id'] = $lastEventId;
        }
        return $settings->apiUrl . '/api/v1/events?' . http_build_query($query, '', '&', PHP_QUERY_RFC3986);
    }
}
