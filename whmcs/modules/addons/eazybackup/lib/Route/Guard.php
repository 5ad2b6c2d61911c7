<?php

namespace WHMCS\Module\Addon\Eazybackup\Route;

use WHMCS\Module\Addon\Eazybackup\Access;
use WHMCS\Module\Addon\Eazybackup\Csrf;
use WHMCS\Module\Addon\Eazybackup\Http;
use WHMCS\Module\Addon\Eazybackup\Session;
use WHMCS\Module\Addon\Eazybackup\Settings;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/** The checks JSON routes run first; each ends the request with a JSON error when it fails. */
final class Guard
{
    /**
     * The client id of a visitor allowed to use the console; anyone else gets 401 (not logged in)
     * or 403 (a sub-user without the products permission, a closed account) and nothing is minted.
     */
    public static function requireClient(): int
    {
        $access = Session::access();
        if ($access->isAnonymous()) {
            Http::error(401, 'not_logged_in', 'Your session has ended. Please log in again.');
        }
        if (!$access->isAllowed()) {
            Http::error(403, 'forbidden', self::refusal($access));
        }
        return (int) $access->clientId;
    }

    public static function refusal(Access $access): string
    {
        if ($access->status === Access::CLIENT_CLOSED) {
            return 'This account is closed, so its backup services are not available.';
        }
        return 'You don\'t have access to backup services on this account. Please ask the account owner for the "Products/Services" permission.';
    }

    public static function requirePost(): void
    {
        if (($_SERVER['REQUEST_METHOD'] ?? 'GET') !== 'POST') {
            header('Allow: POST');
            Http::error(405, 'method_not_allowed', 'This action must be sent as POST.');
        }
    }

    public static function requireCsrf(): void
    {
        if (!Csrf::verifyRequest()) {
            Http::error(403, 'csrf_failed', 'Your page has expired. Please reload it and try again.');
        }
    }

    public static function requireConfigured(Settings $settings): void
    {
        if (!$settings->isComplete()) {
            Http::error(503, 'not_configured', 'The backup console is not configured yet. Please contact support.');
        }
    }
}
