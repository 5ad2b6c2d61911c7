<?php

namespace WHMCS\Module\Addon\Eazybackup;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/**
 * The one route table of the client area (`a=` value → page or JSON route) and the access check
 * that runs in front of every route. WHMCS applies `requirelogin` only after _clientarea returned,
 * so nothing here relies on it: a route's handler is only reached by a client allowed to use the
 * console.
 */
final class Router
{
    public const DEFAULT_ROUTE = 'dashboard';
    public const NO_ACCESS_TEMPLATE = 'templates/clientarea/no-access';

    /** a= value → [kind, class]. Pages implement Page\Page, JSON routes Json\JsonRoute. */
    public const ROUTES = [
        'dashboard' => ['page', Page\Dashboard::class],
        'console' => ['page', Page\Console::class],
        'token' => ['json', Json\TokenRoute::class],
        'api' => ['json', Json\ApiProxy::class],
        'account-password' => ['json', Json\AccountPassword::class],
    ];

    /** @return array|never a page for WHMCS to render; JSON routes end the request themselves */
    public static function dispatch(Settings $settings, array $lang, string $route)
    {
        $entry = self::ROUTES[$route] ?? null;
        if ($entry === null) {
            Http::error(404, 'not_found', 'Unknown page.');
        }
        [$kind, $class] = $entry;
        $access = Session::access();
        if ($kind === 'json') {
            self::requireJsonAccess($access);
            (new $class())->handle(new RouteContext($settings, $lang, (int) $access->clientId));
            Http::error(500, 'internal', 'The route sent no answer.');
        }
        if ($access->isAnonymous()) {
            // Nothing minted or read for anonymous visitors; WHMCS shows its login flow.
            return self::page($settings, $lang, ['templatefile' => self::NO_ACCESS_TEMPLATE, 'vars' => [], 'requirelogin' => true]);
        }
        if (!$access->isAllowed()) {
            return self::noAccess($settings, $lang, $access->status === Access::CLIENT_CLOSED ? 'closed' : 'permission');
        }
        $page = (new $class())->render(new RouteContext($settings, $lang, (int) $access->clientId));
        return $page ?? self::noAccess($settings, $lang, 'service');
    }

    /** A polite page instead of the console: no token, no services, no CSRF value. */
    public static function noAccess(Settings $settings, array $lang, string $reason): array
    {
        return self::page($settings, $lang, [
            'templatefile' => self::NO_ACCESS_TEMPLATE,
            'vars' => ['eb_lang' => $lang, 'eb_no_access_reason' => $reason, 'eb_dashboard_url' => $settings->moduleLink],
        ]);
    }

    /** @return never|void */
    private static function requireJsonAccess(Access $access): void
    {
        if ($access->isAnonymous()) {
            Http::error(401, 'not_logged_in', 'Your session has ended. Please log in again.');
        }
        if (!$access->isAllowed()) {
            Http::error(403, 'forbidden', self::refusal($access));
        }
    }

    private static function refusal(Access $access): string
    {
        if ($access->status === Access::CLIENT_CLOSED) {
            return 'This account is closed, so its backup services are not available.';
        }
        return 'You don\'t have access to backup services on this account. Please ask the account owner for the "Products/Services" permission.';
    }

    private static function page(Settings $settings, array $lang, array $page): array
    {
        $title = isset($lang['dashboard_title']) ? (string) $lang['dashboard_title'] : 'Backup Console';
        return $page + [
            'pagetitle' => $title,
            'breadcrumb' => [$settings->moduleLink => $title],
            'requirelogin' => false,
        ];
    }
}
