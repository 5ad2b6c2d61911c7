<?php

namespace WHMCS\Module\Addon\Eazybackup\Page;

use WHMCS\Module\Addon\Eazybackup\RouteContext;
use WHMCS\Module\Addon\Eazybackup\Services;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/** a=console&serviceid=N: one backup account's console (header, service switcher, tabs). */
final class Console implements Page
{
    public const TEMPLATE = 'templates/console/user-profile';

    /** Tab ids in display order; their labels are lang keys tab_<id>, their bodies partials/<id>.tpl. */
    public const TABS = ['overview', 'devices', 'items', 'vaults', 'jobs', 'restore', 'account'];

    public function render(RouteContext $ctx): ?array
    {
        $services = Services::forClient($ctx->clientId);
        $service = self::selected($services, $_GET['serviceid'] ?? null);
        if ($service === null) {
            return null; // not one of the client's services: the no-access page, naming nothing
        }
        $title = $ctx->text('console_title', 'Backup account');
        $vars = [
            'eb_service' => $service,
            'eb_tabs' => self::TABS,
            'eb_tabs_json' => json_encode(self::TABS),
        ];
        return Shell::page($ctx, self::TEMPLATE, $services, $vars, [
            'pagetitle' => $title . ' ' . $service['username'],
            'breadcrumb' => [
                $ctx->settings->moduleLink => $ctx->text('dashboard_title', 'Backup Console'),
                $ctx->settings->routeUrl('console') . '&serviceid=' . $service['service_id'] => $service['username'],
            ],
        ]);
    }

    /** @param list<array<string, mixed>> $services */
    private static function selected(array $services, $requested): ?array
    {
        if (!is_string($requested) || !ctype_digit($requested) || strlen($requested) > 10) {
            return null;
        }
        foreach ($services as $service) {
            if ($service['service_id'] === (int) $requested) {
                return $service;
            }
        }
        return null;
    }
}
