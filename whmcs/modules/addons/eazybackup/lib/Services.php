<?php

namespace WHMCS\Module\Addon\Eazybackup;

use WHMCS\Database\Capsule;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/**
 * A client's Comet accounts. Which service owns which account is decided by one statement,
 * sql/account-owners.sql, which the Rust service compiles in too (docs/architecture.md "Scoping").
 */
final class Services
{
    public const OWNERS_SQL = __DIR__ . '/../sql/account-owners.sql';

    /**
     * @return list<array{service_id: int, profile: string, username: string, status: string, product: string}>
     */
    public static function forClient(int $clientId): array
    {
        $owners = (string) file_get_contents(self::OWNERS_SQL);
        $rows = Capsule::connection()->select(
            "SELECT o.service_id, o.profile, o.username, o.status, p.name AS product\n"
            . "FROM (\n" . $owners . "\n) o\n"
            . "JOIN tblhosting h ON h.id = o.service_id JOIN tblproducts p ON p.id = h.packageid\n"
            . 'WHERE o.client_id = ? ORDER BY o.service_id',
            [$clientId]
        );

        $services = [];
        foreach ($rows as $row) {
            $services[] = [
                'service_id' => (int) $row->service_id,
                'profile' => (string) $row->profile,
                'username' => (string) $row->username,
                'status' => (string) $row->status,
                'product' => (string) $row->product,
            ];
        }
        return $services;
    }
}
