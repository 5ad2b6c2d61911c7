-- eazyBackup Console schema, version 3, for MySQL 8 / MariaDB 10.3+.
-- GENERATED from crates/eazybackup/src/db/schema.rs; do not edit. Regenerate with
--   cargo run -p eazybackup -- migrate --print-sql mysql > whmcs/modules/addons/eazybackup/sql/schema.mysql.sql
-- `eazybackup migrate` executes exactly these statements, and the addon's eazybackup_activate()
-- runs this file: one definition, one script. Guarded steps build an ALTER TABLE from
-- information_schema into @eb_sql (or DO 0 when nothing is missing) and run it with PREPARE.
-- After these statements `eazybackup migrate` also rewrites comet_items.content without the
-- credentials older rows hold (a step in Rust: not expressible in SQL); where only this file
-- runs, the worker's next profile sync rewrites the content of every item still in Comet.
-- Splitting rule: every statement ends with a semicolon at the end of a line, no other line
-- ends with one and no statement contains one; lines starting with -- are comments. Run the
-- statements in order on one connection (session variables). Idempotent: safe to re-run.

CREATE TABLE IF NOT EXISTS `comet_devices` (
  `id` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `hash` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `client_id` INT NULL,
  `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `content` LONGTEXT NULL,
  `name` VARCHAR(255) NULL,
  `platform_os` VARCHAR(32) NOT NULL DEFAULT '',
  `platform_arch` VARCHAR(32) NOT NULL DEFAULT '',
  `is_active` TINYINT NOT NULL DEFAULT 0,
  `created_at` TIMESTAMP NULL,
  `updated_at` TIMESTAMP NULL,
  `revoked_at` TIMESTAMP NULL,
  `offline_since` TIMESTAMP NULL,
  `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `online` TINYINT NOT NULL DEFAULT 0,
  `online_changed_at` BIGINT NULL,
  PRIMARY KEY (`profile`, `username`, `hash`),
  KEY `idx_devices_client` (`client_id`),
  KEY `idx_devices_user` (`username`),
  KEY `idx_devices_profile_hash` (`profile`, `hash`),
  KEY `idx_devices_id` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `comet_items` (
  `id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `client_id` INT NULL,
  `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  `content` LONGTEXT NULL,
  `comet_device_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `owner_device` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  `name` VARCHAR(255) NOT NULL DEFAULT '',
  `type` VARCHAR(255) NOT NULL DEFAULT '',
  `total_bytes` BIGINT NULL,
  `total_files` BIGINT NULL,
  `total_directories` BIGINT NULL,
  `created_at` TIMESTAMP NULL,
  `updated_at` TIMESTAMP NULL,
  `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  PRIMARY KEY (`profile`, `id`),
  KEY `idx_client_user` (`client_id`, `username`),
  KEY `idx_items_profile_user` (`profile`, `username`),
  KEY `idx_items_owner_device` (`owner_device`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `comet_jobs` (
  `id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `content` LONGTEXT NULL,
  `client_id` INT NULL,
  `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  `comet_vault_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `comet_device_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `comet_item_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `type` SMALLINT NOT NULL DEFAULT 0,
  `status` SMALLINT NOT NULL DEFAULT 0,
  `comet_snapshot_id` VARCHAR(100) NULL,
  `comet_cancellation_id` VARCHAR(100) NOT NULL DEFAULT '',
  `total_bytes` BIGINT NOT NULL DEFAULT 0,
  `total_files` BIGINT NOT NULL DEFAULT 0,
  `total_directories` BIGINT NOT NULL DEFAULT 0,
  `upload_bytes` BIGINT NOT NULL DEFAULT 0,
  `download_bytes` BIGINT NOT NULL DEFAULT 0,
  `total_ms_accounts` INT NOT NULL DEFAULT 0,
  `started_at` TIMESTAMP NULL,
  `ended_at` TIMESTAMP NULL,
  `last_status_at` TIMESTAMP NULL,
  `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  PRIMARY KEY (`profile`, `id`),
  KEY `idx_jobs_device_status` (`comet_device_id`, `last_status_at`),
  KEY `idx_jobs_profile_user` (`profile`, `username`),
  KEY `idx_jobs_started_at` (`started_at`),
  KEY `idx_jobs_account_started` (`profile`, `username`, `started_at`, `id`),
  KEY `idx_jobs_account_bytes` (`profile`, `username`, `total_bytes`, `id`),
  KEY `idx_jobs_account_status` (`profile`, `username`, `status`, `started_at`, `id`),
  KEY `idx_jobs_account_type` (`profile`, `username`, `type`, `started_at`, `id`),
  KEY `idx_jobs_account_item` (`profile`, `username`, `comet_item_id`, `started_at`, `id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `comet_users` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `client_id` INT NULL,
  `content` LONGTEXT NULL,
  `account_name` VARCHAR(255) NOT NULL DEFAULT '',
  `locale` VARCHAR(32) NOT NULL DEFAULT '',
  `timezone` VARCHAR(64) NOT NULL DEFAULT '',
  `is_suspended` TINYINT NOT NULL DEFAULT 0,
  `has_items_limit` TINYINT NOT NULL DEFAULT 0,
  `items_limit_bytes` BIGINT NOT NULL DEFAULT 0,
  `device_quota` INT NOT NULL DEFAULT 0,
  `comet_policy_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `created_at` TIMESTAMP NULL,
  `updated_at` TIMESTAMP NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_users_profile_username` (`profile`, `username`),
  KEY `idx_users_client` (`client_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `comet_vaults` (
  `id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `client_id` INT NULL,
  `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  `content` LONGTEXT NULL,
  `name` VARCHAR(255) NOT NULL DEFAULT '',
  `type` SMALLINT NOT NULL DEFAULT 0,
  `total_bytes` BIGINT NULL,
  `bucket_server` VARCHAR(255) NOT NULL DEFAULT '',
  `bucket_name` VARCHAR(255) NOT NULL DEFAULT '',
  `bucket_key` VARCHAR(255) NOT NULL DEFAULT '',
  `has_storage_limit` TINYINT NOT NULL DEFAULT 0,
  `storage_limit_bytes` BIGINT NOT NULL DEFAULT 0,
  `is_active` TINYINT NOT NULL DEFAULT 1,
  `created_at` TIMESTAMP NULL,
  `updated_at` TIMESTAMP NULL,
  `removed_at` TIMESTAMP NULL,
  `last_success_at` TIMESTAMP NULL,
  `last_error` TEXT NULL,
  `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  PRIMARY KEY (`profile`, `id`),
  KEY `idx_user_vault` (`username`, `id`),
  KEY `idx_vaults_profile_user` (`profile`, `username`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `eb_devices_registry` (
  `server_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `device_id` VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `friendly_name` VARCHAR(255) NOT NULL DEFAULT '',
  `platform_os` VARCHAR(32) NOT NULL DEFAULT '',
  `platform_arch` VARCHAR(32) NOT NULL DEFAULT '',
  `registered_at` INT UNSIGNED NOT NULL DEFAULT 0,
  `last_seen` INT UNSIGNED NOT NULL DEFAULT 0,
  `status` VARCHAR(16) NOT NULL DEFAULT 'active',
  `updated_at` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  `online` TINYINT NOT NULL DEFAULT 0,
  `online_changed_at` BIGINT NULL,
  PRIMARY KEY (`server_id`, `username`, `device_id`),
  KEY `idx_username` (`username`),
  KEY `idx_status` (`status`),
  KEY `idx_last_seen` (`last_seen`),
  KEY `idx_registry_device` (`server_id`, `device_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `eb_devices_daily` (
  `d` DATE NOT NULL,
  `registered` INT UNSIGNED NOT NULL DEFAULT 0,
  `active_24h` INT UNSIGNED NOT NULL DEFAULT 0,
  `created_at` TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`d`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `eb_items_daily` (
  `d` DATE NOT NULL,
  `di_devices` INT UNSIGNED NOT NULL DEFAULT 0,
  `hv_vms` INT UNSIGNED NOT NULL DEFAULT 0,
  `vw_vms` INT UNSIGNED NOT NULL DEFAULT 0,
  `m365_users` INT UNSIGNED NOT NULL DEFAULT 0,
  `ff_items` INT UNSIGNED NOT NULL DEFAULT 0,
  `created_at` TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`d`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `eb_event_cursor` (
  `source` VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `last_ts` INT UNSIGNED NOT NULL DEFAULT 0,
  `last_id` VARCHAR(128) NULL,
  `server_start_hash` VARCHAR(128) NULL,
  `updated_at` BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (`source`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `eb_jobs_live` (
  `server_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `job_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `device` VARCHAR(255) NOT NULL DEFAULT '',
  `job_type` VARCHAR(64) NOT NULL DEFAULT '',
  `started_at` INT UNSIGNED NOT NULL DEFAULT 0,
  `bytes_done` BIGINT UNSIGNED NOT NULL DEFAULT 0,
  `throughput_bps` BIGINT UNSIGNED NOT NULL DEFAULT 0,
  `last_update` INT UNSIGNED NOT NULL DEFAULT 0,
  `last_bytes` BIGINT NOT NULL DEFAULT 0,
  `last_bytes_ts` INT NOT NULL DEFAULT 0,
  `cancel_attempts` TINYINT NOT NULL DEFAULT 0,
  `last_checked_ts` INT NOT NULL DEFAULT 0,
  `status` INT NOT NULL DEFAULT 6001,
  `client_id` INT NULL,
  `service_id` INT NULL,
  `classification` INT NOT NULL DEFAULT 0,
  `source_guid` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `destination_guid` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `progress_counter` BIGINT NOT NULL DEFAULT 0,
  `progress_ts` BIGINT NOT NULL DEFAULT 0,
  `items_done` BIGINT NOT NULL DEFAULT 0,
  `items_total` BIGINT NOT NULL DEFAULT 0,
  `total_bytes` BIGINT NOT NULL DEFAULT 0,
  `upload_bytes` BIGINT NOT NULL DEFAULT 0,
  `stale_observations` INT NOT NULL DEFAULT 0,
  `next_action_ts` BIGINT NOT NULL DEFAULT 0,
  `action_stage` VARCHAR(24) NOT NULL DEFAULT 'none',
  `last_action_error` VARCHAR(255) NULL,
  PRIMARY KEY (`server_id`, `job_id`),
  KEY `idx_last_update` (`last_update`),
  KEY `idx_jobs_live_client` (`client_id`),
  KEY `idx_jobs_live_user` (`server_id`, `username`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `eb_jobs_recent_24h` (
  `server_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `job_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `device` VARCHAR(255) NOT NULL DEFAULT '',
  `job_type` VARCHAR(64) NOT NULL DEFAULT '',
  `status` VARCHAR(16) NOT NULL,
  `bytes` BIGINT UNSIGNED NOT NULL DEFAULT 0,
  `duration_sec` INT UNSIGNED NOT NULL DEFAULT 0,
  `ended_at` INT UNSIGNED NOT NULL DEFAULT 0,
  `created_at` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `comet_status` INT NOT NULL DEFAULT 0,
  `client_id` INT NULL,
  `service_id` INT NULL,
  `classification` INT NOT NULL DEFAULT 0,
  `started_at` BIGINT NOT NULL DEFAULT 0,
  `source_guid` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `destination_guid` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `total_bytes` BIGINT NOT NULL DEFAULT 0,
  `upload_bytes` BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (`server_id`, `job_id`),
  KEY `idx_status` (`status`),
  KEY `idx_ended` (`ended_at`),
  KEY `idx_recent_client_ended` (`client_id`, `ended_at`),
  KEY `idx_recent_account_status_ended` (`server_id`, `username`, `status`, `ended_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `eb_jobs_hourly_counts` (
  `server_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `hour` BIGINT NOT NULL,
  `status` VARCHAR(16) NOT NULL,
  `n` BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (`server_id`, `username`, `hour`, `status`),
  KEY `idx_job_counts_hour` (`hour`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `eb_incident_ack` (
  `client_id` INT NOT NULL,
  `job_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `until_ts` INT UNSIGNED NOT NULL DEFAULT 0,
  `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  PRIMARY KEY (`client_id`, `profile`, `job_id`),
  KEY `idx_until` (`until_ts`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `eb_events` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `client_id` INT NULL,
  `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `username` VARCHAR(255) NOT NULL DEFAULT '',
  `kind` VARCHAR(32) NOT NULL,
  `payload` LONGTEXT NOT NULL,
  `created_at` BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`),
  KEY `idx_events_client_id` (`client_id`, `id`),
  KEY `idx_events_created` (`created_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `eb_audit_log` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `client_id` INT NOT NULL,
  `service_id` INT NULL,
  `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `username` VARCHAR(255) NOT NULL DEFAULT '',
  `action` VARCHAR(64) NOT NULL,
  `target` VARCHAR(255) NOT NULL DEFAULT '',
  `result` VARCHAR(16) NOT NULL,
  `message` TEXT NULL,
  `created_at` BIGINT NOT NULL DEFAULT 0,
  `user_id` INT NULL,
  `ip` VARCHAR(45) NOT NULL DEFAULT '',
  PRIMARY KEY (`id`),
  KEY `idx_audit_client_id` (`client_id`, `id`),
  KEY `idx_audit_service` (`client_id`, `service_id`, `id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `eb_stream_revocations` (
  `client_id` INT NOT NULL,
  `revoked_at` BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (`client_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `eb_monitor_profile_state` (
  `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `last_success_ts` INT UNSIGNED NOT NULL DEFAULT 0,
  `last_error_ts` INT UNSIGNED NOT NULL DEFAULT 0,
  `consecutive_failures` INT UNSIGNED NOT NULL DEFAULT 0,
  `last_incomplete_count` INT UNSIGNED NOT NULL DEFAULT 0,
  `last_error` VARCHAR(255) NULL,
  `updated_at` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`profile`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `eb_client_daily` (
  `d` DATE NOT NULL,
  `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `client_id` INT NULL,
  `devices_registered` INT UNSIGNED NOT NULL DEFAULT 0,
  `devices_active_24h` INT UNSIGNED NOT NULL DEFAULT 0,
  `devices_online` INT UNSIGNED NULL,
  `jobs_ok` INT UNSIGNED NOT NULL DEFAULT 0,
  `jobs_warning` INT UNSIGNED NOT NULL DEFAULT 0,
  `jobs_failed` INT UNSIGNED NOT NULL DEFAULT 0,
  `jobs_missed` INT UNSIGNED NOT NULL DEFAULT 0,
  `di_devices` INT UNSIGNED NOT NULL DEFAULT 0,
  `hv_vms` INT UNSIGNED NOT NULL DEFAULT 0,
  `vw_vms` INT UNSIGNED NOT NULL DEFAULT 0,
  `m365_users` INT UNSIGNED NOT NULL DEFAULT 0,
  `ff_items` INT UNSIGNED NOT NULL DEFAULT 0,
  `other_items` INT UNSIGNED NOT NULL DEFAULT 0,
  `storage_bytes` BIGINT NULL,
  `created_at` TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`d`, `profile`, `username`),
  KEY `idx_client_daily_client` (`client_id`, `d`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `eb_runs` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `command` VARCHAR(32) NOT NULL,
  `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `started_at` BIGINT NOT NULL DEFAULT 0,
  `finished_at` BIGINT NULL,
  `result` VARCHAR(16) NOT NULL DEFAULT 'running',
  `summary` TEXT NULL,
  `pid` INT NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`),
  KEY `idx_runs_command_profile` (`command`, `profile`, `id`),
  KEY `idx_runs_started` (`started_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `eb_worker_state` (
  `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `connected` TINYINT NOT NULL DEFAULT 0,
  `since` BIGINT NOT NULL DEFAULT 0,
  `heartbeat_at` BIGINT NOT NULL DEFAULT 0,
  `pid` INT NOT NULL DEFAULT 0,
  `last_error` VARCHAR(255) NULL,
  PRIMARY KEY (`profile`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `eb_schema_meta` (
  `k` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `v` VARCHAR(255) NOT NULL DEFAULT '',
  PRIMARY KEY (`k`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `comet_devices` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `comet_devices` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'id'), NULL, 'ADD COLUMN `id` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'hash'), NULL, 'ADD COLUMN `hash` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'client_id'), NULL, 'ADD COLUMN `client_id` INT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'username'), NULL, 'ADD COLUMN `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'content'), NULL, 'ADD COLUMN `content` LONGTEXT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'name'), NULL, 'ADD COLUMN `name` VARCHAR(255) NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'platform_os'), NULL, 'ADD COLUMN `platform_os` VARCHAR(32) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'platform_arch'), NULL, 'ADD COLUMN `platform_arch` VARCHAR(32) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'is_active'), NULL, 'ADD COLUMN `is_active` TINYINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'created_at'), NULL, 'ADD COLUMN `created_at` TIMESTAMP NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'updated_at'), NULL, 'ADD COLUMN `updated_at` TIMESTAMP NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'revoked_at'), NULL, 'ADD COLUMN `revoked_at` TIMESTAMP NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'offline_since'), NULL, 'ADD COLUMN `offline_since` TIMESTAMP NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'profile'), NULL, 'ADD COLUMN `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'online'), NULL, 'ADD COLUMN `online` TINYINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'online_changed_at'), NULL, 'ADD COLUMN `online_changed_at` BIGINT NULL')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'profile' AND IS_NULLABLE = 'YES'), 'UPDATE `comet_devices` SET `profile` = '''' WHERE `profile` IS NULL', 'DO 0');

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'username' AND IS_NULLABLE = 'YES'), 'UPDATE `comet_devices` SET `username` = '''' WHERE `username` IS NULL', 'DO 0');

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'hash' AND IS_NULLABLE = 'YES'), 'UPDATE `comet_devices` SET `hash` = '''' WHERE `hash` IS NULL', 'DO 0');

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `comet_devices` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `id` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 255), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'id' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 255 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `hash` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 255), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'hash' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 255 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `username` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 255), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'username' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 255 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `profile` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'profile' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `client_id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'client_id' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `content` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'content' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `name` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'name' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `created_at` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'created_at' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `updated_at` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'updated_at' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `revoked_at` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'revoked_at' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `offline_since` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'offline_since' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `online_changed_at` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'online_changed_at' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `name` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'name' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `platform_os` VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'platform_os' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `platform_arch` VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND COLUMN_NAME = 'platform_arch' AND DATA_TYPE = 'enum')) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('profile', 'username', 'hash')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME) s WHERE s.k < 3), (SELECT IF(p.k <=> 'profile,username,hash', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`profile`, `username`, `hash`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `comet_devices` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' GROUP BY INDEX_NAME) s WHERE s.cols = 'client_id'), NULL, 'ADD INDEX `idx_devices_client` (`client_id`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' GROUP BY INDEX_NAME) s WHERE s.cols = 'username'), NULL, 'ADD INDEX `idx_devices_user` (`username`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' GROUP BY INDEX_NAME) s WHERE s.cols = 'profile,hash'), NULL, 'ADD INDEX `idx_devices_profile_hash` (`profile`, `hash`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_devices' GROUP BY INDEX_NAME) s WHERE s.cols = 'id'), NULL, 'ADD INDEX `idx_devices_id` (`id`)')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `comet_items` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `comet_items` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'id'), NULL, 'ADD COLUMN `id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'client_id'), NULL, 'ADD COLUMN `client_id` INT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'username'), NULL, 'ADD COLUMN `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'content'), NULL, 'ADD COLUMN `content` LONGTEXT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'comet_device_id'), NULL, 'ADD COLUMN `comet_device_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'owner_device'), NULL, 'ADD COLUMN `owner_device` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'name'), NULL, 'ADD COLUMN `name` VARCHAR(255) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'type'), NULL, 'ADD COLUMN `type` VARCHAR(255) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'total_bytes'), NULL, 'ADD COLUMN `total_bytes` BIGINT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'total_files'), NULL, 'ADD COLUMN `total_files` BIGINT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'total_directories'), NULL, 'ADD COLUMN `total_directories` BIGINT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'created_at'), NULL, 'ADD COLUMN `created_at` TIMESTAMP NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'updated_at'), NULL, 'ADD COLUMN `updated_at` TIMESTAMP NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'profile'), NULL, 'ADD COLUMN `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT ''''')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'profile' AND IS_NULLABLE = 'YES'), 'UPDATE `comet_items` SET `profile` = '''' WHERE `profile` IS NULL', 'DO 0');

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `comet_items` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `id` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'id' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `username` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 255), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'username' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 255 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `comet_device_id` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'comet_device_id' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `owner_device` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 255), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'owner_device' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 255 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `profile` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'profile' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `client_id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'client_id' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `content` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'content' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `total_bytes` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'total_bytes' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `total_files` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'total_files' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `total_directories` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'total_directories' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `created_at` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'created_at' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `updated_at` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'updated_at' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `name` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'name' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `type` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND COLUMN_NAME = 'type' AND DATA_TYPE = 'enum')) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('profile', 'id')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME) s WHERE s.k < 2), (SELECT IF(p.k <=> 'profile,id', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`profile`, `id`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `comet_items` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' GROUP BY INDEX_NAME) s WHERE s.cols = 'client_id,username'), NULL, 'ADD INDEX `idx_client_user` (`client_id`, `username`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' GROUP BY INDEX_NAME) s WHERE s.cols = 'profile,username'), NULL, 'ADD INDEX `idx_items_profile_user` (`profile`, `username`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_items' GROUP BY INDEX_NAME) s WHERE s.cols = 'owner_device'), NULL, 'ADD INDEX `idx_items_owner_device` (`owner_device`)')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `comet_jobs` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `comet_jobs` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'id'), NULL, 'ADD COLUMN `id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'content'), NULL, 'ADD COLUMN `content` LONGTEXT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'client_id'), NULL, 'ADD COLUMN `client_id` INT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'username'), NULL, 'ADD COLUMN `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'comet_vault_id'), NULL, 'ADD COLUMN `comet_vault_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'comet_device_id'), NULL, 'ADD COLUMN `comet_device_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'comet_item_id'), NULL, 'ADD COLUMN `comet_item_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'type'), NULL, 'ADD COLUMN `type` SMALLINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'status'), NULL, 'ADD COLUMN `status` SMALLINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'comet_snapshot_id'), NULL, 'ADD COLUMN `comet_snapshot_id` VARCHAR(100) NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'comet_cancellation_id'), NULL, 'ADD COLUMN `comet_cancellation_id` VARCHAR(100) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'total_bytes'), NULL, 'ADD COLUMN `total_bytes` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'total_files'), NULL, 'ADD COLUMN `total_files` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'total_directories'), NULL, 'ADD COLUMN `total_directories` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'upload_bytes'), NULL, 'ADD COLUMN `upload_bytes` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'download_bytes'), NULL, 'ADD COLUMN `download_bytes` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'total_ms_accounts'), NULL, 'ADD COLUMN `total_ms_accounts` INT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'started_at'), NULL, 'ADD COLUMN `started_at` TIMESTAMP NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'ended_at'), NULL, 'ADD COLUMN `ended_at` TIMESTAMP NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'last_status_at'), NULL, 'ADD COLUMN `last_status_at` TIMESTAMP NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'profile'), NULL, 'ADD COLUMN `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT ''''')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'profile' AND IS_NULLABLE = 'YES'), 'UPDATE `comet_jobs` SET `profile` = '''' WHERE `profile` IS NULL', 'DO 0');

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `comet_jobs` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `id` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'id' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `username` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 255), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'username' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 255 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `comet_vault_id` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'comet_vault_id' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `comet_device_id` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'comet_device_id' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `comet_item_id` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'comet_item_id' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `profile` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'profile' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `content` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'content' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `client_id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'client_id' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `comet_snapshot_id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'comet_snapshot_id' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `started_at` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'started_at' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `ended_at` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'ended_at' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `last_status_at` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'last_status_at' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `comet_snapshot_id` VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'comet_snapshot_id' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `comet_cancellation_id` VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND COLUMN_NAME = 'comet_cancellation_id' AND DATA_TYPE = 'enum')) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('profile', 'id')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME) s WHERE s.k < 2), (SELECT IF(p.k <=> 'profile,id', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`profile`, `id`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `comet_jobs` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' GROUP BY INDEX_NAME) s WHERE s.cols = 'comet_device_id,last_status_at'), NULL, 'ADD INDEX `idx_jobs_device_status` (`comet_device_id`, `last_status_at`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' GROUP BY INDEX_NAME) s WHERE s.cols = 'profile,username'), NULL, 'ADD INDEX `idx_jobs_profile_user` (`profile`, `username`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' GROUP BY INDEX_NAME) s WHERE s.cols = 'started_at'), NULL, 'ADD INDEX `idx_jobs_started_at` (`started_at`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' GROUP BY INDEX_NAME) s WHERE s.cols = 'profile,username,started_at,id'), NULL, 'ADD INDEX `idx_jobs_account_started` (`profile`, `username`, `started_at`, `id`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' GROUP BY INDEX_NAME) s WHERE s.cols = 'profile,username,total_bytes,id'), NULL, 'ADD INDEX `idx_jobs_account_bytes` (`profile`, `username`, `total_bytes`, `id`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' GROUP BY INDEX_NAME) s WHERE s.cols = 'profile,username,status,started_at,id'), NULL, 'ADD INDEX `idx_jobs_account_status` (`profile`, `username`, `status`, `started_at`, `id`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' GROUP BY INDEX_NAME) s WHERE s.cols = 'profile,username,type,started_at,id'), NULL, 'ADD INDEX `idx_jobs_account_type` (`profile`, `username`, `type`, `started_at`, `id`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_jobs' GROUP BY INDEX_NAME) s WHERE s.cols = 'profile,username,comet_item_id,started_at,id'), NULL, 'ADD INDEX `idx_jobs_account_item` (`profile`, `username`, `comet_item_id`, `started_at`, `id`)')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `comet_users` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `comet_users` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'profile'), NULL, 'ADD COLUMN `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'username'), NULL, 'ADD COLUMN `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'client_id'), NULL, 'ADD COLUMN `client_id` INT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'content'), NULL, 'ADD COLUMN `content` LONGTEXT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'account_name'), NULL, 'ADD COLUMN `account_name` VARCHAR(255) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'locale'), NULL, 'ADD COLUMN `locale` VARCHAR(32) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'timezone'), NULL, 'ADD COLUMN `timezone` VARCHAR(64) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'is_suspended'), NULL, 'ADD COLUMN `is_suspended` TINYINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'has_items_limit'), NULL, 'ADD COLUMN `has_items_limit` TINYINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'items_limit_bytes'), NULL, 'ADD COLUMN `items_limit_bytes` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'device_quota'), NULL, 'ADD COLUMN `device_quota` INT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'comet_policy_id'), NULL, 'ADD COLUMN `comet_policy_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'created_at'), NULL, 'ADD COLUMN `created_at` TIMESTAMP NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'updated_at'), NULL, 'ADD COLUMN `updated_at` TIMESTAMP NULL')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

UPDATE `comet_users` u JOIN (SELECT `profile`, `username`, MAX(`id`) AS keep_id FROM `comet_users` GROUP BY `profile`, `username` HAVING COUNT(*) > 1) d ON u.`profile` = d.`profile` AND u.`username` = d.`username` AND u.`id` <> d.keep_id SET u.`profile` = CONCAT('~dup-', u.`id`);

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `comet_users` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `profile` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'profile' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `username` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 255), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'username' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 255 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `comet_policy_id` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'comet_policy_id' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'id' AND IS_NULLABLE = 'YES'), (SELECT CONCAT('MODIFY COLUMN `client_id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'client_id' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `content` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'content' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `created_at` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'created_at' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `updated_at` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'updated_at' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `account_name` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'account_name' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `locale` VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'locale' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `timezone` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND COLUMN_NAME = 'timezone' AND DATA_TYPE = 'enum')) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('id')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' AND INDEX_NAME NOT IN ('uq_users_profile_username') GROUP BY INDEX_NAME) s WHERE s.k < 1), (SELECT IF(p.k <=> 'id', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`id`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `comet_users` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' GROUP BY INDEX_NAME) s WHERE s.cols = 'profile,username' AND s.nu = 0), NULL, 'ADD UNIQUE INDEX `uq_users_profile_username` (`profile`, `username`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_users' GROUP BY INDEX_NAME) s WHERE s.cols = 'client_id'), NULL, 'ADD INDEX `idx_users_client` (`client_id`)')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `comet_vaults` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `comet_vaults` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'id'), NULL, 'ADD COLUMN `id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'client_id'), NULL, 'ADD COLUMN `client_id` INT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'username'), NULL, 'ADD COLUMN `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'content'), NULL, 'ADD COLUMN `content` LONGTEXT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'name'), NULL, 'ADD COLUMN `name` VARCHAR(255) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'type'), NULL, 'ADD COLUMN `type` SMALLINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'total_bytes'), NULL, 'ADD COLUMN `total_bytes` BIGINT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'bucket_server'), NULL, 'ADD COLUMN `bucket_server` VARCHAR(255) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'bucket_name'), NULL, 'ADD COLUMN `bucket_name` VARCHAR(255) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'bucket_key'), NULL, 'ADD COLUMN `bucket_key` VARCHAR(255) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'has_storage_limit'), NULL, 'ADD COLUMN `has_storage_limit` TINYINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'storage_limit_bytes'), NULL, 'ADD COLUMN `storage_limit_bytes` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'is_active'), NULL, 'ADD COLUMN `is_active` TINYINT NOT NULL DEFAULT 1'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'created_at'), NULL, 'ADD COLUMN `created_at` TIMESTAMP NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'updated_at'), NULL, 'ADD COLUMN `updated_at` TIMESTAMP NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'removed_at'), NULL, 'ADD COLUMN `removed_at` TIMESTAMP NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'last_success_at'), NULL, 'ADD COLUMN `last_success_at` TIMESTAMP NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'last_error'), NULL, 'ADD COLUMN `last_error` TEXT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'profile'), NULL, 'ADD COLUMN `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT ''''')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'profile' AND IS_NULLABLE = 'YES'), 'UPDATE `comet_vaults` SET `profile` = '''' WHERE `profile` IS NULL', 'DO 0');

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `comet_vaults` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `id` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'id' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `username` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 255), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'username' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 255 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `profile` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'profile' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `client_id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'client_id' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `content` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'content' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `total_bytes` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'total_bytes' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `created_at` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'created_at' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `updated_at` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'updated_at' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `removed_at` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'removed_at' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `last_success_at` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'last_success_at' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `last_error` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'last_error' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `name` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'name' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `bucket_server` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'bucket_server' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `bucket_name` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'bucket_name' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `bucket_key` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND COLUMN_NAME = 'bucket_key' AND DATA_TYPE = 'enum')) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('profile', 'id')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME) s WHERE s.k < 2), (SELECT IF(p.k <=> 'profile,id', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`profile`, `id`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `comet_vaults` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' GROUP BY INDEX_NAME) s WHERE s.cols = 'username,id'), NULL, 'ADD INDEX `idx_user_vault` (`username`, `id`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'comet_vaults' GROUP BY INDEX_NAME) s WHERE s.cols = 'profile,username'), NULL, 'ADD INDEX `idx_vaults_profile_user` (`profile`, `username`)')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_devices_registry` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_devices_registry` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'server_id'), NULL, 'ADD COLUMN `server_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'device_id'), NULL, 'ADD COLUMN `device_id` VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'username'), NULL, 'ADD COLUMN `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'friendly_name'), NULL, 'ADD COLUMN `friendly_name` VARCHAR(255) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'platform_os'), NULL, 'ADD COLUMN `platform_os` VARCHAR(32) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'platform_arch'), NULL, 'ADD COLUMN `platform_arch` VARCHAR(32) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'registered_at'), NULL, 'ADD COLUMN `registered_at` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'last_seen'), NULL, 'ADD COLUMN `last_seen` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'status'), NULL, 'ADD COLUMN `status` VARCHAR(16) NOT NULL DEFAULT ''active'''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'updated_at'), NULL, 'ADD COLUMN `updated_at` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'online'), NULL, 'ADD COLUMN `online` TINYINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'online_changed_at'), NULL, 'ADD COLUMN `online_changed_at` BIGINT NULL')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'username' AND IS_NULLABLE = 'YES'), 'UPDATE `eb_devices_registry` SET `username` = '''' WHERE `username` IS NULL', 'DO 0');

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `eb_devices_registry` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `server_id` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'server_id' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `device_id` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 128), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'device_id' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 128 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `username` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 255), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'username' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 255 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `online_changed_at` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'online_changed_at' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `friendly_name` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'friendly_name' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `platform_os` VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'platform_os' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `platform_arch` VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'platform_arch' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `status` VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''active''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND COLUMN_NAME = 'status' AND DATA_TYPE = 'enum')) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('server_id', 'username', 'device_id')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME) s WHERE s.k < 3), (SELECT IF(p.k <=> 'server_id,username,device_id', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`server_id`, `username`, `device_id`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_devices_registry` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' GROUP BY INDEX_NAME) s WHERE s.cols = 'username'), NULL, 'ADD INDEX `idx_username` (`username`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' GROUP BY INDEX_NAME) s WHERE s.cols = 'status'), NULL, 'ADD INDEX `idx_status` (`status`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' GROUP BY INDEX_NAME) s WHERE s.cols = 'last_seen'), NULL, 'ADD INDEX `idx_last_seen` (`last_seen`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_registry' GROUP BY INDEX_NAME) s WHERE s.cols = 'server_id,device_id'), NULL, 'ADD INDEX `idx_registry_device` (`server_id`, `device_id`)')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_devices_daily` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_daily' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_devices_daily` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_daily' AND COLUMN_NAME = 'd'), NULL, 'ADD COLUMN `d` DATE NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_daily' AND COLUMN_NAME = 'registered'), NULL, 'ADD COLUMN `registered` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_daily' AND COLUMN_NAME = 'active_24h'), NULL, 'ADD COLUMN `active_24h` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_daily' AND COLUMN_NAME = 'created_at'), NULL, 'ADD COLUMN `created_at` TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `eb_devices_daily` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `d` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_daily' AND COLUMN_NAME = 'd' AND IS_NULLABLE = 'YES'), (SELECT CONCAT('MODIFY COLUMN `created_at` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_daily' AND COLUMN_NAME = 'created_at' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL)) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('d')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_daily' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME) s WHERE s.k < 1), (SELECT IF(p.k <=> 'd', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`d`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_devices_daily' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_items_daily` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_items_daily' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_items_daily` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_items_daily' AND COLUMN_NAME = 'd'), NULL, 'ADD COLUMN `d` DATE NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_items_daily' AND COLUMN_NAME = 'di_devices'), NULL, 'ADD COLUMN `di_devices` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_items_daily' AND COLUMN_NAME = 'hv_vms'), NULL, 'ADD COLUMN `hv_vms` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_items_daily' AND COLUMN_NAME = 'vw_vms'), NULL, 'ADD COLUMN `vw_vms` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_items_daily' AND COLUMN_NAME = 'm365_users'), NULL, 'ADD COLUMN `m365_users` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_items_daily' AND COLUMN_NAME = 'ff_items'), NULL, 'ADD COLUMN `ff_items` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_items_daily' AND COLUMN_NAME = 'created_at'), NULL, 'ADD COLUMN `created_at` TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `eb_items_daily` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `d` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_items_daily' AND COLUMN_NAME = 'd' AND IS_NULLABLE = 'YES'), (SELECT CONCAT('MODIFY COLUMN `created_at` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_items_daily' AND COLUMN_NAME = 'created_at' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL)) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('d')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_items_daily' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME) s WHERE s.k < 1), (SELECT IF(p.k <=> 'd', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`d`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_items_daily' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_event_cursor` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_event_cursor' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_event_cursor` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_event_cursor' AND COLUMN_NAME = 'source'), NULL, 'ADD COLUMN `source` VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_event_cursor' AND COLUMN_NAME = 'last_ts'), NULL, 'ADD COLUMN `last_ts` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_event_cursor' AND COLUMN_NAME = 'last_id'), NULL, 'ADD COLUMN `last_id` VARCHAR(128) NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_event_cursor' AND COLUMN_NAME = 'server_start_hash'), NULL, 'ADD COLUMN `server_start_hash` VARCHAR(128) NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_event_cursor' AND COLUMN_NAME = 'updated_at'), NULL, 'ADD COLUMN `updated_at` BIGINT NOT NULL DEFAULT 0')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `eb_event_cursor` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `source` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 128), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_event_cursor' AND COLUMN_NAME = 'source' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 128 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `last_id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_event_cursor' AND COLUMN_NAME = 'last_id' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `server_start_hash` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_event_cursor' AND COLUMN_NAME = 'server_start_hash' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `last_id` VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_event_cursor' AND COLUMN_NAME = 'last_id' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `server_start_hash` VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_event_cursor' AND COLUMN_NAME = 'server_start_hash' AND DATA_TYPE = 'enum')) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('source')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_event_cursor' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME) s WHERE s.k < 1), (SELECT IF(p.k <=> 'source', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`source`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_event_cursor' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_jobs_live` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_jobs_live` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'server_id'), NULL, 'ADD COLUMN `server_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'job_id'), NULL, 'ADD COLUMN `job_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'username'), NULL, 'ADD COLUMN `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'device'), NULL, 'ADD COLUMN `device` VARCHAR(255) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'job_type'), NULL, 'ADD COLUMN `job_type` VARCHAR(64) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'started_at'), NULL, 'ADD COLUMN `started_at` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'bytes_done'), NULL, 'ADD COLUMN `bytes_done` BIGINT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'throughput_bps'), NULL, 'ADD COLUMN `throughput_bps` BIGINT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'last_update'), NULL, 'ADD COLUMN `last_update` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'last_bytes'), NULL, 'ADD COLUMN `last_bytes` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'last_bytes_ts'), NULL, 'ADD COLUMN `last_bytes_ts` INT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'cancel_attempts'), NULL, 'ADD COLUMN `cancel_attempts` TINYINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'last_checked_ts'), NULL, 'ADD COLUMN `last_checked_ts` INT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'status'), NULL, 'ADD COLUMN `status` INT NOT NULL DEFAULT 6001'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'client_id'), NULL, 'ADD COLUMN `client_id` INT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'service_id'), NULL, 'ADD COLUMN `service_id` INT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'classification'), NULL, 'ADD COLUMN `classification` INT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'source_guid'), NULL, 'ADD COLUMN `source_guid` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'destination_guid'), NULL, 'ADD COLUMN `destination_guid` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'progress_counter'), NULL, 'ADD COLUMN `progress_counter` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'progress_ts'), NULL, 'ADD COLUMN `progress_ts` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'items_done'), NULL, 'ADD COLUMN `items_done` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'items_total'), NULL, 'ADD COLUMN `items_total` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'total_bytes'), NULL, 'ADD COLUMN `total_bytes` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'upload_bytes'), NULL, 'ADD COLUMN `upload_bytes` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'stale_observations'), NULL, 'ADD COLUMN `stale_observations` INT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'next_action_ts'), NULL, 'ADD COLUMN `next_action_ts` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'action_stage'), NULL, 'ADD COLUMN `action_stage` VARCHAR(24) NOT NULL DEFAULT ''none'''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'last_action_error'), NULL, 'ADD COLUMN `last_action_error` VARCHAR(255) NULL')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `eb_jobs_live` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `server_id` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'server_id' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `job_id` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'job_id' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `username` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 255), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'username' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 255 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `source_guid` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'source_guid' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `destination_guid` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'destination_guid' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `client_id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'client_id' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `service_id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'service_id' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `last_action_error` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'last_action_error' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `device` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'device' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `job_type` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'job_type' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `action_stage` VARCHAR(24) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''none''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'action_stage' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `last_action_error` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND COLUMN_NAME = 'last_action_error' AND DATA_TYPE = 'enum')) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('server_id', 'job_id')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME) s WHERE s.k < 2), (SELECT IF(p.k <=> 'server_id,job_id', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`server_id`, `job_id`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_jobs_live` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' GROUP BY INDEX_NAME) s WHERE s.cols = 'last_update'), NULL, 'ADD INDEX `idx_last_update` (`last_update`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' GROUP BY INDEX_NAME) s WHERE s.cols = 'client_id'), NULL, 'ADD INDEX `idx_jobs_live_client` (`client_id`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_live' GROUP BY INDEX_NAME) s WHERE s.cols = 'server_id,username'), NULL, 'ADD INDEX `idx_jobs_live_user` (`server_id`, `username`)')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_jobs_recent_24h` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_jobs_recent_24h` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'server_id'), NULL, 'ADD COLUMN `server_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'job_id'), NULL, 'ADD COLUMN `job_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'username'), NULL, 'ADD COLUMN `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'device'), NULL, 'ADD COLUMN `device` VARCHAR(255) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'job_type'), NULL, 'ADD COLUMN `job_type` VARCHAR(64) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'status'), NULL, 'ADD COLUMN `status` VARCHAR(16) NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'bytes'), NULL, 'ADD COLUMN `bytes` BIGINT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'duration_sec'), NULL, 'ADD COLUMN `duration_sec` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'ended_at'), NULL, 'ADD COLUMN `ended_at` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'created_at'), NULL, 'ADD COLUMN `created_at` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'comet_status'), NULL, 'ADD COLUMN `comet_status` INT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'client_id'), NULL, 'ADD COLUMN `client_id` INT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'service_id'), NULL, 'ADD COLUMN `service_id` INT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'classification'), NULL, 'ADD COLUMN `classification` INT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'started_at'), NULL, 'ADD COLUMN `started_at` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'source_guid'), NULL, 'ADD COLUMN `source_guid` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'destination_guid'), NULL, 'ADD COLUMN `destination_guid` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'total_bytes'), NULL, 'ADD COLUMN `total_bytes` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'upload_bytes'), NULL, 'ADD COLUMN `upload_bytes` BIGINT NOT NULL DEFAULT 0')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `eb_jobs_recent_24h` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `server_id` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'server_id' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `job_id` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'job_id' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `username` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 255), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'username' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 255 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `source_guid` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'source_guid' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `destination_guid` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'destination_guid' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `client_id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'client_id' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `service_id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'service_id' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `device` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'device' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `job_type` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'job_type' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `status` VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND COLUMN_NAME = 'status' AND DATA_TYPE = 'enum')) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('server_id', 'job_id')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME) s WHERE s.k < 2), (SELECT IF(p.k <=> 'server_id,job_id', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`server_id`, `job_id`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_jobs_recent_24h` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' GROUP BY INDEX_NAME) s WHERE s.cols = 'status'), NULL, 'ADD INDEX `idx_status` (`status`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' GROUP BY INDEX_NAME) s WHERE s.cols = 'ended_at'), NULL, 'ADD INDEX `idx_ended` (`ended_at`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' GROUP BY INDEX_NAME) s WHERE s.cols = 'client_id,ended_at'), NULL, 'ADD INDEX `idx_recent_client_ended` (`client_id`, `ended_at`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_recent_24h' GROUP BY INDEX_NAME) s WHERE s.cols = 'server_id,username,status,ended_at'), NULL, 'ADD INDEX `idx_recent_account_status_ended` (`server_id`, `username`, `status`, `ended_at`)')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_jobs_hourly_counts` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_hourly_counts' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_jobs_hourly_counts` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_hourly_counts' AND COLUMN_NAME = 'server_id'), NULL, 'ADD COLUMN `server_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_hourly_counts' AND COLUMN_NAME = 'username'), NULL, 'ADD COLUMN `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_hourly_counts' AND COLUMN_NAME = 'hour'), NULL, 'ADD COLUMN `hour` BIGINT NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_hourly_counts' AND COLUMN_NAME = 'status'), NULL, 'ADD COLUMN `status` VARCHAR(16) NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_hourly_counts' AND COLUMN_NAME = 'n'), NULL, 'ADD COLUMN `n` BIGINT NOT NULL DEFAULT 0')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_hourly_counts' AND COLUMN_NAME = 'username' AND IS_NULLABLE = 'YES'), 'UPDATE `eb_jobs_hourly_counts` SET `username` = '''' WHERE `username` IS NULL', 'DO 0');

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `eb_jobs_hourly_counts` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `server_id` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_hourly_counts' AND COLUMN_NAME = 'server_id' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `username` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 255), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_hourly_counts' AND COLUMN_NAME = 'username' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 255 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `hour` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_hourly_counts' AND COLUMN_NAME = 'hour' AND IS_NULLABLE = 'YES'), (SELECT CONCAT('MODIFY COLUMN `status` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_hourly_counts' AND COLUMN_NAME = 'status' AND IS_NULLABLE = 'YES'), (SELECT CONCAT('MODIFY COLUMN `status` VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_hourly_counts' AND COLUMN_NAME = 'status' AND DATA_TYPE = 'enum')) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('server_id', 'username', 'hour', 'status')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_hourly_counts' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME) s WHERE s.k < 4), (SELECT IF(p.k <=> 'server_id,username,hour,status', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`server_id`, `username`, `hour`, `status`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_hourly_counts' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_jobs_hourly_counts` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_jobs_hourly_counts' GROUP BY INDEX_NAME) s WHERE s.cols = 'hour'), NULL, 'ADD INDEX `idx_job_counts_hour` (`hour`)')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_incident_ack` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_incident_ack' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_incident_ack` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_incident_ack' AND COLUMN_NAME = 'client_id'), NULL, 'ADD COLUMN `client_id` INT NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_incident_ack' AND COLUMN_NAME = 'job_id'), NULL, 'ADD COLUMN `job_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_incident_ack' AND COLUMN_NAME = 'until_ts'), NULL, 'ADD COLUMN `until_ts` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_incident_ack' AND COLUMN_NAME = 'profile'), NULL, 'ADD COLUMN `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT ''''')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_incident_ack' AND COLUMN_NAME = 'profile' AND IS_NULLABLE = 'YES'), 'UPDATE `eb_incident_ack` SET `profile` = '''' WHERE `profile` IS NULL', 'DO 0');

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `eb_incident_ack` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `job_id` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_incident_ack' AND COLUMN_NAME = 'job_id' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `profile` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_incident_ack' AND COLUMN_NAME = 'profile' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `client_id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_incident_ack' AND COLUMN_NAME = 'client_id' AND IS_NULLABLE = 'YES')) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('client_id', 'profile', 'job_id')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_incident_ack' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME) s WHERE s.k < 3), (SELECT IF(p.k <=> 'client_id,profile,job_id', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`client_id`, `profile`, `job_id`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_incident_ack' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_incident_ack` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_incident_ack' GROUP BY INDEX_NAME) s WHERE s.cols = 'until_ts'), NULL, 'ADD INDEX `idx_until` (`until_ts`)')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_events` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_events' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_events` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_events' AND COLUMN_NAME = 'client_id'), NULL, 'ADD COLUMN `client_id` INT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_events' AND COLUMN_NAME = 'profile'), NULL, 'ADD COLUMN `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_events' AND COLUMN_NAME = 'username'), NULL, 'ADD COLUMN `username` VARCHAR(255) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_events' AND COLUMN_NAME = 'kind'), NULL, 'ADD COLUMN `kind` VARCHAR(32) NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_events' AND COLUMN_NAME = 'payload'), NULL, 'ADD COLUMN `payload` LONGTEXT NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_events' AND COLUMN_NAME = 'created_at'), NULL, 'ADD COLUMN `created_at` BIGINT NOT NULL DEFAULT 0')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `eb_events` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `profile` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_events' AND COLUMN_NAME = 'profile' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_events' AND COLUMN_NAME = 'id' AND IS_NULLABLE = 'YES'), (SELECT CONCAT('MODIFY COLUMN `client_id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_events' AND COLUMN_NAME = 'client_id' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_events' AND COLUMN_NAME = 'username' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `kind` VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_events' AND COLUMN_NAME = 'kind' AND DATA_TYPE = 'enum')) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('id')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_events' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME) s WHERE s.k < 1), (SELECT IF(p.k <=> 'id', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`id`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_events' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_events` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_events' GROUP BY INDEX_NAME) s WHERE s.cols = 'client_id,id'), NULL, 'ADD INDEX `idx_events_client_id` (`client_id`, `id`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_events' GROUP BY INDEX_NAME) s WHERE s.cols = 'created_at'), NULL, 'ADD INDEX `idx_events_created` (`created_at`)')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_audit_log` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_audit_log` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'client_id'), NULL, 'ADD COLUMN `client_id` INT NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'service_id'), NULL, 'ADD COLUMN `service_id` INT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'profile'), NULL, 'ADD COLUMN `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'username'), NULL, 'ADD COLUMN `username` VARCHAR(255) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'action'), NULL, 'ADD COLUMN `action` VARCHAR(64) NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'target'), NULL, 'ADD COLUMN `target` VARCHAR(255) NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'result'), NULL, 'ADD COLUMN `result` VARCHAR(16) NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'message'), NULL, 'ADD COLUMN `message` TEXT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'created_at'), NULL, 'ADD COLUMN `created_at` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'user_id'), NULL, 'ADD COLUMN `user_id` INT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'ip'), NULL, 'ADD COLUMN `ip` VARCHAR(45) NOT NULL DEFAULT ''''')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `eb_audit_log` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `profile` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'profile' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'id' AND IS_NULLABLE = 'YES'), (SELECT CONCAT('MODIFY COLUMN `service_id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'service_id' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `message` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'message' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `user_id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'user_id' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'username' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `action` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'action' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `target` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'target' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `result` VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'result' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `ip` VARCHAR(45) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND COLUMN_NAME = 'ip' AND DATA_TYPE = 'enum')) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('id')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME) s WHERE s.k < 1), (SELECT IF(p.k <=> 'id', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`id`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_audit_log` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' GROUP BY INDEX_NAME) s WHERE s.cols = 'client_id,id'), NULL, 'ADD INDEX `idx_audit_client_id` (`client_id`, `id`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_audit_log' GROUP BY INDEX_NAME) s WHERE s.cols = 'client_id,service_id,id'), NULL, 'ADD INDEX `idx_audit_service` (`client_id`, `service_id`, `id`)')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_stream_revocations` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_stream_revocations' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_stream_revocations` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_stream_revocations' AND COLUMN_NAME = 'client_id'), NULL, 'ADD COLUMN `client_id` INT NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_stream_revocations' AND COLUMN_NAME = 'revoked_at'), NULL, 'ADD COLUMN `revoked_at` BIGINT NOT NULL DEFAULT 0')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `eb_stream_revocations` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `client_id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_stream_revocations' AND COLUMN_NAME = 'client_id' AND IS_NULLABLE = 'YES')) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('client_id')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_stream_revocations' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME) s WHERE s.k < 1), (SELECT IF(p.k <=> 'client_id', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`client_id`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_stream_revocations' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_monitor_profile_state` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_monitor_profile_state' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_monitor_profile_state` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_monitor_profile_state' AND COLUMN_NAME = 'profile'), NULL, 'ADD COLUMN `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_monitor_profile_state' AND COLUMN_NAME = 'last_success_ts'), NULL, 'ADD COLUMN `last_success_ts` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_monitor_profile_state' AND COLUMN_NAME = 'last_error_ts'), NULL, 'ADD COLUMN `last_error_ts` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_monitor_profile_state' AND COLUMN_NAME = 'consecutive_failures'), NULL, 'ADD COLUMN `consecutive_failures` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_monitor_profile_state' AND COLUMN_NAME = 'last_incomplete_count'), NULL, 'ADD COLUMN `last_incomplete_count` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_monitor_profile_state' AND COLUMN_NAME = 'last_error'), NULL, 'ADD COLUMN `last_error` VARCHAR(255) NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_monitor_profile_state' AND COLUMN_NAME = 'updated_at'), NULL, 'ADD COLUMN `updated_at` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `eb_monitor_profile_state` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `profile` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_monitor_profile_state' AND COLUMN_NAME = 'profile' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `last_error` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_monitor_profile_state' AND COLUMN_NAME = 'last_error' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `last_error` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_monitor_profile_state' AND COLUMN_NAME = 'last_error' AND DATA_TYPE = 'enum')) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('profile')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_monitor_profile_state' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME) s WHERE s.k < 1), (SELECT IF(p.k <=> 'profile', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`profile`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_monitor_profile_state' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_client_daily` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_client_daily` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'd'), NULL, 'ADD COLUMN `d` DATE NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'profile'), NULL, 'ADD COLUMN `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'username'), NULL, 'ADD COLUMN `username` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'client_id'), NULL, 'ADD COLUMN `client_id` INT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'devices_registered'), NULL, 'ADD COLUMN `devices_registered` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'devices_active_24h'), NULL, 'ADD COLUMN `devices_active_24h` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'devices_online'), NULL, 'ADD COLUMN `devices_online` INT UNSIGNED NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'jobs_ok'), NULL, 'ADD COLUMN `jobs_ok` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'jobs_warning'), NULL, 'ADD COLUMN `jobs_warning` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'jobs_failed'), NULL, 'ADD COLUMN `jobs_failed` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'jobs_missed'), NULL, 'ADD COLUMN `jobs_missed` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'di_devices'), NULL, 'ADD COLUMN `di_devices` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'hv_vms'), NULL, 'ADD COLUMN `hv_vms` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'vw_vms'), NULL, 'ADD COLUMN `vw_vms` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'm365_users'), NULL, 'ADD COLUMN `m365_users` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'ff_items'), NULL, 'ADD COLUMN `ff_items` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'other_items'), NULL, 'ADD COLUMN `other_items` INT UNSIGNED NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'storage_bytes'), NULL, 'ADD COLUMN `storage_bytes` BIGINT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'created_at'), NULL, 'ADD COLUMN `created_at` TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'profile' AND IS_NULLABLE = 'YES'), 'UPDATE `eb_client_daily` SET `profile` = '''' WHERE `profile` IS NULL', 'DO 0');

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'username' AND IS_NULLABLE = 'YES'), 'UPDATE `eb_client_daily` SET `username` = '''' WHERE `username` IS NULL', 'DO 0');

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `eb_client_daily` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `profile` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'profile' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `username` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 255), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'username' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 255 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `d` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'd' AND IS_NULLABLE = 'YES'), (SELECT CONCAT('MODIFY COLUMN `client_id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'client_id' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `devices_online` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'devices_online' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `storage_bytes` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'storage_bytes' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `created_at` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND COLUMN_NAME = 'created_at' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL)) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('d', 'profile', 'username')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME) s WHERE s.k < 3), (SELECT IF(p.k <=> 'd,profile,username', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`d`, `profile`, `username`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_client_daily` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_client_daily' GROUP BY INDEX_NAME) s WHERE s.cols = 'client_id,d'), NULL, 'ADD INDEX `idx_client_daily_client` (`client_id`, `d`)')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_runs` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_runs' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_runs` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_runs' AND COLUMN_NAME = 'command'), NULL, 'ADD COLUMN `command` VARCHAR(32) NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_runs' AND COLUMN_NAME = 'profile'), NULL, 'ADD COLUMN `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '''''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_runs' AND COLUMN_NAME = 'started_at'), NULL, 'ADD COLUMN `started_at` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_runs' AND COLUMN_NAME = 'finished_at'), NULL, 'ADD COLUMN `finished_at` BIGINT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_runs' AND COLUMN_NAME = 'result'), NULL, 'ADD COLUMN `result` VARCHAR(16) NOT NULL DEFAULT ''running'''), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_runs' AND COLUMN_NAME = 'summary'), NULL, 'ADD COLUMN `summary` TEXT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_runs' AND COLUMN_NAME = 'pid'), NULL, 'ADD COLUMN `pid` INT NOT NULL DEFAULT 0')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `eb_runs` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `profile` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_runs' AND COLUMN_NAME = 'profile' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin')), (SELECT CONCAT('MODIFY COLUMN `id` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_runs' AND COLUMN_NAME = 'id' AND IS_NULLABLE = 'YES'), (SELECT CONCAT('MODIFY COLUMN `finished_at` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_runs' AND COLUMN_NAME = 'finished_at' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `summary` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_runs' AND COLUMN_NAME = 'summary' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `command` VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_runs' AND COLUMN_NAME = 'command' AND DATA_TYPE = 'enum'), (SELECT CONCAT('MODIFY COLUMN `result` VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''running''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_runs' AND COLUMN_NAME = 'result' AND DATA_TYPE = 'enum')) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('id')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_runs' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME) s WHERE s.k < 1), (SELECT IF(p.k <=> 'id', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`id`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_runs' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_runs` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_runs' GROUP BY INDEX_NAME) s WHERE s.cols = 'command,profile,id'), NULL, 'ADD INDEX `idx_runs_command_profile` (`command`, `profile`, `id`)'), IF(EXISTS (SELECT 1 FROM (SELECT INDEX_NAME, MIN(NON_UNIQUE) AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_runs' GROUP BY INDEX_NAME) s WHERE s.cols = 'started_at'), NULL, 'ADD INDEX `idx_runs_started` (`started_at`)')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_worker_state` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_worker_state' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_worker_state` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_worker_state' AND COLUMN_NAME = 'profile'), NULL, 'ADD COLUMN `profile` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_worker_state' AND COLUMN_NAME = 'connected'), NULL, 'ADD COLUMN `connected` TINYINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_worker_state' AND COLUMN_NAME = 'since'), NULL, 'ADD COLUMN `since` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_worker_state' AND COLUMN_NAME = 'heartbeat_at'), NULL, 'ADD COLUMN `heartbeat_at` BIGINT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_worker_state' AND COLUMN_NAME = 'pid'), NULL, 'ADD COLUMN `pid` INT NOT NULL DEFAULT 0'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_worker_state' AND COLUMN_NAME = 'last_error'), NULL, 'ADD COLUMN `last_error` VARCHAR(255) NULL')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `eb_worker_state` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `profile` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_worker_state' AND COLUMN_NAME = 'profile' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `last_error` ', COLUMN_TYPE, IF(CHARACTER_SET_NAME IS NULL, '', CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME)), ' NULL') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_worker_state' AND COLUMN_NAME = 'last_error' AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL), (SELECT CONCAT('MODIFY COLUMN `last_error` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_worker_state' AND COLUMN_NAME = 'last_error' AND DATA_TYPE = 'enum')) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('profile')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_worker_state' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME) s WHERE s.k < 1), (SELECT IF(p.k <=> 'profile', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`profile`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_worker_state' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_schema_meta` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_schema_meta' AND CHARACTER_SET_NAME IN ('utf8', 'utf8mb3')), 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', NULL)) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '', 'DO 0', CONCAT('ALTER TABLE `eb_schema_meta` ', q.c)) FROM (SELECT CONCAT_WS(', ', IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_schema_meta' AND COLUMN_NAME = 'k'), NULL, 'ADD COLUMN `k` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL'), IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_schema_meta' AND COLUMN_NAME = 'v'), NULL, 'ADD COLUMN `v` VARCHAR(255) NOT NULL DEFAULT ''''')) AS c) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

