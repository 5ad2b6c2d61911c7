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
$_ADDONLANG['pulse_incidents_more'] = 'and {count} older ones not listed here';
$_ADDONLANG['pulse_incidents_empty'] = 'All clear — no warnings, errors or missed backups in the last 24 hours.';
$_ADDONLANG['pulse_snooze'] = 'Snooze';
$_ADDONLANG['pulse_snooze_1h'] = '1 hour';
$_ADDONLANG['pulse_snooze_24h'] = '24 hours';
$_ADDONLANG['pulse_snooze_7d'] = '7 days';
$_ADDONLANG['pulse_read_only'] = 'Read-only';
$_ADDONLANG['pulse_read_only_hint'] = 'This service is suspended, so its incidents cannot be snoozed.';
$_ADDONLANG['services_title'] = 'Your backup accounts';
$_ADDONLANG['services_empty'] = 'You have no active backup accounts.';
$_ADDONLANG['not_configured'] = 'The backup console is not configured yet. Please contact support.';
$_ADDONLANG['retry'] = 'Retry';
$_ADDONLANG['no_access_title'] = 'No access to backup services';
$_ADDONLANG['no_access_permission'] = 'You don\'t have access to backup services on this account. If you need it, please ask the account owner to give you the "Products/Services" permission.';
$_ADDONLANG['no_access_closed'] = 'This account is closed, so its backup services are no longer available. Please contact support if you think this is a mistake.';
$_ADDONLANG['no_access_service'] = 'That backup account is not one of yours, or it no longer exists.';
$_ADDONLANG['back_to_dashboard'] = 'Back to the Backup Console';

// Errors the scripts show ({status} is replaced).
$_ADDONLANG['error_network'] = 'Could not reach the server. Check your connection.';
$_ADDONLANG['error_http'] = 'Unexpected answer from the server (HTTP {status}).';
$_ADDONLANG['dismiss'] = 'Dismiss';

// Job status classes (the API's status_class); one place for their names.
$_ADDONLANG['status_running'] = 'Running';
$_ADDONLANG['status_success'] = 'Succeeded';
$_ADDONLANG['status_warning'] = 'Warnings';
$_ADDONLANG['status_error'] = 'Errors';
$_ADDONLANG['status_missed'] = 'Missed';
$_ADDONLANG['service_status_Active'] = 'Active';
$_ADDONLANG['service_status_Suspended'] = 'Suspended';

// Formatting.
$_ADDONLANG['today_at'] = 'Today {time}';
$_ADDONLANG['duration_hm'] = '{h}h {m}m';
$_ADDONLANG['duration_ms'] = '{m}m {s}s';
$_ADDONLANG['duration_s'] = '{s}s';
$_ADDONLANG['started_at'] = 'Started {time}';
$_ADDONLANG['updated_at'] = 'Updated {time}';
$_ADDONLANG['bytes_processed'] = '{done} processed';
$_ADDONLANG['bytes_of_total'] = '{done} of {total} ({percent}%)';
$_ADDONLANG['snoozed_until'] = 'Snoozed until {when}.';

