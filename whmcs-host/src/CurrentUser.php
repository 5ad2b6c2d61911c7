<?php

namespace WHMCS\Authentication;

use WHMCS\Database\Capsule;
use WHMCS\User\Client;

/** The documented WHMCS 8 accessor for who is logged in (users are not modelled: one user per client). */
class CurrentUser
{
    public function client(): ?Client
    {
        $uid = isset($_SESSION['uid']) ? (int) $_SESSION['uid'] : 0;
        if ($uid <= 0) {
            return null;
        }
        $row = Capsule::table('tblclients')->where('id', $uid)->first();
        return $row === null ? null : new Client((array) $row);
    }

    public function user(): ?Client
    {
        return $this->client();
    }

    public function admin()
    {
        return null;
    }

    public function isAuthenticatedUser(): bool
    {
        return $this->client() !== null;
    }

    public function isAuthenticatedAdmin(): bool
    {
        return false;
    }

    public function isMasqueradingAdmin(): bool
    {
        return false;
    }
}
