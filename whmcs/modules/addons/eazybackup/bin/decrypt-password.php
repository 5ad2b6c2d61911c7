<?php
/**
 * Decrypts a WHMCS-encrypted password (tblservers.password) for the eazybackup Rust service, which
 * cannot: the format is WHMCS's own. Reads the ciphertext on stdin, prints the plaintext on stdout.
 *
 *   php decrypt-password.php /path/to/whmcs-root < ciphertext
 *
 * Command line only. Exit codes: 0 ok, 1 WHMCS refused, 2 usage.
 */

if (PHP_SAPI !== 'cli') {
    http_response_code(404);
    exit;
}

$root = rtrim((string) ($argv[1] ?? ''), '/');
if ($root === '' || !is_file($root . '/init.php')) {
    fwrite(STDERR, "usage: php decrypt-password.php <whmcs-root> (no init.php in '" . $root . "')\n");
    exit(2);
}

require $root . '/init.php';

$ciphertext = trim((string) stream_get_contents(STDIN));
$result = localAPI('DecryptPassword', ['password2' => $ciphertext]);
if (($result['result'] ?? '') !== 'success' || !isset($result['password'])) {
    fwrite(STDERR, 'DecryptPassword failed: ' . ($result['message'] ?? 'no reason given') . "\n");
    exit(1);
}
echo $result['password'];