// Console page.
$_ADDONLANG['console_title'] = 'Backup account';
$_ADDONLANG['console_tabs_label'] = 'Backup account sections';
$_ADDONLANG['console_server'] = 'Server';
$_ADDONLANG['console_username'] = 'Comet username';
$_ADDONLANG['console_product'] = 'Service';
$_ADDONLANG['console_status'] = 'Status';
$_ADDONLANG['console_open'] = 'Open console';
$_ADDONLANG['switcher_label'] = 'Backup account';
$_ADDONLANG['tab_overview'] = 'Overview';
$_ADDONLANG['tab_devices'] = 'Devices';
$_ADDONLANG['tab_items'] = 'Protected items';
$_ADDONLANG['tab_vaults'] = 'Storage vaults';
$_ADDONLANG['tab_jobs'] = 'Jobs';
$_ADDONLANG['tab_restore'] = 'Restore';
$_ADDONLANG['tab_account'] = 'Account';
$_ADDONLANG['coming_title'] = 'Coming soon';
$_ADDONLANG['coming_devices'] = 'Here you will see every device of this account, whether it is online, its version and its last backup, and you will be able to rename, update or remove a device.';
$_ADDONLANG['coming_items'] = 'Here you will see what each device backs up (files, databases, Microsoft 365, virtual machines), its schedule and last result, and run a backup now.';
$_ADDONLANG['coming_vaults'] = 'Here you will see where your backups are stored, how much space each vault uses against its quota, and its retention.';
$_ADDONLANG['coming_jobs'] = 'Here you will find the full job history with filters, each job\'s details and its log.';
$_ADDONLANG['coming_restore'] = 'Here you will be able to browse a backup snapshot and restore files to a device.';
$_ADDONLANG['coming_account'] = 'Here you will manage the account\'s profile, password, two-factor authentication and e-mail reports, and see its activity.';

// Overview tab.
$_ADDONLANG['overview_summary'] = 'Account summary';
$_ADDONLANG['overview_display_name'] = 'Display name';
$_ADDONLANG['overview_email'] = 'E-mail';
$_ADDONLANG['overview_created'] = 'Created';
$_ADDONLANG['overview_devices'] = 'Devices online';
$_ADDONLANG['overview_devices_value'] = '{online} of {total}';
$_ADDONLANG['overview_items'] = 'Protected items';
$_ADDONLANG['overview_vaults'] = 'Storage vaults';
$_ADDONLANG['overview_storage'] = 'Storage used';
$_ADDONLANG['overview_quotas'] = 'Usage and quotas';
$_ADDONLANG['overview_quotas_empty'] = 'This account has no quotas set.';
$_ADDONLANG['overview_jobs'] = 'Jobs in the last 24 hours';
$_ADDONLANG['overview_jobs_empty'] = 'No jobs ran in the last 24 hours.';
$_ADDONLANG['overview_news'] = 'News from your provider';
$_ADDONLANG['overview_loading'] = 'Loading the account overview…';
$_ADDONLANG['overview_comet_down'] = 'The backup server cannot be reached right now, so some figures may be out of date.';
$_ADDONLANG['quota_devices'] = 'Devices';
$_ADDONLANG['quota_items_bytes'] = 'All protected items';
$_ADDONLANG['quota_m365_accounts'] = 'Microsoft 365 accounts';
$_ADDONLANG['quota_hyperv_guests'] = 'Hyper-V guests';
$_ADDONLANG['quota_vmware_guests'] = 'VMware guests';
$_ADDONLANG['quota_vault'] = 'Vault: {name}';
$_ADDONLANG['quota_unlimited'] = 'Unlimited';
$_ADDONLANG['quota_used_of'] = '{used} of {limit}';
$_ADDONLANG['quota_unknown'] = 'Not known yet';

// Shared partials.
$_ADDONLANG['loading'] = 'Loading…';
$_ADDONLANG['empty'] = 'Nothing to show.';
$_ADDONLANG['table_filter'] = 'Filter';
$_ADDONLANG['table_previous'] = 'Previous';
$_ADDONLANG['table_next'] = 'Next';
$_ADDONLANG['table_page'] = 'Page {page} of {pages}';
$_ADDONLANG['table_sort_by'] = 'Sort by {column}';
$_ADDONLANG['confirm_cancel'] = 'Cancel';
$_ADDONLANG['confirm_lost'] = 'This will be lost:';

