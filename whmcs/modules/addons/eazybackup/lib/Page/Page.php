<?php

namespace WHMCS\Module\Addon\Eazybackup\Page;

use WHMCS\Module\Addon\Eazybackup\RouteContext;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/** A client-area page behind the router's access check. */
interface Page
{
    /**
     * @return array|null WHMCS's page array (templatefile, vars, pagetitle, breadcrumb), or null
     *                    when the page names something that is not the client's (the no-access page)
     */
    public function render(RouteContext $ctx): ?array;
}
