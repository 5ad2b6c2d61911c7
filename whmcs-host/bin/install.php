<?php
/**
 * Stand-in installer (CLI): creates the WHMCS subset tables, seeds them from demo/fleet.json,
 * writes tblconfiguration and activates the eazybackup addon. Idempotent: a second run changes nothing.
 *
 *   WHMCS_DB_DSN=sqlite:/tmp/whmcs.sqlite EB_API_URL=http://127.0.0.1:8090 EB_API_SECRET=... php whmcs-host/bin/install.php
 *
 * Options: --fleet=<path to fleet.json> (default demo/fleet.json of this repository).
 */

if (PHP_SAPI !== 'cli') {
    exit(1);
}

require_once dirname(__DIR__) . '/src/bootstrap.php';

use WHMCS\Database\Capsule;
use WhmcsHost\Addons;
use WhmcsHost\Crypto;
use WhmcsHost\Database;

const ADDON = 'eazybackup';

/** @return array<string, int> counts of rows inserted/updated per table */
function install(array $fleet): array
{
    $changes = [];
    createSubsetTables($changes);
    seedFleet($fleet, $changes);
    seedUsers($fleet, $changes);
    seedConfiguration($changes);
    activateAddon($changes);
    return $changes;
}

function note(array &$changes, string $table, bool $changed): void
{
    $changes[$table] = ($changes[$table] ?? 0) + ($changed ? 1 : 0);
}

function createSubsetTables(array &$changes): void
{
    $sql = (string) file_get_contents(dirname(__DIR__) . '/schema/whmcs-subset.sql');
    $pdo = Capsule::connection()->getPdo();
    foreach (\WHMCS\Module\Addon\Eazybackup\Schema::split($sql) as $statement) {
        // MySQL (unlike MariaDB and SQLite) has no CREATE INDEX IF NOT EXISTS; an existing index is fine.
        try {
            $pdo->exec($statement);
        } catch (PDOException $e) {
            if (stripos($statement, 'CREATE INDEX') !== 0 || stripos($e->getMessage(), 'Duplicate key name') === false) {
                throw $e;
            }
        }
    }
}

/** Insert the row, or update only the columns that differ; $keep lists columns never rewritten once set. */
function upsert(array &$changes, string $table, array $row, array $keep = []): void
{
    $existing = Capsule::table($table)->where('id', $row['id'])->first();
    if ($existing === null) {
        Capsule::table($table)->insert($row);
        note($changes, $table, true);
        return;
    }
    $diff = [];
    foreach ($row as $column => $value) {
        if (in_array($column, $keep, true)) {
            continue;
        }
        $stored = $existing->{$column};
        // SQLite stores DECIMAL '0.00' as 0: compare numbers as numbers.
        $same = is_numeric($stored) && is_numeric($value) ? (float) $stored === (float) $value : (string) $stored === (string) $value;
        if (!$same) {
            $diff[$column] = $value;
        }
    }
    if ($diff !== []) {
        Capsule::table($table)->where('id', $row['id'])->update($diff);
    }
    note($changes, $table, $diff !== []);
}

/** Keep a stored secret when it still matches (hashes and ciphertexts differ on every run). */
function keepOrReplaceSecret(string $table, int $id, string $column, callable $matches, callable $make): string
{
    $existing = Capsule::table($table)->where('id', $id)->value($column);
    if (is_string($existing) && $existing !== '' && $matches($existing)) {
        return $existing;
    }
    return $make();
}

/**
 * Simulator ports by profile from EB_SIM_PORTS (`eazybackup=18060,obc=18061`): the browser tests
 * run their own simulators beside the demo's, and WHMCS must point at those.
 */
function simPortOverrides(): array
{
    $ports = [];
    foreach (array_filter(explode(',', (string) getenv('EB_SIM_PORTS'))) as $pair) {
        [$profile, $port] = array_pad(explode('=', $pair, 2), 2, '');
        if (ctype_digit($port)) {
            $ports[trim($profile)] = (int) $port;
        }
    }
    return $ports;
}

