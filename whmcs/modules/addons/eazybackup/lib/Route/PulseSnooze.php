<?php

namespace WHMCS\Module\Addon\Eazybackup\Route;

use WHMCS\Module\Addon\Eazybackup\ApiClient;
use WHMCS\Module\Addon\Eazybackup\Http;
use WHMCS\Module\Addon\Eazybackup\Settings;
use WHMCS\Module\Addon\Eazybackup\Token;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/**
 * a=pulse-snooze (POST profile, job_id, minutes, eb_csrf): proxy of POST /api/v1/incidents/snooze.
 * A job is named by its profile and id (job ids are unique per Comet server only).
 */
final class PulseSnooze
{
    public const MAX_MINUTES = 10080;

    /** @return never */
    public static function handle(Settings $settings): void
    {
        $clientId = Guard::requireClient();
        Guard::requirePost();
        Guard::requireCsrf();
        Guard::requireConfigured($settings);

        $profile = trim((string) ($_POST['profile'] ?? ''));
        $jobId = trim((string) ($_POST['job_id'] ?? ''));
        $minutes = (string) ($_POST['minutes'] ?? '');
        if ($profile === '' || strlen($profile) > 64) {
            Http::error(400, 'bad_profile', 'That incident could not be identified.');
        }
        if ($jobId === '' || strlen($jobId) > 128 || !preg_match('/^[A-Za-z0-9._:-]+$/', $jobId)) {
            Http::error(400, 'bad_job_id', 'That incident could not be identified.');
        }
        if (!ctype_digit($minutes) || (int) $minutes < 1 || (int) $minutes > self::MAX_MINUTES) {
            Http::error(400, 'bad_minutes', 'Snooze length must be between 1 minute and 7 days.');
        }
        // Ownership of the job is checked by the API against the token's client (404 otherwise).
        $token = Token::forSession($clientId, $settings->apiSecret)['token'];
        $response = (new ApiClient($settings->apiInternalUrl, $token))
            ->postJson('/api/v1/incidents/snooze', ['profile' => $profile, 'job_id' => $jobId, 'minutes' => (int) $minutes]);
        Http::json($response->status, $response->body);
    }
}
