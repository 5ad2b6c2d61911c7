<?php

namespace WHMCS\Module\Addon\Eazybackup;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/** What every route receives once the router's access check has passed: a client allowed to use the console. */
final class RouteContext
{
    /** @var Settings */
    public $settings;
    /** @var array<string, string> the addon's language strings */
    public $lang;
    /** @var int the WHMCS client account the visitor acts for */
    public $clientId;

    public function __construct(Settings $settings, array $lang, int $clientId)
    {
        $this->settings = $settings;
        $this->lang = $lang;
        $this->clientId = $clientId;
    }

    public function text(string $key, string $fallback = ''): string
    {
        return isset($this->lang[$key]) && is_string($this->lang[$key]) ? $this->lang[$key] : $fallback;
    }
}