function seedFleet(array $fleet, array &$changes): void
{
    $productIds = [];
    $portOverrides = simPortOverrides();
    foreach ($fleet['profiles'] as $profile => $p) {
        [$host, $port] = explode(':', (string) $p['listen'], 2);
        $port = $portOverrides[$profile] ?? $port;
        $serverId = (int) $p['server_id'];
        $groupId = (int) $p['group_id'];
        upsert($changes, 'tblservergroups', ['id' => $groupId, 'name' => $profile, 'filltype' => 1]);
        $password = keepOrReplaceSecret('tblservers', $serverId, 'password',
            static function (string $stored) use ($p): bool { return Crypto::decrypt($stored) === (string) $p['admin_password']; },
            static function () use ($p): string { return encrypt((string) $p['admin_password']); });
        upsert($changes, 'tblservers', [
            'id' => $serverId, 'name' => $profile, 'ipaddress' => $host, 'hostname' => $host, 'type' => 'comet',
            'username' => (string) $p['admin_username'], 'password' => $password, 'accesshash' => '', 'secure' => '',
            'port' => (int) $port, 'active' => 1, 'disabled' => 0,
        ]);
        upsert($changes, 'tblservergroupsrel', ['id' => $serverId, 'groupid' => $groupId, 'serverid' => $serverId]);
        // One Comet product per profile, same id as its server group.
        $productIds[$profile] = $groupId;
        upsert($changes, 'tblproducts', [
            'id' => $groupId, 'type' => 'other', 'gid' => 1, 'name' => $profile === 'eazybackup' ? 'eazyBackup Cloud' : 'Offsite Backup (' . $profile . ')',
            'description' => 'Comet Backup account', 'hidden' => 0, 'paytype' => 'recurring', 'servertype' => 'comet',
            'servergroup' => $groupId, 'retired' => 0,
        ]);
    }
    foreach ($fleet['clients'] as $c) {
        $id = (int) $c['id'];
        $hash = keepOrReplaceSecret('tblclients', $id, 'password',
            static function (string $stored) use ($c): bool { return password_verify((string) $c['password'], $stored); },
            static function () use ($c): string { return password_hash((string) $c['password'], PASSWORD_DEFAULT); });
        upsert($changes, 'tblclients', [
            'id' => $id, 'uuid' => sprintf('00000000-0000-4000-8000-%012d', $id), 'firstname' => $c['firstname'],
            'lastname' => $c['lastname'], 'companyname' => $c['companyname'], 'email' => $c['email'], 'password' => $hash,
            'currency' => 1, 'language' => 'english', 'datecreated' => '2026-01-01', 'groupid' => 0, 'status' => 'Active',
        ]);
        foreach ($c['services'] as $s) {
            $profile = (string) $s['profile'];
            upsert($changes, 'tblhosting', [
                'id' => (int) $s['id'], 'userid' => $id, 'orderid' => (int) $s['id'], 'packageid' => $productIds[$profile],
                'server' => (int) $fleet['profiles'][$profile]['server_id'], 'regdate' => '2026-01-01',
                'domain' => '', 'paymentmethod' => 'banktransfer', 'firstpaymentamount' => '0.00', 'amount' => '0.00',
                'billingcycle' => 'Monthly', 'nextduedate' => '2026-12-01', 'domainstatus' => (string) $s['status'],
                'username' => (string) $s['username'], 'password' => '', 'notes' => '', 'dedicatedip' => '',
            ]);
        }
    }
}

/**
 * WHMCS 8 logins: every fleet client gets an owner user (same id, email and password as the
 * client), then the fleet's extra `users` are linked to clients with their own permissions.
 */
