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

// Storage vaults tab (components/vaults.js, partials/vaults.tpl).
$_ADDONLANG['vaults_loading'] = 'Loading storage vaults…';
$_ADDONLANG['vaults_empty'] = 'This account has no storage vaults yet. Request one to start backing up.';
$_ADDONLANG['vaults_request'] = 'Request a vault';
$_ADDONLANG['vaults_request_title'] = 'Request a storage vault';
$_ADDONLANG['vaults_request_text'] = 'Choose one of the storage locations your provider offers. The new vault is ready for your devices at once.';
$_ADDONLANG['vaults_request_submit'] = 'Request vault';
$_ADDONLANG['vaults_requested'] = 'Storage vault “{name}” was added.';
$_ADDONLANG['vaults_template'] = 'Storage location';
$_ADDONLANG['vaults_usage'] = 'Used';
$_ADDONLANG['vaults_used_of'] = '{used} of {quota}';
$_ADDONLANG['vaults_used_no_quota'] = '{used} · no quota';
$_ADDONLANG['vaults_not_measured'] = 'Not measured yet';
$_ADDONLANG['vaults_never'] = 'Never';
$_ADDONLANG['vaults_measured'] = 'Last measured';
$_ADDONLANG['vaults_deep_verified'] = 'Last deep verify';
$_ADDONLANG['vaults_retention'] = 'Retention';
$_ADDONLANG['vaults_retention_error'] = 'Last retention pass failed';
$_ADDONLANG['vaults_items'] = 'Backed up here';
$_ADDONLANG['vaults_items_none'] = 'No protected item backs up to this vault.';
$_ADDONLANG['vaults_item_on'] = '{item} on {device}';
$_ADDONLANG['vaults_chart_empty'] = 'Usage history appears after a few days of backups.';
$_ADDONLANG['vaults_chart_label'] = 'Size over the last {days} measured days: {from} → {to}';
$_ADDONLANG['vaults_snapshots'] = 'Snapshots';
$_ADDONLANG['vaults_more'] = 'More';
$_ADDONLANG['vaults_rename'] = 'Rename';
$_ADDONLANG['vaults_quota'] = 'Quota';
$_ADDONLANG['vaults_delete'] = 'Delete vault';
$_ADDONLANG['vaults_name'] = 'Name';
$_ADDONLANG['vaults_save'] = 'Save';
$_ADDONLANG['vaults_close'] = 'Close';
$_ADDONLANG['vaults_saved'] = 'Saved.';
$_ADDONLANG['vaults_quota_enabled'] = 'Limit this vault’s size';
$_ADDONLANG['vaults_quota_gb'] = 'Quota (GB)';
$_ADDONLANG['vaults_quota_invalid'] = 'Enter a quota of at least 1 GB.';
$_ADDONLANG['vaults_keep_everything'] = 'Keep every backup';
$_ADDONLANG['vaults_rule_n'] = 'Rule {n}';
$_ADDONLANG['vaults_rule_add'] = 'Add a rule';
$_ADDONLANG['vaults_rule_remove'] = 'Remove';
$_ADDONLANG['vaults_field_jobs'] = 'Backups';
$_ADDONLANG['vaults_field_days'] = 'Days';
$_ADDONLANG['vaults_field_weeks'] = 'Weeks';
$_ADDONLANG['vaults_field_months'] = 'Months';
$_ADDONLANG['vaults_field_years'] = 'Years';
$_ADDONLANG['vaults_field_week_offset'] = 'Week starts (0 = Sunday)';
$_ADDONLANG['vaults_field_month_offset'] = 'Month starts on day';
$_ADDONLANG['vaults_preview'] = 'Preview';
$_ADDONLANG['vaults_preview_loading'] = 'Reading the vault’s snapshots…';
$_ADDONLANG['vaults_preview_kept'] = 'kept';
$_ADDONLANG['vaults_preview_removed'] = 'removed';
$_ADDONLANG['vaults_keep'] = 'Kept';
$_ADDONLANG['vaults_remove'] = 'Removed';
$_ADDONLANG['vaults_retention_saved'] = 'Retention saved. It applies at the next retention pass.';
$_ADDONLANG['vaults_snapshots_loading'] = 'Asking a device for the vault’s snapshots…';
$_ADDONLANG['vaults_snapshots_empty'] = 'This vault holds no snapshots.';
$_ADDONLANG['vaults_select_all'] = 'Select all';
$_ADDONLANG['vaults_delete_selected'] = 'Delete selected';
$_ADDONLANG['vaults_delete_selected_sure'] = 'Delete them…';
$_ADDONLANG['vaults_delete_snapshots_title'] = 'Delete {n} snapshot(s)?';
$_ADDONLANG['vaults_delete_snapshots_confirm'] = 'Delete {n} snapshot(s)';
$_ADDONLANG['vaults_snapshot_of'] = '{item}, {when}';
$_ADDONLANG['vaults_files'] = '{n} files';
$_ADDONLANG['vaults_job_running'] = 'Running';
$_ADDONLANG['vaults_action_apply_retention'] = 'Apply retention now';
$_ADDONLANG['vaults_action_reindex'] = 'Reindex';
$_ADDONLANG['vaults_action_unlock'] = 'Unlock';
$_ADDONLANG['vaults_action_deep_verify'] = 'Deep verify';
$_ADDONLANG['vaults_action_confirm'] = '{action}: “{name}”?';
$_ADDONLANG['vaults_action_effect_apply_retention'] = 'Snapshots the retention does not keep are deleted now.';
$_ADDONLANG['vaults_action_effect_reindex'] = 'Backups to this vault wait until the index is rebuilt.';
$_ADDONLANG['vaults_action_effect_unlock'] = 'Locks of backups still running on this vault are removed; only unlock when none is running.';
$_ADDONLANG['vaults_action_effect_deep_verify'] = 'Backups to this vault wait while every stored chunk is read and checked.';
$_ADDONLANG['vaults_delete_title'] = 'Delete the storage vault “{name}”?';
$_ADDONLANG['vaults_delete_lost'] = 'The vault and access to every snapshot in it from this account.';
$_ADDONLANG['vaults_delete_confirm'] = 'Delete vault';
$_ADDONLANG['vaults_deleted'] = 'Storage vault “{name}” was deleted.';
