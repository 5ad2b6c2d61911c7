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

// Restore tab (templates/console/partials/restore.tpl, components/restore.js)
$_ADDONLANG['restore_loading'] = 'Loading your devices and backups…';
$_ADDONLANG['restore_title'] = 'Restore files';
$_ADDONLANG['restore_start_over'] = 'Start over';
$_ADDONLANG['restore_progress'] = 'Your choices so far';
$_ADDONLANG['restore_to'] = 'To';
$_ADDONLANG['restore_choose_device'] = 'Choose the device to restore to';
$_ADDONLANG['restore_choose_device_help'] = 'The device runs the restore, so it must be online. It may restore another device\'s backups.';
$_ADDONLANG['restore_online'] = 'Online';
$_ADDONLANG['restore_offline_waits'] = 'Offline — connect it to restore to it';
$_ADDONLANG['restore_no_devices'] = 'This account has no devices yet.';
$_ADDONLANG['restore_choose_item'] = 'Choose what to restore';
$_ADDONLANG['restore_no_items'] = 'This account has no protected items.';
$_ADDONLANG['restore_back'] = 'Back';
$_ADDONLANG['restore_choose_vault'] = 'Choose the storage vault';
$_ADDONLANG['restore_item_backs_up_here'] = 'Backs up here';
$_ADDONLANG['restore_choose_snapshot'] = 'Choose a backup (snapshot)';
$_ADDONLANG['restore_snapshots_loading'] = 'Asking the device for the snapshots…';
$_ADDONLANG['restore_no_snapshots'] = 'There is no backup of this item in this vault.';
$_ADDONLANG['restore_size_unknown'] = 'Size not recorded';
$_ADDONLANG['restore_files_n'] = '{n} files';
$_ADDONLANG['restore_choose_files'] = 'Choose files and folders';
$_ADDONLANG['restore_whole_item'] = 'Everything in this backup';
$_ADDONLANG['restore_filter'] = 'Filter the opened folders by name';
$_ADDONLANG['restore_objects_loading'] = 'Reading the backup…';
$_ADDONLANG['restore_n_selected'] = '{n} selected';
$_ADDONLANG['restore_next'] = 'Next';
$_ADDONLANG['restore_type'] = 'Kind of restore';
$_ADDONLANG['restore_type_files'] = 'Files and folders';
$_ADDONLANG['restore_type_archive'] = 'One archive file';
$_ADDONLANG['restore_type_simulate'] = 'Test only (read, write nothing)';
$_ADDONLANG['restore_destination'] = 'Destination';
$_ADDONLANG['restore_dest_original'] = 'Where they were backed up from';
$_ADDONLANG['restore_dest_path'] = 'Another folder on the device';
$_ADDONLANG['restore_dest_none'] = 'Nothing is written';
$_ADDONLANG['restore_folder_path'] = 'Folder on the device';
$_ADDONLANG['restore_archive_path'] = 'Archive file on the device';
$_ADDONLANG['restore_archive_format'] = 'Archive format';
$_ADDONLANG['restore_overwrite'] = 'When a file already exists';
$_ADDONLANG['restore_overwrite_never'] = 'Keep the existing file';
$_ADDONLANG['restore_overwrite_always'] = 'Overwrite it';
$_ADDONLANG['restore_overwrite_if_newer'] = 'Overwrite it if the backup is newer';
$_ADDONLANG['restore_overwrite_if_different'] = 'Overwrite it if the content differs';
$_ADDONLANG['restore_review'] = 'Review';
$_ADDONLANG['restore_confirm_title'] = 'Start this restore?';
$_ADDONLANG['restore_what'] = 'What';
$_ADDONLANG['restore_device'] = 'Device';
$_ADDONLANG['restore_start'] = 'Start restore';
$_ADDONLANG['restore_following'] = 'Restore in progress';
$_ADDONLANG['restore_no_job_id'] = 'The device accepted the restore. It appears in Jobs when it starts.';
$_ADDONLANG['restore_starting'] = 'Starting';
$_ADDONLANG['restore_summary_files'] = 'Files';
$_ADDONLANG['restore_summary_bytes'] = 'Size';
$_ADDONLANG['restore_summary_started'] = 'Started';
$_ADDONLANG['restore_summary_ended'] = 'Finished';
$_ADDONLANG['restore_find_title'] = 'Find a file';
$_ADDONLANG['restore_find_help'] = 'Choose a device and an item first; then search every backup of it by name.';
$_ADDONLANG['restore_find_label'] = 'Part of a file or folder name';
$_ADDONLANG['restore_find_go'] = 'Search';
$_ADDONLANG['restore_find_loading'] = 'Searching every backup…';
$_ADDONLANG['restore_find_none'] = 'No file or folder of that name in any backup.';
$_ADDONLANG['restore_find_searched'] = 'Searched {n} backups.';
$_ADDONLANG['restore_this_version'] = 'Restore this version';
