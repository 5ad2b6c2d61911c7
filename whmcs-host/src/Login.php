<?php

namespace WhmcsHost;

use WHMCS\Database\Capsule;

/** WHMCS 8 login: a user (tblusers) signs in and one of the client accounts they belong to is selected. */
final class Login
{
    /** The user's id when email and password match, else null. */
    public static function verify(string $email, string $password): ?int
    {
        $row = Capsule::table('tblusers')->where('email', $email)->first();
        if ($row === null || !password_verify($password, (string) $row->password)) {
            return null;
        }
        return (int) $row->id;
    }

    /**
     * The client account to select: $wanted when the user belongs to it, else the user's first
     * account (lowest link id). Closed accounts are never selected (WHMCS refuses them at login).
     */
    public static function clientFor(int $userId, ?int $wanted): ?int
    {
        $query = Capsule::table('tblusers_clients')
            ->join('tblclients', 'tblclients.id', '=', 'tblusers_clients.client_id')
            ->where('tblusers_clients.auth_user_id', $userId)
            ->where('tblclients.status', '!=', 'Closed')
            ->orderBy('tblusers_clients.id');
        if ($wanted !== null) {
            $query->where('tblusers_clients.client_id', $wanted);
        }
        $clientId = $query->value('tblusers_clients.client_id');
        return $clientId === null ? null : (int) $clientId;
    }

    /** The owner user of a client account (for test logins and admin masquerade). */
    public static function ownerOf(int $clientId): ?int
    {
        $userId = Capsule::table('tblusers_clients')->where('client_id', $clientId)->where('owner', 1)->orderBy('id')->value('auth_user_id');
        return $userId === null ? null : (int) $userId;
    }

    /** A fresh session: `uid` is the selected client account as in WHMCS, `user_id` the user. */
    public static function start(int $userId, int $clientId, ?int $adminId = null): void
    {
        if (session_status() === PHP_SESSION_ACTIVE) {
            session_regenerate_id(true);
        }
        $_SESSION = [];
        $_SESSION['uid'] = $clientId;
        $_SESSION['user_id'] = $userId;
        if ($adminId !== null) {
            $_SESSION['adminid'] = $adminId;
        }
    }
}