// The Jobs tab (partials/jobs.tpl, components/jobs.js).
$_ADDONLANG['jobs_filters'] = 'Job filters';
$_ADDONLANG['jobs_filter_status'] = 'Show jobs by status';
$_ADDONLANG['jobs_search'] = 'Search';
$_ADDONLANG['jobs_search_placeholder'] = 'Device, protected item or vault name';
$_ADDONLANG['jobs_device'] = 'Device';
$_ADDONLANG['jobs_all_devices'] = 'All devices';
$_ADDONLANG['jobs_item'] = 'Protected item';
$_ADDONLANG['jobs_all_items'] = 'All protected items';
$_ADDONLANG['jobs_vault'] = 'Storage vault';
$_ADDONLANG['jobs_all_vaults'] = 'All storage vaults';
$_ADDONLANG['jobs_kind'] = 'Kind';
$_ADDONLANG['jobs_all_kinds'] = 'All kinds';
$_ADDONLANG['jobs_from'] = 'Started from';
$_ADDONLANG['jobs_to'] = 'Started until';
$_ADDONLANG['jobs_clear'] = 'Clear filters';
$_ADDONLANG['jobs_loading'] = 'Loading jobs…';
$_ADDONLANG['jobs_empty'] = 'No jobs yet. Jobs appear here as soon as a device runs one.';
$_ADDONLANG['jobs_empty_filtered'] = 'No jobs match these filters.';
$_ADDONLANG['jobs_caption'] = 'Jobs of this account';
$_ADDONLANG['jobs_col_status'] = 'Status';
$_ADDONLANG['jobs_col_job'] = 'Job';
$_ADDONLANG['jobs_col_started'] = 'Started';
$_ADDONLANG['jobs_col_duration'] = 'Duration';
$_ADDONLANG['jobs_col_size'] = 'Size';
$_ADDONLANG['jobs_col_files'] = 'Files';
$_ADDONLANG['jobs_col_uploaded'] = 'Uploaded';
$_ADDONLANG['jobs_col_speed'] = 'Speed';
$_ADDONLANG['jobs_col_actions'] = 'Actions';
$_ADDONLANG['jobs_paging'] = 'Job pages';
$_ADDONLANG['jobs_page'] = 'Page {page}';
$_ADDONLANG['jobs_bytes_so_far'] = '{bytes} so far';
$_ADDONLANG['jobs_speed'] = '{bytes}/s';
$_ADDONLANG['jobs_ended'] = 'Ended';
$_ADDONLANG['jobs_close'] = 'Close';
$_ADDONLANG['jobs_progress'] = 'Progress';
$_ADDONLANG['jobs_items_done'] = '{done} of {total} items';
$_ADDONLANG['jobs_cancel'] = 'Cancel job';
$_ADDONLANG['jobs_cancel_title'] = 'Cancel this job?';
$_ADDONLANG['jobs_cancel_lost'] = 'The running job "{name}": what it has not stored yet is not backed up.';
$_ADDONLANG['jobs_cancel_confirm'] = 'Cancel job';
$_ADDONLANG['jobs_cancel_requested'] = 'Cancel requested';
$_ADDONLANG['jobs_log'] = 'Log';
$_ADDONLANG['jobs_log_first_error'] = 'Jump to first error';
$_ADDONLANG['jobs_log_download'] = 'Download';
$_ADDONLANG['jobs_log_severity'] = 'Show lines of';
$_ADDONLANG['jobs_log_all'] = 'All lines';
$_ADDONLANG['jobs_log_warnings'] = 'Warnings and errors';
$_ADDONLANG['jobs_log_errors'] = 'Errors only';
$_ADDONLANG['jobs_log_search'] = 'Search the log';
$_ADDONLANG['jobs_log_loading'] = 'Loading the log…';
$_ADDONLANG['jobs_log_empty'] = 'No log lines match.';
$_ADDONLANG['jobs_log_truncated'] = 'Only the first lines are shown here; download the log for all of it.';
$_ADDONLANG['jobs_log_sev_I'] = 'Info';
$_ADDONLANG['jobs_log_sev_W'] = 'Warning';
$_ADDONLANG['jobs_log_sev_E'] = 'Error';
$_ADDONLANG['jobs_log_sev_D'] = 'Debug';