function seedUsers(array $fleet, array &$changes): void
{
    $users = [];
    foreach ($fleet['clients'] as $c) {
        $users[] = [
            'id' => (int) $c['id'], 'firstname' => $c['firstname'], 'lastname' => $c['lastname'], 'email' => $c['email'],
            'password' => $c['password'], 'clients' => [['id' => (int) $c['id'], 'client_id' => (int) $c['id'], 'owner' => true, 'permissions' => '']],
        ];
    }
    $ownerIds = array_column($users, 'id');
    foreach ($fleet['users'] ?? [] as $u) {
        if (in_array((int) $u['id'], $ownerIds, true)) {
            throw new RuntimeException('fleet user id ' . $u['id'] . ' collides with a client\'s owner user (owners take their client\'s id)');
        }
        foreach ($u['clients'] as $link) {
            if (in_array((int) $link['id'], $ownerIds, true)) {
                throw new RuntimeException('fleet link id ' . $link['id'] . ' collides with an owner link (owner links take their client\'s id)');
            }
        }
        $users[] = $u;
    }
    foreach ($users as $u) {
        $id = (int) $u['id'];
        $hash = keepOrReplaceSecret('tblusers', $id, 'password',
            static function (string $stored) use ($u): bool { return password_verify((string) $u['password'], $stored); },
            static function () use ($u): string { return password_hash((string) $u['password'], PASSWORD_DEFAULT); });
        upsert($changes, 'tblusers', [
            'id' => $id, 'first_name' => (string) $u['firstname'], 'last_name' => (string) $u['lastname'],
            'email' => (string) $u['email'], 'password' => $hash, 'language' => '',
        ]);
        foreach ($u['clients'] as $link) {
            upsert($changes, 'tblusers_clients', [
                'id' => (int) $link['id'], 'auth_user_id' => $id, 'client_id' => (int) $link['client_id'], 'invite_id' => 0,
                'owner' => empty($link['owner']) ? 0 : 1, 'permissions' => (string) ($link['permissions'] ?? ''),
            ]);
        }
    }
}

function saveConfig(array &$changes, string $setting, string $value): void
{
    $existing = Capsule::table('tblconfiguration')->where('setting', $setting)->first();
    if ($existing === null) {
        Database::insertWithNextId('tblconfiguration', ['setting' => $setting, 'value' => $value]);
        note($changes, 'tblconfiguration', true);
    } elseif ((string) $existing->value !== $value) {
        Capsule::table('tblconfiguration')->where('id', $existing->id)->update(['value' => $value]);
        note($changes, 'tblconfiguration', true);
    }
}

function seedConfiguration(array &$changes): void
{
    $settings = [
        'CompanyName' => 'eazyBackup',
        'SystemURL' => rtrim(getenv('WHMCS_SYSTEM_URL') ?: 'http://127.0.0.1:8080', '/') . '/',
        'Template' => 'standin',
        'Version' => '8.13.1-release.1',
        'ActiveAddonModules' => ADDON,
        'AddonModulesHooks' => ADDON,
        'token_namespaces' => 'WHMCS.default',
    ];
    foreach ($settings as $setting => $value) {
        saveConfig($changes, $setting, $value);
    }
}

function activateAddon(array &$changes): void
{
    Addons::load(ADDON);
    $result = eazybackup_activate();
    if (($result['status'] ?? '') !== 'success') {
        throw new RuntimeException((string) ($result['description'] ?? 'addon activation failed'));
    }
    $config = eazybackup_config();
    $values = [
        'version' => (string) $config['version'],
        'access' => '1',
        'deployment_mode' => getenv('EB_DEPLOYMENT_MODE') === 'direct' ? 'direct' : 'proxied',
        'api_url' => (string) getenv('EB_API_URL'),
        'api_internal_url' => (string) getenv('EB_API_INTERNAL_URL'),
        'api_secret' => (string) getenv('EB_API_SECRET'),
    ];
    foreach ($values as $setting => $value) {
        $before = Addons::settings(ADDON)[$setting] ?? null;
        Addons::saveSetting(ADDON, $setting, $value);
        note($changes, 'tbladdonmodules', $before !== $value);
    }
}

$fleetPath = dirname(__DIR__, 2) . '/demo/fleet.json';
foreach (array_slice($argv, 1) as $arg) {
    if (strncmp($arg, '--fleet=', 8) === 0) {
        $fleetPath = substr($arg, 8);
    }
}

try {
    $fleet = json_decode((string) file_get_contents($fleetPath), true, 32, JSON_THROW_ON_ERROR);
    Database::connectFromEnv();
    // No wrapping transaction: MySQL commits implicitly at every CREATE TABLE anyway.
    $changes = install($fleet);
    $total = array_sum($changes);
    echo 'whmcs-host installed: ' . $total . ' row(s) changed';
    foreach ($changes as $table => $n) {
        if ($n > 0) {
            echo ' ' . $table . '=' . $n;
        }
    }
    echo PHP_EOL;
} catch (Throwable $e) {
    fwrite(STDERR, 'install failed: ' . $e->getMessage() . PHP_EOL);
    exit(1);
}
