<?php

namespace WHMCS\Module\Addon\Eazybackup\Json;

use WHMCS\Module\Addon\Eazybackup\Csrf;
use WHMCS\Module\Addon\Eazybackup\Http;
use WHMCS\Module\Addon\Eazybackup\RouteContext;
use WHMCS\Module\Addon\Eazybackup\Services;
use WHMCS\Module\Addon\Eazybackup\Token;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/**
 * a=account-password&serviceid=N (POST, eb_csrf, JSON body { current_password, new_password }):
 * the one API operation WHMCS must follow. In both deployment modes the browser sends a password
 * change here; WHMCS forwards it to POST /services/{id}/account/password and, only when the API
 * answers 200 (Comet has the new password), stores it as the service password with
 * localAPI('UpdateClientProduct', serviceid + servicepassword): no other field of the service is
 * sent. The API's answer passes through, with `whmcs_password_stored` added.
 */
final class AccountPassword implements JsonRoute
{
    private const MAX_BODY_BYTES = 8192;

    public function handle(RouteContext $ctx): void
    {
        if (($_SERVER['REQUEST_METHOD'] ?? 'GET') !== 'POST') {
            header('Allow: POST');
            Http::error(405, 'method_not_allowed', 'This action must be sent as POST.');
        }
        Csrf::requireValid();
        if (!$ctx->settings->isComplete()) {
            Http::error(503, 'not_configured', 'The backup console is not configured yet. Please contact support.');
        }
        $raw = (string) ($_GET['serviceid'] ?? '');
        $serviceId = ctype_digit($raw) && strlen($raw) <= 18 ? (int) $raw : 0;
        $owned = array_filter(Services::forClient($ctx->clientId), static function (array $s) use ($serviceId): bool {
            return $s['service_id'] === $serviceId;
        });
        if ($serviceId <= 0 || $owned === []) {
            Http::error(404, 'not_found', 'That service was not found.');
        }
        $body = (string) file_get_contents('php://input', false, null, 0, self::MAX_BODY_BYTES + 1);
        if (strlen($body) > self::MAX_BODY_BYTES) {
            Http::error(413, 'too_large', 'The request is too large.');
        }
        $request = json_decode($body, true);
        if (!is_array($request) || !is_string($request['new_password'] ?? null) || !is_string($request['current_password'] ?? null)) {
            Http::error(400, 'invalid', 'The request body must be JSON with current_password and new_password.');
        }
        // Only the two fields go on: nothing else of the browser's body reaches the API.
        $forward = json_encode(['current_password' => $request['current_password'], 'new_password' => $request['new_password']]);
        if (session_status() === PHP_SESSION_ACTIVE) {
            session_write_close();
        }
        [$status, $answer] = self::post(
            $ctx->settings->apiInternalUrl . '/api/v1/services/' . $serviceId . '/account/password',
            Token::forSession($ctx->clientId, $ctx->settings->apiSecret)['token'],
            (string) $forward
        );
        if ($status === 0) {
            Http::error(502, 'api_unreachable', 'The backup console service could not be reached. Please try again shortly.');
        }
        $json = json_decode($answer, true);
        if (!is_array($json)) {
            Http::error(502, 'api_unreachable', 'The backup console service sent an answer that could not be read.');
        }
        if ($status !== 200) {
            Http::json($status, $json);
        }
        $stored = localAPI('UpdateClientProduct', ['serviceid' => $serviceId, 'servicepassword' => $request['new_password']]);
        $json['whmcs_password_stored'] = ($stored['result'] ?? '') === 'success';
        if (!$json['whmcs_password_stored']) {
            logActivity('eazyBackup: the new backup password of service #' . $serviceId . ' could not be stored: ' . (string) ($stored['message'] ?? ''), $ctx->clientId);
        }
        Http::json(200, $json);
    }

    /** @return array{0: int, 1: string} status (0 when unreachable) and body */
    private static function post(string $url, string $token, string $body): array
    {
        $ch = curl_init($url);
        curl_setopt_array($ch, [
            CURLOPT_POST => true,
            CURLOPT_POSTFIELDS => $body,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_CONNECTTIMEOUT => 5,
            CURLOPT_TIMEOUT => 60,
            CURLOPT_HTTPHEADER => ['Authorization: Bearer ' . $token, 'Content-Type: application/json', 'Accept: application/json'],
        ]);
        $answer = curl_exec($ch);
        $status = $answer === false ? 0 : (int) curl_getinfo($ch, CURLINFO_HTTP_CODE);
        curl_close($ch);
        return [$status, is_string($answer) ? $answer : ''];
    }
}
