<?php

namespace WHMCS\Module\Addon\Eazybackup\Page;

use WHMCS\Module\Addon\Eazybackup\Csrf;
use WHMCS\Module\Addon\Eazybackup\RouteContext;
use WHMCS\Module\Addon\Eazybackup\Token;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/**
 * What every console page hands to its template and scripts (templates/shared/root-attrs.tpl puts
 * it on the #eb-console element): how to reach the API in the chosen deployment mode, the CSRF
 * value, the language strings and the client's services.
 */
final class Shell
{
    /** Built assets whose change must bust browser caches. */
    private const VERSIONED_ASSETS = ['css/app.css', 'js/lib', 'js/components'];

    /**
     * WHMCS's page array for a console page: `$template` with the shell's variables plus the
     * page's own `$vars`, and `$page`'s other keys (pagetitle, breadcrumb).
     *
     * @param list<array<string, mixed>> $services the client's services (Services::forClient)
     */
    public static function page(RouteContext $ctx, string $template, array $services, array $vars = [], array $page = []): array
    {
        return $page + ['templatefile' => $template, 'vars' => self::vars($ctx, $services) + $vars];
    }

    /** @param list<array<string, mixed>> $services the client's services (Services::forClient) */
    public static function vars(RouteContext $ctx, array $services): array
    {
        $settings = $ctx->settings;
        $direct = $settings->isDirect() && $settings->isComplete();
        // Proxied pages carry no token at all: WHMCS mints one per proxied request.
        $token = $direct ? Token::forSession($ctx->clientId, $settings->apiSecret) : ['token' => '', 'expires_at' => 0];
        return [
            'eb_lang' => $ctx->lang,
            'eb_csrf' => Csrf::token(),
            'eb_configured' => $settings->isComplete(),
            'eb_mode' => $settings->deploymentMode,
            'eb_api_base' => $direct ? $settings->apiUrl . '/api/v1' : '',
            'eb_token' => $token['token'],
            'eb_token_expires_at' => $token['expires_at'],
            'eb_routes' => [
                'token' => $settings->routeUrl('token'),
                'proxy' => $settings->routeUrl('api'),
                'account_password' => $settings->routeUrl('account-password'),
                'dashboard' => $settings->routeUrl('dashboard'),
                'console' => $settings->routeUrl('console'),
            ],
            'eb_asset_version' => self::assetVersion(),
            'eb_services' => $services,
            // Data for the scripts, as JSON the template puts in data-* attributes via |escape.
            'eb_services_json' => json_encode($services, JSON_UNESCAPED_SLASHES),
            'eb_strings_json' => json_encode($ctx->lang, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE),
        ];
    }

    /** Cache-busting query value for our CSS/JS: changes whenever a built asset changes. */
    private static function assetVersion(): string
    {
        $assets = dirname(__DIR__, 2) . '/templates/assets/';
        $mtime = 0;
        foreach (self::VERSIONED_ASSETS as $entry) {
            foreach (is_dir($assets . $entry) ? (glob($assets . $entry . '/*.js') ?: []) : [$assets . $entry] as $file) {
                $mtime = max($mtime, (int) @filemtime($file));
            }
        }
        return (string) $mtime;
    }
}
