<?php

namespace WHMCS\Module\Addon\Eazybackup\Route;

use WHMCS\Module\Addon\Eazybackup\Access;
use WHMCS\Module\Addon\Eazybackup\Csrf;
use WHMCS\Module\Addon\Eazybackup\Services;
use WHMCS\Module\Addon\Eazybackup\Session;
use WHMCS\Module\Addon\Eazybackup\Settings;
use WHMCS\Module\Addon\Eazybackup\Token;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/** a=dashboard: the page shell. Data arrives later through the JSON routes and the event stream. */
final class Dashboard
{
    public const TEMPLATE = 'templates/clientarea/dashboard';
    public const NO_ACCESS_TEMPLATE = 'templates/clientarea/no-access';

    public static function handle(Settings $settings, array $lang): array
    {
        $page = [
            'pagetitle' => $lang['dashboard_title'] ?? 'Backup Console',
            'breadcrumb' => [$settings->moduleLink => $lang['dashboard_title'] ?? 'Backup Console'],
            'templatefile' => self::TEMPLATE,
            'requirelogin' => true,
            'vars' => [],
        ];
        $access = Session::access();
        if ($access->isAnonymous()) {
            // Nothing minted or read for anonymous visitors; WHMCS shows its login flow.
            return $page;
        }
        $page['requirelogin'] = false;
        if (!$access->isAllowed()) {
            // A polite page instead of the console: no token, no services, no CSRF value.
            $page['templatefile'] = self::NO_ACCESS_TEMPLATE;
            $page['vars'] = [
                'eb_lang' => $lang,
                'eb_no_access_reason' => $access->status === Access::CLIENT_CLOSED ? 'closed' : 'permission',
            ];
            return $page;
        }
        $clientId = (int) $access->clientId;
        $token = $settings->isComplete() ? Token::forSession($clientId, $settings->apiSecret) : ['token' => '', 'expires_at' => 0];
        $services = Services::forClient($clientId);
        $page['vars'] = [
            'eb_lang' => $lang,
            'eb_csrf' => Csrf::token(),
            'eb_configured' => $settings->isComplete(),
            'eb_api_base' => $settings->apiUrl,
            'eb_token' => $token['token'],
            'eb_token_expires_at' => $token['expires_at'],
            'eb_asset_version' => self::assetVersion(),
            'eb_routes' => [
                'token' => $settings->routeUrl('token'),
                'snapshot' => $settings->routeUrl('pulse-snapshot'),
                'events' => $settings->routeUrl('pulse-events'),
                'snooze' => $settings->routeUrl('pulse-snooze'),
            ],
            'eb_services' => $services,
            // The same list for the script, as JSON the template puts in a data-* attribute via |escape.
            'eb_services_json' => json_encode($services, JSON_UNESCAPED_SLASHES),
        ];
        return $page;
    }

    /** Cache-busting query value for our CSS/JS: changes whenever a built asset changes. */
    private static function assetVersion(): string
    {
        $assets = dirname(__DIR__, 2) . '/templates/assets';
        $mtime = 0;
        foreach (['css/app.css', 'js/api.js', 'js/pulse.js'] as $file) {
            $mtime = max($mtime, (int) @filemtime($assets . '/' . $file));
        }
        return (string) $mtime;
    }
}
