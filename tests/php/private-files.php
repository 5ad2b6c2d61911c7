<?php
/**
 * The demo's secrets and data are this user's only: the stack's .env (API secret, Comet admin
 * passwords) and the stand-in's SQLite database are 0600 even under a permissive umask. Included by
 * run.php ($t, $repo in scope).
 */

$mode = static function (string $path): int {
    clearstatcache();
    return fileperms($path) & 0777;
};

$stackDir = $t->freshSqliteEnv()['TMP'] . '/stack';
$r = $t->run(['bash', '-c', 'umask 022; exec "$0" write-env', $repo . '/scripts/stack.sh'], ['STACK_DIR' => $stackDir]);
$env = is_file($stackDir . '/.env') ? (string) file_get_contents($stackDir . '/.env') : '';
$t->check('stack.sh writes the .env with the API secret', $r['code'] === 0 && strpos($env, 'EB_API_SECRET="') !== false, $r['err']);
$t->check('stack.sh .env is 0600 under umask 022', $env !== '' && $mode($stackDir . '/.env') === 0600, sprintf('%o', $env !== '' ? $mode($stackDir . '/.env') : 0));
$t->check('stack.sh STACK_DIR is 0700', is_dir($stackDir) && $mode($stackDir) === 0700, sprintf('%o', is_dir($stackDir) ? $mode($stackDir) : 0));
chmod($stackDir . '/.env', 0644);
$t->run(['bash', '-c', 'umask 022; exec "$0" write-env', $repo . '/scripts/stack.sh'], ['STACK_DIR' => $stackDir]);
$t->check('stack.sh tightens an older world-readable .env', $mode($stackDir . '/.env') === 0600);

$fresh = $t->freshSqliteEnv();
$dbFile = $fresh['TMP'] . '/data/whmcs.sqlite';
$fresh['WHMCS_DB_DSN'] = 'sqlite:' . $dbFile;
$r = $t->run(['bash', '-c', 'umask 022; exec "$0" "$1"', PHP_BINARY, $repo . '/whmcs-host/bin/install.php'], $fresh);
$t->check('install.php creates the stand-in database 0600 under umask 022', $r['code'] === 0 && is_file($dbFile) && $mode($dbFile) === 0600, $r['err'] . (is_file($dbFile) ? sprintf(' mode %o', $mode($dbFile)) : ' (no file)'));
