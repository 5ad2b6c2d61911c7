<?php

namespace WHMCS\Module\Addon\Eazybackup\Route;

use WHMCS\Module\Addon\Eazybackup\Http;
use WHMCS\Module\Addon\Eazybackup\Settings;
use WHMCS\Module\Addon\Eazybackup\Token;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/** a=token (POST, eb_csrf): a fresh Bearer token for direct browser → API calls. */
final class TokenRoute
{
    /** @return never */
    public static function handle(Settings $settings): void
    {
        $clientId = Guard::requireClient();
        Guard::requirePost();
        Guard::requireCsrf();
        Guard::requireConfigured($settings);
        Http::json(200, Token::forSession($clientId, $settings->apiSecret));
    }
}
