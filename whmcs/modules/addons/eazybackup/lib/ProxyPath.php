<?php

namespace WHMCS\Module\Addon\Eazybackup;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/**
 * The `path` a browser may ask the proxy for: an API path below /api/v1 with an optional query
 * string. Anything else is refused before a request is built, so the proxy can only ever reach
 * the customer API's own routes (never another host, never a parent directory).
 */
final class ProxyPath
{
    public const MAX_LENGTH = 2048;
    private const PATH_PATTERN = '#^/[A-Za-z0-9/_.-]*$#';
    /** Query strings as browsers percent-encode them. */
    private const QUERY_PATTERN = '#^[A-Za-z0-9_.~%=&+,:-]*$#';

    /** @return string|null the path (and query) to append to <api>/api/v1, or null when refused */
    public static function validate($raw): ?string
    {
        if (!is_string($raw) || $raw === '' || strlen($raw) > self::MAX_LENGTH || $raw[0] !== '/') {
            return null;
        }
        $parts = explode('?', $raw, 2);
        $path = $parts[0];
        $query = $parts[1] ?? null;
        if (!preg_match(self::PATH_PATTERN, $path) || strpos($path, '..') !== false || strpos($path, '//') !== false) {
            return null;
        }
        if ($query !== null && !preg_match(self::QUERY_PATTERN, $query)) {
            return null;
        }
        return $query === null || $query === '' ? $path : $path . '?' . $query;
    }
}
