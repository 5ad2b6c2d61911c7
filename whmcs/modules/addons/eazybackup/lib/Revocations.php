<?php

namespace WHMCS\Module\Addon\Eazybackup;

use WHMCS\Database\Capsule;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/**
 * eb_stream_revocations: the time a client's browser tokens stop being good. The API refuses a token
 * minted at or before it on every route and ends the client's open event streams at their next
 * access check (docs/architecture.md, "The outbox `eb_events` and the SSE stream").
 */
final class Revocations
{
    public const TABLE = 'eb_stream_revocations';

    public static function record(int $clientId, ?int $at = null): void
    {
        if ($clientId <= 0) {
            return;
        }
        Capsule::table(self::TABLE)->updateOrInsert(['client_id' => $clientId], ['revoked_at' => $at ?? time()]);
    }

    /** Every client account a WHMCS 8 user can act for (the user logged out of all of them). */
    public static function recordForUser(int $userId, ?int $at = null): void
    {
        if ($userId <= 0) {
            return;
        }
        $clients = Capsule::table('tblusers_clients')->where('auth_user_id', $userId)->pluck('client_id');
        foreach ($clients as $clientId) {
            self::record((int) $clientId, $at);
        }
    }
}
