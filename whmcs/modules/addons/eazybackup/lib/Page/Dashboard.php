<?php

namespace WHMCS\Module\Addon\Eazybackup\Page;

use WHMCS\Module\Addon\Eazybackup\RouteContext;
use WHMCS\Module\Addon\Eazybackup\Services;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/** a=dashboard: the Protection Pulse and the client's services. Live data arrives through the API. */
final class Dashboard implements Page
{
    public const TEMPLATE = 'templates/clientarea/dashboard';

    public function render(RouteContext $ctx): ?array
    {
        return Shell::page($ctx, self::TEMPLATE, Services::forClient($ctx->clientId));
    }
}
