<?php

namespace WHMCS\Module\Addon\Eazybackup\Json;

use WHMCS\Module\Addon\Eazybackup\RouteContext;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/** A route that answers with JSON (or a stream) and ends the request, behind the router's access check. */
interface JsonRoute
{
    /** @return never */
    public function handle(RouteContext $ctx): void;
}
