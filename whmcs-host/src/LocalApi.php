<?php

namespace WhmcsHost;

use WHMCS\Database\Capsule;

/** localAPI() commands the addon may call; response shapes follow the public API reference. */
final class LocalApi
{
    public static function call(string $command, array $params): array
    {
        switch ($command) {
            case 'DecryptPassword':
                return ['result' => 'success', 'password' => Crypto::decrypt((string) ($params['password2'] ?? ''))];
            case 'EncryptPassword':
                return ['result' => 'success', 'password' => Crypto::encrypt((string) ($params['password2'] ?? ''))];
            case 'GetClientsDetails':
                return self::clientsDetails($params);
            case 'GetClientsProducts':
                return self::clientsProducts($params);
            case 'LogActivity':
                logActivity((string) ($params['description'] ?? ''), (int) ($params['clientid'] ?? 0));
                return ['result' => 'success'];
            case 'UpdateClientProduct':
                return self::updateClientProduct($params);
        }
        return ['result' => 'error', 'message' => 'Command Not Found'];
    }

    private static function clientsDetails(array $params): array
    {
        $query = Capsule::table('tblclients');
        if (!empty($params['clientid'])) {
            $query->where('id', (int) $params['clientid']);
        } elseif (!empty($params['email'])) {
            $query->where('email', (string) $params['email']);
        } else {
            return ['result' => 'error', 'message' => 'Either clientid Or email Is Required'];
        }
        $row = $query->first();
        if ($row === null) {
            return ['result' => 'error', 'message' => 'Client Not Found'];
        }
        $client = (array) $row;
        unset($client['password']);
        $client['id'] = (int) $client['id'];
        $client['client_id'] = $client['id'];
        $client['userid'] = $client['id'];
        $client['fullname'] = trim($client['firstname'] . ' ' . $client['lastname']);
        return ['result' => 'success', 'client' => $client] + $client;
    }

    private static function clientsProducts(array $params): array
    {
        $query = Capsule::table('tblhosting as h')
            ->leftJoin('tblproducts as p', 'p.id', '=', 'h.packageid')
            ->leftJoin('tblservers as s', 's.id', '=', 'h.server')
            ->select(['h.*', 'p.name as productname', 's.name as servername', 's.hostname as serverhostname', 's.ipaddress as serverip']);
        foreach (['clientid' => 'h.userid', 'serviceid' => 'h.id', 'pid' => 'h.packageid'] as $param => $column) {
            if (!empty($params[$param])) {
                $query->where($column, (int) $params[$param]);
            }
        }
        if (!empty($params['username2'])) {
            $query->where('h.username', (string) $params['username2']);
        }
        $total = (clone $query)->count();
        $start = (int) ($params['limitstart'] ?? 0);
        $rows = $query->orderBy('h.id')->offset($start)->limit((int) ($params['limitnum'] ?? 25))->get();
        $products = [];
        foreach ($rows as $r) {
            // The documented example returns numbers as strings.
            $products[] = [
                'id' => (string) $r->id, 'clientid' => (string) $r->userid, 'orderid' => (string) $r->orderid,
                'pid' => (string) $r->packageid, 'regdate' => (string) $r->regdate, 'name' => (string) $r->productname,
                'domain' => (string) $r->domain, 'serverid' => (string) $r->server, 'servername' => (string) $r->servername,
                'serverip' => (string) $r->serverip, 'serverhostname' => (string) $r->serverhostname,
                'status' => (string) $r->domainstatus, 'username' => (string) $r->username,
                'password' => Crypto::decrypt((string) $r->password),
            ];
        }
        return [
            'result' => 'success', 'clientid' => (string) ($params['clientid'] ?? ''), 'totalresults' => $total,
            'startnumber' => $start, 'numreturned' => count($products), 'products' => ['product' => $products],
        ];
    }

    private static function updateClientProduct(array $params): array
    {
        $id = (int) ($params['serviceid'] ?? 0);
        if ($id <= 0 || !Capsule::table('tblhosting')->where('id', $id)->exists()) {
            return ['result' => 'error', 'message' => 'Service ID Not Found'];
        }
        $changes = [];
        if (array_key_exists('serviceusername', $params)) {
            $changes['username'] = (string) $params['serviceusername'];
        }
        if (array_key_exists('servicepassword', $params)) {
            $changes['password'] = Crypto::encrypt((string) $params['servicepassword']);
        }
        if (array_key_exists('status', $params)) {
            $changes['domainstatus'] = (string) $params['status'];
        }
        if ($changes !== []) {
            Capsule::table('tblhosting')->where('id', $id)->update($changes);
        }
        return ['result' => 'success', 'serviceid' => $id];
    }
}
