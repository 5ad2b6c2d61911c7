<?php

namespace WHMCS\Module\Addon\Eazybackup\Json;

use WHMCS\Module\Addon\Eazybackup\Csrf;
use WHMCS\Module\Addon\Eazybackup\Http;
use WHMCS\Module\Addon\Eazybackup\RouteContext;
use WHMCS\Module\Addon\Eazybackup\Token;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/**
 * a=token (POST, eb_csrf): a fresh Bearer token for direct browser → API calls. Proxied mode hands
 * out no tokens: the browser never needs one there.
 */
final class TokenRoute implements JsonRoute
{
    public function handle(RouteContext $ctx): void
    {
        if (($_SERVER['REQUEST_METHOD'] ?? 'GET') !== 'POST') {
            header('Allow: POST');
            Http::error(405, 'method_not_allowed', 'This action must be sent as POST.');
        }
        Csrf::requireValid();
        if (!$ctx->settings->isDirect()) {
            Http::error(404, 'not_found', 'Tokens are only handed out in direct mode.');
        }
        if (!$ctx->settings->isComplete()) {
            Http::error(503, 'not_configured', 'The backup console is not configured yet. Please contact support.');
        }
        Http::json(200, Token::forSession($ctx->clientId, $ctx->settings->apiSecret));
    }
}
