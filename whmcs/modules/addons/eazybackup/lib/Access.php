<?php

namespace WHMCS\Module\Addon\Eazybackup;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/**
 * Whether the current visitor may use the backup console for the selected client account.
 * `decide()` is the rule; Session::access() gathers its inputs from WHMCS.
 */
final class Access
{
    public const ANONYMOUS = 'anonymous';
    public const ALLOWED = 'allowed';
    public const NO_PERMISSION = 'no_permission';
    public const CLIENT_CLOSED = 'client_closed';

    /** WHMCS's "View & Manage Products/Services" permission: backup accounts are services. */
    public const PERMISSION = 'products';

    /** @var string one of the constants above */
    public $status;
    /** @var int|null the selected client account (null only when anonymous) */
    public $clientId;

    private function __construct(string $status, ?int $clientId)
    {
        $this->status = $status;
        $this->clientId = $clientId;
    }

    public static function anonymous(): self
    {
        return new self(self::ANONYMOUS, null);
    }

    /**
     * @param string      $clientStatus tblclients.status of the selected account
     * @param bool        $masquerading an admin logged in as the client ("Login as Owner")
     * @param array|null  $link         the user's tblusers_clients row for this client
     *                                  (['owner' => …, 'permissions' => …]); null when there is none
     */
    public static function decide(int $clientId, string $clientStatus, bool $masquerading, ?array $link): self
    {
        // A closed account has no backup services to show, whoever asks (admins included).
        if (strcasecmp(trim($clientStatus), 'Closed') === 0) {
            return new self(self::CLIENT_CLOSED, $clientId);
        }
        if ($masquerading) {
            return new self(self::ALLOWED, $clientId);
        }
        // No link row means we cannot tell who this is: refuse rather than guess.
        if ($link === null) {
            return new self(self::NO_PERMISSION, $clientId);
        }
        if ((int) ($link['owner'] ?? 0) === 1 || self::hasPermission((string) ($link['permissions'] ?? ''), self::PERMISSION)) {
            return new self(self::ALLOWED, $clientId);
        }
        return new self(self::NO_PERMISSION, $clientId);
    }

    /** WHMCS stores a sub-user's permissions as a comma-separated list of names. */
    public static function hasPermission(string $permissions, string $wanted): bool
    {
        foreach (explode(',', $permissions) as $name) {
            if (strcasecmp(trim($name), $wanted) === 0) {
                return true;
            }
        }
        return false;
    }

    public function isAllowed(): bool
    {
        return $this->status === self::ALLOWED;
    }

    public function isAnonymous(): bool
    {
        return $this->status === self::ANONYMOUS;
    }
}
