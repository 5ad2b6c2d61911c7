<?php
/** Client-area navigation entry for the backup console; logout ends the console's live access. */

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

add_hook('ClientAreaPrimaryNavbar', 1, static function ($primaryNavbar): void {
    // A failing hook must never break other pages of the client area.
    try {
        if (class_exists('Menu') && Menu::context('client') === null) {
            return;
        }
        // Sub-users without the products permission and closed accounts get no entry (the page would refuse them).
        $session = \WHMCS\Module\Addon\Eazybackup\Session::class;
        if (class_exists($session) && !$session::access()->isAllowed()) {
            return;
        }
        if ($primaryNavbar === null || $primaryNavbar->getChild('eazybackup-console') !== null) {
            return;
        }
        $primaryNavbar->addChild('eazybackup-console', [
            'label' => 'Backup Console',
            'uri' => 'index.php?m=eazybackup',
            'order' => 15,
            'icon' => 'fa-shield-alt',
        ]);
    } catch (\Throwable $e) {
        if (function_exists('logActivity')) {
            logActivity('eazyBackup Console: navigation hook failed: ' . $e->getMessage());
        }
    }
});

// Logging out ends the console's access at once: tokens minted before now are refused and open
// event streams close at their next check (a stolen or cached token outlives no logout).
add_hook('ClientLogout', 1, static function ($vars): void {
    try {
        \WHMCS\Module\Addon\Eazybackup\Revocations::record((int) ($vars['userid'] ?? 0));
    } catch (\Throwable $e) {
        if (function_exists('logActivity')) {
            logActivity('eazyBackup Console: logout hook failed: ' . $e->getMessage());
        }
    }
});

// A closed or deleted client's streams end too (closure is also checked by the API; a deleted
// client has no row left to check).
foreach (['ClientClose', 'ClientDelete'] as $hook) {
    add_hook($hook, 1, static function ($vars): void {
        try {
            \WHMCS\Module\Addon\Eazybackup\Revocations::record((int) ($vars['userid'] ?? 0));
        } catch (\Throwable $e) {
            if (function_exists('logActivity')) {
                logActivity('eazyBackup Console: client hook failed: ' . $e->getMessage());
            }
        }
    });
}

// WHMCS 8 users: one login may act for several client accounts.
add_hook('UserLogout', 1, static function ($vars): void {
    try {
        $user = $vars['user'] ?? null;
        \WHMCS\Module\Addon\Eazybackup\Revocations::recordForUser(is_object($user) ? (int) $user->id : 0);
    } catch (\Throwable $e) {
        if (function_exists('logActivity')) {
            logActivity('eazyBackup Console: logout hook failed: ' . $e->getMessage());
        }
    }
});
