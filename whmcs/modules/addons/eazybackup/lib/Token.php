<?php

namespace WHMCS\Module\Addon\Eazybackup;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/**
 * The browser token the Rust API accepts (docs/architecture.md, "Identity: the browser token"):
 * v1.<client_id>.<expires_unix>.<nonce>.<mac>, mac = base64url-no-pad(HMAC-SHA256(secret, everything before it)).
 */
final class Token
{
    public const VERSION = 'v1';
    public const LIFETIME_SECONDS = 900;

    /**
     * @return array{token: string, expires_at: int}
     */
    public static function mint(int $clientId, string $secret, ?int $now = null, ?string $nonce = null): array
    {
        if ($clientId <= 0) {
            throw new \InvalidArgumentException('client id must be positive');
        }
        if ($secret === '') {
            throw new \InvalidArgumentException('api_secret is not configured');
        }
        $expiresAt = ($now ?? time()) + self::LIFETIME_SECONDS;
        $nonce = $nonce ?? bin2hex(random_bytes(8));
        if (!preg_match('/^[0-9a-f]{16}$/', $nonce)) {
            throw new \InvalidArgumentException('nonce must be 16 lower-case hex characters');
        }
        $payload = self::VERSION . '.' . $clientId . '.' . $expiresAt . '.' . $nonce;

        return ['token' => $payload . '.' . self::mac($payload, $secret), 'expires_at' => $expiresAt];
    }

    public static function mac(string $payload, string $secret): string
    {
        return rtrim(strtr(base64_encode(hash_hmac('sha256', $payload, $secret, true)), '+/', '-_'), '=');
    }
}