SET @eb_sql = (SELECT IF(q.c = '' AND q.k = '', 'DO 0', CONCAT('ALTER TABLE `eb_schema_meta` ', CONCAT_WS(', ', NULLIF(q.c, ''), NULLIF(q.k, '')), IF(q.c = '', ', ALGORITHM=INPLACE, LOCK=NONE', ''))) FROM (SELECT CONCAT_WS(', ', (SELECT CONCAT('MODIFY COLUMN `k` VARCHAR(', GREATEST(CHARACTER_MAXIMUM_LENGTH, 64), ') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', ' NOT NULL', '') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_schema_meta' AND COLUMN_NAME = 'k' AND DATA_TYPE IN ('char', 'varchar') AND (CHARACTER_MAXIMUM_LENGTH < 64 OR COLLATION_NAME <> 'utf8mb4_bin' OR IS_NULLABLE = 'YES')), (SELECT CONCAT('MODIFY COLUMN `v` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', IF(IS_NULLABLE = 'YES', ' NULL', ' NOT NULL'), ' DEFAULT ''''') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_schema_meta' AND COLUMN_NAME = 'v' AND DATA_TYPE = 'enum')) AS c, CONCAT_WS(', ', (SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', s.INDEX_NAME, '`') SEPARATOR ', ') FROM (SELECT INDEX_NAME, SUM(COLUMN_NAME IN ('k')) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_schema_meta' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME) s WHERE s.k < 1), (SELECT IF(p.k <=> 'k', NULL, CONCAT(IF(p.k IS NULL, '', 'DROP PRIMARY KEY, '), 'ADD PRIMARY KEY (`k`)')) FROM (SELECT (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'eb_schema_meta' AND INDEX_NAME = 'PRIMARY') AS k) p)) AS k) q);

PREPARE eb_stmt FROM @eb_sql;

EXECUTE eb_stmt;

DEALLOCATE PREPARE eb_stmt;

INSERT INTO eb_jobs_hourly_counts (server_id, username, hour, status, n) SELECT server_id, username, ended_at DIV 3600, status, COUNT(*) FROM eb_jobs_recent_24h WHERE NOT EXISTS (SELECT 1 FROM eb_jobs_hourly_counts) GROUP BY server_id, username, ended_at DIV 3600, status;

INSERT INTO `eb_schema_meta` (`k`, `v`) VALUES ('schema_version', '3') ON DUPLICATE KEY UPDATE `v` = '3';
