<?php
/** Client-area navigation entry for the backup console. */

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
