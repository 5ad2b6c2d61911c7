<?php

namespace WHMCS\Module\Addon\Eazybackup;

use WHMCS\Database\Capsule;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/**
 * A client's Comet accounts, scoped exactly as docs/architecture.md "Scoping" says (the Rust API
 * applies the same rule; this copy only labels the dashboard).
 */
final class Services
{
    public const MODULES = ['comet', 'cometbackup'];
    public const VISIBLE_STATUSES = ['Active', 'Suspended'];

    /**
     * @return list<array{service_id: int, profile: string, username: string, status: string, product: string}>
     */
    public static function forClient(int $clientId): array
    {
        $rows = Capsule::table('tblhosting as h')
            ->join('tblproducts as p', 'p.id', '=', 'h.packageid')
            ->join('tblservergroupsrel as r', 'r.serverid', '=', 'h.server')
            ->join('tblservergroups as g', 'g.id', '=', 'r.groupid')
            ->where('h.userid', $clientId)
            ->whereIn('h.domainstatus', self::VISIBLE_STATUSES)
            ->whereIn('p.servertype', self::MODULES)
            ->orderBy('h.id')
            ->get(['h.id as service_id', 'g.name as profile', 'h.username as username',
                'h.domainstatus as status', 'p.name as product']);

        $services = [];
        foreach ($rows as $row) {
            $services[] = [
                'service_id' => (int) $row->service_id,
                'profile' => (string) $row->profile,
                'username' => strtolower(trim((string) $row->username)),
                'status' => (string) $row->status,
                'product' => (string) $row->product,
            ];
        }
        return $services;
    }
}
