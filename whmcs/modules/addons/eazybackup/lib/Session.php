<?php

namespace WHMCS\Module\Addon\Eazybackup;

use WHMCS\Database\Capsule;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/**
 * Who is logged in and whether they may use the console. WHMCS applies `requirelogin` only after
 * _clientarea has returned and enforces no sub-user permissions on addon pages, so every route
 * asks access() itself before doing anything.
 */
final class Session
{
    /** The one access check every route uses. */
    public static function access(): Access
    {
        if (!class_exists('\\WHMCS\\Authentication\\CurrentUser')) {
            return self::accessBeforeUsers();
        }
        $current = new \WHMCS\Authentication\CurrentUser();
        $client = $current->client();
        $clientId = $client !== null ? (int) $client->id : 0;
        if ($clientId <= 0) {
            return Access::anonymous();
        }
        $masquerading = $current->isMasqueradingAdmin();
        $user = $current->user();
        $link = $user !== null ? self::userClientLink((int) $user->id, $clientId) : null;
        return Access::decide($clientId, (string) $client->status, $masquerading, $link);
    }

    /**
     * The WHMCS user (tblusers.id) logged in, 0 when there is none (pre-8.0 hosts, an admin
     * viewing as the client): the token carries it so the API's audit names who acted.
     */
    public static function userId(): int
    {
        if (!class_exists('\\WHMCS\\Authentication\\CurrentUser')) {
            return 0;
        }
        $user = (new \WHMCS\Authentication\CurrentUser())->user();
        return $user !== null ? max(0, (int) $user->id) : 0;
    }

        /** @return array{owner: int, permissions: string}|null */
    private static function userClientLink(int $userId, int $clientId): ?array
    {
        $row = Capsule::table('tblusers_clients')
            ->where('auth_user_id', $userId)
            ->where('client_id', $clientId)
            ->first(['owner', 'permissions']);
        return $row === null ? null : ['owner' => (int) $row->owner, 'permissions' => (string) $row->permissions];
    }

    /**
     * Pre-8.0 hosts know only the session keys: `uid` is the client, and `cid` a contact logged in
     * as a sub-account, whose permissions we do not read — refused rather than trusted.
     */
    private static function accessBeforeUsers(): Access
    {
        $uid = isset($_SESSION['uid']) ? (int) $_SESSION['uid'] : 0;
        if ($uid <= 0) {
            return Access::anonymous();
        }
        $status = Capsule::table('tblclients')->where('id', $uid)->value('status');
        if ($status === null) {
            return Access::anonymous();
        }
        $link = empty($_SESSION['cid']) ? ['owner' => 1, 'permissions' => ''] : null;
        return Access::decide($uid, (string) $status, isset($_SESSION['adminid']), $link);
    }
}
