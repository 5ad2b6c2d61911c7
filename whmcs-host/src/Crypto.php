<?php

namespace WhmcsHost;

/**
 * Stand-in for WHMCS's encrypt()/decrypt(): AES-256-GCM keyed by the host's cc_encryption_hash.
 * Deliberately NOT WHMCS-compatible (that format is undocumented); nothing may depend on it.
 */
final class Crypto
{
    public static function key(): string
    {
        return hash('sha256', (string) (getenv('WHMCS_CC_ENCRYPTION_HASH') ?: 'standin-not-a-secret'), true);
    }

    public static function encrypt(string $plain): string
    {
        $iv = random_bytes(12);
        $tag = '';
        $ct = openssl_encrypt($plain, 'aes-256-gcm', self::key(), OPENSSL_RAW_DATA, $iv, $tag);
        return base64_encode($iv . $tag . $ct);
    }

    public static function decrypt(string $stored): string
    {
        $raw = base64_decode($stored, true);
        if ($raw === false || strlen($raw) < 28) {
            return '';
        }
        $plain = openssl_decrypt(substr($raw, 28), 'aes-256-gcm', self::key(), OPENSSL_RAW_DATA, substr($raw, 0, 12), substr($raw, 12, 16));
        return $plain === false ? '' : $plain;
    }
}
