<?php

namespace WHMCS\Module\Addon\Eazybackup\Route;

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
    public static function requireClient(): int
    {
        $clientId = Session::clientId();
        if ($clientId === null) {
            Http::error(401, 'not_logged_in', 'Your session has ended. Please log in again.');
        }
        return $clientId;
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
