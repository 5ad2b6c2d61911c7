<?php

namespace WHMCS\Module\Addon\Eazybackup;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/**
 * Our own per-session CSRF token, sent as `eb_csrf` (WHMCS reserves `token`/`csrfToken` and its own
 * check has changed between releases, so we never depend on it).
 */
final class Csrf
{
    public const FIELD = 'eb_csrf';
    private const SESSION_KEY = 'eazybackup_csrf';

    public static function token(): string
    {
        if (empty($_SESSION[self::SESSION_KEY]) || !is_string($_SESSION[self::SESSION_KEY])) {
            $_SESSION[self::SESSION_KEY] = bin2hex(random_bytes(32));
        }
        return $_SESSION[self::SESSION_KEY];
    }

    /** True when the request carries this session's token and does not come from another site. */
    public static function verifyRequest(): bool
    {
        $sent = $_POST[self::FIELD] ?? ($_SERVER['HTTP_X_EB_CSRF'] ?? '');
        $expected = $_SESSION[self::SESSION_KEY] ?? '';
        if (!is_string($sent) || !is_string($expected) || $expected === '' || $sent === '') {
            return false;
        }
        if (!hash_equals($expected, $sent)) {
            return false;
        }
        // Defence in depth: browsers that send Sec-Fetch-Site tell us when a request is cross-site.
        $site = $_SERVER['HTTP_SEC_FETCH_SITE'] ?? '';
        return $site !== 'cross-site';
    }

    /** Ends the request with 403 csrf_failed unless verifyRequest() holds (every write goes through here). */
    public static function requireValid(): void
    {
        if (!self::verifyRequest()) {
            Http::error(403, 'csrf_failed', 'Your page has expired. Please reload it and try again.');
        }
    }
}
