<?php

namespace WHMCS\Module\Addon\Eazybackup;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/**
 * Who is logged in. WHMCS applies `requirelogin` only after _clientarea has returned, so every
 * route asks this itself before doing anything.
 */
final class Session
{
    /** The selected client account id, or null for an anonymous visitor. */
    public static function clientId(): ?int
    {
        if (class_exists('\\WHMCS\\Authentication\\CurrentUser')) {
            $client = (new \WHMCS\Authentication\CurrentUser())->client();
            if ($client !== null) {
                $id = (int) $client->id;
                return $id > 0 ? $id : null;
            }
            return null;
        }
        // Pre-8.0 hosts only know the session key.
        $uid = isset($_SESSION['uid']) ? (int) $_SESSION['uid'] : 0;
        return $uid > 0 ? $uid : null;
    }
}
