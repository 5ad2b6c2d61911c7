<?php

namespace WHMCS\Module\Addon\Eazybackup;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/**
 * The browser token the Rust API accepts (docs/architecture.md, "Identity: the browser token"):
 * v2.<client_id>.<user_id>.<issued_unix>.<expires_unix>.<nonce>.<mac>,
 * mac = base64url-no-pad(HMAC-SHA256(secret, everything before it)). The user is the WHMCS user
 * (tblusers.id) logged in, 0 when there is none; the API records it in the audit of every write.
 */
final class Token
{
    public const VERSION = 'v2';
    public const LIFETIME_SECONDS = 900;

    /**
     * @return array{token: string, expires_at: int}
     */
    public static function mint(int $clientId, string $secret, ?int $now = null, ?string $nonce = null, int $userId = 0): array
    {
        if ($clientId <= 0) {
            throw new \InvalidArgumentException('client id must be positive');
        }
        if ($userId < 0) {
            throw new \InvalidArgumentException('user id must not be negative');
        }
        if ($secret === '') {
            throw new \InvalidArgumentException('api_secret is not configured');
        }
        $issuedAt = $now ?? time();
        $expiresAt = $issuedAt + self::LIFETIME_SECONDS;
        $nonce = $nonce ?? bin2hex(random_bytes(8));
        if (!preg_match('/^[0-9a-f]{16}$/', $nonce)) {
            throw new \InvalidArgumentException('nonce must be 16 lower-case hex characters');
        }
        $payload = self::VERSION . '.' . $clientId . '.' . $userId . '.' . $issuedAt . '.' . $expiresAt . '.' . $nonce;

        return ['token' => $payload . '.' . self::mac($payload, $secret), 'expires_at' => $expiresAt];
    }

    /** A token for the client, naming the WHMCS user of this session. */
    public static function forSession(int $clientId, string $secret): array
    {
        return self::mint($clientId, $secret, null, null, Session::userId());
    }

        public static function mac(string $payload, string $secret): string
    {
        return rtrim(strtr(base64_encode(hash_hmac('sha256', $payload, $secret, true)), '+/', '-_'), '=');
    }
}
