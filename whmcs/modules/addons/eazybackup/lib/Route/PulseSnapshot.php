<?php

namespace WHMCS\Module\Addon\Eazybackup\Route;

use WHMCS\Module\Addon\Eazybackup\ApiClient;
use WHMCS\Module\Addon\Eazybackup\Http;
use WHMCS\Module\Addon\Eazybackup\Settings;
use WHMCS\Module\Addon\Eazybackup\Token;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/** a=pulse-snapshot: server-side proxy of GET /api/v1/pulse/snapshot. */
final class PulseSnapshot
{
    /** @return never */
    public static function handle(Settings $settings): void
    {
        $clientId = Guard::requireClient();
        Guard::requireConfigured($settings);
        $token = Token::forSession($clientId, $settings->apiSecret)['token'];
        $response = (new ApiClient($settings->apiInternalUrl, $token))->get('/api/v1/pulse/snapshot');
        Http::json($response->status, $response->body);
    }
}
