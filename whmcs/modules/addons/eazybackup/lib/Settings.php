<?php

namespace WHMCS\Module\Addon\Eazybackup;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/** The addon settings WHMCS passes in $vars (fields never saved are absent). */
final class Settings
{
    /**
     * proxied: the browser only ever talks to WHMCS (index.php?m=eazybackup&a=api&path=…), which
     * forwards to the internal API URL over loopback. The default, because it needs no public API
     * host, no CORS and no token in the page.
     * direct: the browser calls the API URL itself with a short-lived Bearer token (CORS must allow
     * the WHMCS origin: EB_API_CORS_ORIGINS).
     */
    public const MODE_PROXIED = 'proxied';
    public const MODE_DIRECT = 'direct';

    /** @var string browser-facing base URL of `eazybackup serve` (direct mode) */
    public $apiUrl;
    /** @var string server-side base URL (falls back to apiUrl) */
    public $apiInternalUrl;
    /** @var string shared HMAC secret (EB_API_SECRET) */
    public $apiSecret;
    /** @var string self::MODE_PROXIED or self::MODE_DIRECT */
    public $deploymentMode;
    /** @var string index.php?m=eazybackup */
    public $moduleLink;

    public static function fromVars(array $vars): self
    {
        $s = new self();
        $s->apiUrl = rtrim(trim((string) ($vars['api_url'] ?? '')), '/');
        $internal = rtrim(trim((string) ($vars['api_internal_url'] ?? '')), '/');
        $s->apiInternalUrl = $internal !== '' ? $internal : $s->apiUrl;
        $s->apiSecret = (string) ($vars['api_secret'] ?? '');
        // Anything but an explicit "direct" is proxied: an unknown value must not expose the API.
        $s->deploymentMode = trim((string) ($vars['deployment_mode'] ?? '')) === self::MODE_DIRECT ? self::MODE_DIRECT : self::MODE_PROXIED;
        $s->moduleLink = (string) ($vars['modulelink'] ?? 'index.php?m=eazybackup');
        return $s;
    }

    public function isDirect(): bool
    {
        return $this->deploymentMode === self::MODE_DIRECT;
    }

    /** Everything the chosen mode needs: the secret, and the URL the mode calls the API on. */
    public function isComplete(): bool
    {
        if ($this->apiSecret === '') {
            return false;
        }
        return $this->isDirect() ? $this->apiUrl !== '' : $this->apiInternalUrl !== '';
    }

    public function routeUrl(string $route): string
    {
        return $this->moduleLink . '&a=' . rawurlencode($route);
    }
}
