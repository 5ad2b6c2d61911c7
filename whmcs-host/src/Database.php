<?php

namespace WhmcsHost;

use WHMCS\Database\Capsule;

/** Connects WHMCS\Database\Capsule from WHMCS_DB_DSN (`sqlite:/file` or `mysql:host=..;dbname=..`). */
final class Database
{
    public static function defaultDsn(): string
    {
        return 'sqlite:' . dirname(__DIR__) . '/var/whmcs.sqlite';
    }

    /** @return array connection config for Capsule::addConnection */
    public static function parseDsn(string $dsn, string $user, string $pass): array
    {
        if (strncmp($dsn, 'sqlite:', 7) === 0) {
            $path = substr($dsn, 7);
            if (strncmp($path, '//', 2) === 0) {
                $path = substr($path, 2);
            }
            return ['driver' => 'sqlite', 'database' => $path, 'prefix' => '', 'foreign_key_constraints' => false];
        }
        if (strncmp($dsn, 'mysql:', 6) === 0) {
            $parts = [];
            foreach (explode(';', substr($dsn, 6)) as $pair) {
                if (strpos($pair, '=') !== false) {
                    [$k, $v] = explode('=', $pair, 2);
                    $parts[trim($k)] = trim($v);
                }
            }
            if (empty($parts['dbname'])) {
                throw new \InvalidArgumentException('WHMCS_DB_DSN needs dbname=');
            }
            return [
                'driver' => 'mysql',
                'host' => $parts['host'] ?? '127.0.0.1',
                'port' => $parts['port'] ?? '3306',
                'database' => $parts['dbname'],
                'username' => $user,
                'password' => $pass,
                'charset' => $parts['charset'] ?? 'utf8',
                'collation' => 'utf8_unicode_ci',
                'prefix' => '',
                // WHMCS installs run with lenient SQL modes.
                'strict' => false,
            ];
        }
        throw new \InvalidArgumentException('WHMCS_DB_DSN must start with sqlite: or mysql:');
    }

    public static function connectFromEnv(): Capsule
    {
        $dsn = getenv('WHMCS_DB_DSN') ?: self::defaultDsn();
        $config = self::parseDsn($dsn, (string) getenv('WHMCS_DB_USER'), (string) getenv('WHMCS_DB_PASS'));
        if ($config['driver'] === 'sqlite' && $config['database'] !== ':memory:' && !is_file($config['database'])) {
            // Laravel refuses a missing SQLite file; a fresh stand-in starts from an empty one.
            // The WHMCS data (client logins, encrypted server passwords) is for this user only.
            @mkdir(dirname($config['database']), 0700, true);
            touch($config['database']);
            chmod($config['database'], 0600);
        }
        $capsule = new Capsule();
        $capsule->addConnection($config);
        $capsule->setAsGlobal();
        if ($config['driver'] === 'sqlite') {
            // Several php -S workers share the file; wait for the writer instead of failing.
            Capsule::connection()->getPdo()->exec('PRAGMA busy_timeout = 5000');
        }
        return $capsule;
    }

    /** Insert with an explicit id (the portable subset schema has no AUTO_INCREMENT). */
    public static function insertWithNextId(string $table, array $row): int
    {
        $id = (int) Capsule::table($table)->max('id') + 1;
        Capsule::table($table)->insert(['id' => $id] + $row);
        return $id;
    }

    /** @return array<string, string> tblconfiguration as WHMCS's $CONFIG */
    public static function loadConfig(): array
    {
        $config = [];
        // A database not installed yet (bin/install.php creates the tables) has no settings;
        // command-line helpers such as the addon's decrypt-password.php still work on it.
        if (!Capsule::schema()->hasTable('tblconfiguration')) {
            return $config;
        }
        foreach (Capsule::table('tblconfiguration')->get(['setting', 'value']) as $row) {
            $config[(string) $row->setting] = (string) $row->value;
        }
        return $config;
    }
}
