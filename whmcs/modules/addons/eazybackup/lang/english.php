<?php

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

$_ADDONLANG['dashboard_title'] = 'Backup Console';
$_ADDONLANG['dashboard_subtitle'] = 'Live status of your backup accounts';
$_ADDONLANG['pulse_title'] = 'Protection Pulse';
$_ADDONLANG['pulse_live'] = 'Live';
$_ADDONLANG['pulse_reconnecting'] = 'Reconnecting…';
$_ADDONLANG['pulse_connecting'] = 'Connecting…';
$_ADDONLANG['pulse_running'] = 'Running now';
$_ADDONLANG['pulse_running_empty'] = 'No backups are running right now.';
$_ADDONLANG['pulse_incidents'] = 'Needs attention (last 24 hours)';
$_ADDONLANG['pulse_incidents_empty'] = 'All clear — no warnings, errors or missed backups in the last 24 hours.';
$_ADDONLANG['pulse_snooze'] = 'Snooze';
$_ADDONLANG['pulse_snooze_1h'] = '1 hour';
$_ADDONLANG['pulse_snooze_24h'] = '24 hours';
$_ADDONLANG['pulse_snooze_7d'] = '7 days';
$_ADDONLANG['pulse_read_only'] = 'Read-only';
$_ADDONLANG['pulse_read_only_hint'] = 'This service is suspended, so its incidents cannot be snoozed.';
$_ADDONLANG['count_running'] = 'Running';
$_ADDONLANG['count_success'] = 'Succeeded';
$_ADDONLANG['count_warning'] = 'Warnings';
$_ADDONLANG['count_error'] = 'Errors';
$_ADDONLANG['count_missed'] = 'Missed';
$_ADDONLANG['services_title'] = 'Your backup accounts';
$_ADDONLANG['services_empty'] = 'You have no active backup accounts.';
$_ADDONLANG['suspended'] = 'Suspended';
$_ADDONLANG['not_configured'] = 'The backup console is not configured yet. Please contact support.';
$_ADDONLANG['retry'] = 'Retry';
$_ADDONLANG['no_access_title'] = 'No access to backup services';
$_ADDONLANG['no_access_permission'] = 'You don\'t have access to backup services on this account. If you need it, please ask the account owner to give you the "Products/Services" permission.';
$_ADDONLANG['no_access_closed'] = 'This account is closed, so its backup services are no longer available. Please contact support if you think this is a mistake.';
