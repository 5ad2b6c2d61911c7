<?php

namespace WHMCS\Module\Addon\Eazybackup;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/**
 * Responses that leave WHMCS's page rendering: whatever WHMCS has buffered so far is dropped, our
 * body is sent and the request ends (the pattern public addons use inside _clientarea).
 */
final class Http
{
    /** @return never */
    public static function json(int $status, array $body): void
    {
        self::discardBuffers();
        http_response_code($status);
        header('Content-Type: application/json; charset=utf-8');
        header('Cache-Control: no-store');
        header('X-Content-Type-Options: nosniff');
        echo json_encode($body, JSON_UNESCAPED_SLASHES | JSON_HEX_TAG | JSON_HEX_AMP);
        exit;
    }

    /** @return never */
    public static function error(int $status, string $code, string $message, ?string $field = null): void
    {
        $error = ['code' => $code, 'message' => $message];
        if ($field !== null) {
            $error['field'] = $field;
        }
        self::json($status, ['error' => $error]);
    }

    private static function discardBuffers(): void
    {
        while (ob_get_level() > 0) {
            ob_end_clean();
        }
    }
}
