<?php

namespace WHMCS\Module\Addon\Eazybackup;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/** The addon settings WHMCS passes in $vars (fields never saved are absent). */
final class Settings
{
    /** @var string browser-facing base URL of `eazybackup serve` */
    public $apiUrl;
    /** @var string server-side base URL (falls back to apiUrl) */
    public $apiInternalUrl;
    /** @var string shared HMAC secret (EB_API_SECRET) */
    public $apiSecret;
    /** @var string index.php?m=eazybackup */
    public $moduleLink;

    public static function fromVars(array $vars): self
    {
        $s = new self();
        $s->apiUrl = rtrim(trim((string) ($vars['api_url'] ?? '')), '/');
        $internal = rtrim(trim((string) ($vars['api_internal_url'] ?? '')), '/');
        $s->apiInternalUrl = $internal !== '' ? $internal : $s->apiUrl;
        $s->apiSecret = (string) ($vars['api_secret'] ?? '');
        $s->moduleLink = (string) ($vars['modulelink'] ?? 'index.php?m=eazybackup');
        return $s;
    }

    public function isComplete(): bool
    {
        return $this->apiUrl !== '' && $this->apiSecret !== '';
    }

    public function routeUrl(string $route): string
    {
        return $this->moduleLink . '&a=' . rawurlencode($route);
    }
}
