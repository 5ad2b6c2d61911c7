<?php

namespace WHMCS\Authentication;

use WHMCS\Database\Capsule;
use WHMCS\User\Client;
use WHMCS\User\User;

/**
 * The documented WHMCS 8 accessor for who is logged in. Session keys: `uid` = the selected client
 * account (as WHMCS), `user_id` = the logged-in user (tblusers.id; WHMCS's own key for it is
 * internal, so this one is the stand-in's), `adminid` = an admin (present beside `uid` when the
 * admin uses "Login as Owner").
 */
class CurrentUser
{
    public function client(): ?Client
    {
        $uid = self::sessionInt('uid');
        if ($uid <= 0) {
            return null;
        }
        $row = Capsule::table('tblclients')->where('id', $uid)->first();
        return $row === null ? null : new Client((array) $row);
    }

    public function user(): ?User
    {
        $userId = self::sessionInt('user_id');
        if ($userId <= 0) {
            return null;
        }
        $row = Capsule::table('tblusers')->where('id', $userId)->first();
        return $row === null ? null : new User((array) $row);
    }

    /** Admins are not modelled beyond their id. */
    public function admin(): ?\stdClass
    {
        $adminId = self::sessionInt('adminid');
        return $adminId > 0 ? (object) ['id' => $adminId] : null;
    }

    public function isAuthenticatedUser(): bool
    {
        return $this->user() !== null;
    }

    public function isAuthenticatedAdmin(): bool
    {
        return self::sessionInt('adminid') > 0;
    }

    /** An admin browsing the client area as a client ("Login as Owner"). */
    public function isMasqueradingAdmin(): bool
    {
        return $this->isAuthenticatedAdmin() && $this->client() !== null;
    }

    private static function sessionInt(string $key): int
    {
        return isset($_SESSION[$key]) ? (int) $_SESSION[$key] : 0;
    }
}
