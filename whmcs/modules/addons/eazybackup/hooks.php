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
