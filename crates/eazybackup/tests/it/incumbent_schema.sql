-- The tables the incumbent PHP addon leaves behind: what its eazybackup_activate() creates
-- (Laravel schema builder and raw DDL), then what its eazybackup_migrate_schema() adds on the
-- same run (indexes by other names, msp_id/customer_id on the mirrors, eb_devices_registry and
-- eb_storage_daily). Written by us from the public source as MariaDB reports the result:
-- Laravel names indexes <table>_<columns>_index/_unique, `string` is VARCHAR(255), `uuid`
-- CHAR(36), `boolean` TINYINT(1), `json`/`jsonb` JSON, a `timestamp` without nullable() is NOT NULL.
-- comet_users is created nowhere in that source; its shape is the one its model class reads.
-- One statement per `;` at a line end (the tests translate it for SQLite).
CREATE TABLE comet_devices (
  id VARCHAR(255) NOT NULL,
  client_id INT NULL,
  username VARCHAR(255) NULL,
  hash VARCHAR(255) NOT NULL,
  content JSON NULL,
  name VARCHAR(255) NULL,
  platform_os VARCHAR(32) NOT NULL DEFAULT '',
  platform_arch VARCHAR(32) NOT NULL DEFAULT '',
  is_active TINYINT(1) NOT NULL DEFAULT 0,
  created_at TIMESTAMP NULL,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  revoked_at TIMESTAMP NULL,
  offline_since TIMESTAMP NULL,
  msp_id BIGINT NULL,
  customer_id BIGINT NULL,
  PRIMARY KEY (hash),
  UNIQUE KEY comet_devices_hash_client_id_unique (hash, client_id),
  KEY comet_devices_client_id_index (client_id),
  KEY comet_devices_username_index (username),
  KEY comet_devices_name_index (name),
  KEY idx_devices_client (client_id),
  KEY idx_devices_user (username),
  KEY comet_devices_msp_id_index (msp_id),
  KEY comet_devices_customer_id_index (customer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE comet_items (
  id CHAR(36) NOT NULL,
  client_id INT NOT NULL,
  username VARCHAR(255) NULL,
  content JSON NOT NULL,
  comet_device_id VARCHAR(255) NOT NULL,
  owner_device VARCHAR(255) NULL,
  name VARCHAR(255) NOT NULL,
  type VARCHAR(255) NOT NULL,
  total_bytes BIGINT NULL,
  total_files BIGINT NULL,
  total_directories BIGINT NULL,
  created_at TIMESTAMP NULL,
  updated_at TIMESTAMP NULL,
  msp_id BIGINT NULL,
  customer_id BIGINT NULL,
  PRIMARY KEY (id),
  KEY comet_items_client_id_index (client_id),
  KEY comet_items_username_index (username),
  KEY comet_items_comet_device_id_index (comet_device_id),
  KEY comet_items_owner_device_index (owner_device),
  KEY comet_items_name_index (name),
  KEY comet_items_type_index (type),
  KEY idx_client_user (client_id, username),
  KEY comet_items_msp_id_index (msp_id),
  KEY comet_items_customer_id_index (customer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE comet_jobs (
  id CHAR(36) NOT NULL,
  content JSON NOT NULL,
  client_id INT NOT NULL,
  username VARCHAR(255) NULL,
  comet_vault_id CHAR(36) NOT NULL,
  comet_device_id VARCHAR(255) NOT NULL,
  comet_item_id CHAR(36) NOT NULL,
  type SMALLINT NOT NULL,
  status SMALLINT NOT NULL,
  comet_snapshot_id VARCHAR(100) NULL,
  comet_cancellation_id VARCHAR(100) NOT NULL,
  total_bytes BIGINT NOT NULL,
  total_files BIGINT NOT NULL,
  total_directories BIGINT NOT NULL,
  upload_bytes BIGINT NOT NULL,
  download_bytes BIGINT NOT NULL,
  total_ms_accounts INT NOT NULL,
  started_at TIMESTAMP NOT NULL,
  ended_at TIMESTAMP NULL,
  last_status_at TIMESTAMP NULL,
  msp_id BIGINT NULL,
  customer_id BIGINT NULL,
  PRIMARY KEY (id),
  KEY comet_jobs_client_id_index (client_id),
  KEY comet_jobs_username_index (username),
  KEY comet_jobs_comet_vault_id_index (comet_vault_id),
  KEY comet_jobs_comet_device_id_index (comet_device_id),
  KEY comet_jobs_comet_item_id_index (comet_item_id),
  KEY comet_jobs_total_ms_accounts_index (total_ms_accounts),
  KEY comet_jobs_started_at_index (started_at),
  KEY comet_jobs_ended_at_index (ended_at),
  KEY comet_jobs_last_status_at_index (last_status_at),
  KEY comet_jobs_comet_device_id_last_status_at_index (comet_device_id, last_status_at),
  KEY comet_jobs_msp_id_index (msp_id),
  KEY comet_jobs_customer_id_index (customer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE comet_vaults (
  id CHAR(36) NOT NULL,
  client_id INT NOT NULL,
  username VARCHAR(255) NULL,
  content JSON NOT NULL,
  name VARCHAR(255) NOT NULL,
  type SMALLINT NOT NULL,
  total_bytes BIGINT NULL,
  bucket_server VARCHAR(255) NOT NULL,
  bucket_name VARCHAR(255) NOT NULL,
  bucket_key VARCHAR(255) NOT NULL,
  has_storage_limit TINYINT(1) NOT NULL,
  storage_limit_bytes BIGINT NOT NULL,
  is_active TINYINT(1) NOT NULL DEFAULT 1,
  created_at TIMESTAMP NULL,
  updated_at TIMESTAMP NULL,
  removed_at TIMESTAMP NULL,
  last_success_at TIMESTAMP NULL,
  last_error TEXT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY comet_vaults_id_unique (id),
  KEY comet_vaults_client_id_index (client_id),
  KEY comet_vaults_username_index (username),
  KEY comet_vaults_name_index (name),
  KEY comet_vaults_type_index (type),
  KEY comet_vaults_is_active_index (is_active),
  KEY comet_vaults_removed_at_index (removed_at),
  KEY idx_user_vault (username, id),
  KEY idx_vault_active (is_active)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE comet_users (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  content JSON NULL,
  user_id INT NULL,
  comet_server_id INT NULL,
  client_id INT NULL,
  account_name VARCHAR(255) NULL,
  username VARCHAR(255) NOT NULL,
  locale VARCHAR(32) NULL,
  timezone VARCHAR(64) NULL,
  is_suspended TINYINT(1) NOT NULL DEFAULT 0,
  has_items_limit TINYINT(1) NOT NULL DEFAULT 0,
  items_limit_bytes BIGINT NOT NULL DEFAULT 0,
  device_quota INT NOT NULL DEFAULT 0,
  comet_policy_id VARCHAR(64) NULL,
  created_at TIMESTAMP NULL,
  updated_at TIMESTAMP NULL,
  msp_id BIGINT NULL,
  customer_id BIGINT NULL,
  KEY comet_users_username_index (username),
  KEY comet_users_msp_id_index (msp_id),
  KEY comet_users_customer_id_index (customer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE eb_jobs_live (
  server_id        VARCHAR(64)   NOT NULL,
  job_id           VARCHAR(128)  NOT NULL,
  username         VARCHAR(255)  NOT NULL DEFAULT '',
  device           VARCHAR(255)  NOT NULL DEFAULT '',
  job_type         VARCHAR(80)   NOT NULL DEFAULT '',
  started_at       INT UNSIGNED  NOT NULL,
  bytes_done       BIGINT UNSIGNED NOT NULL DEFAULT 0,
  throughput_bps   BIGINT UNSIGNED NOT NULL DEFAULT 0,
  last_update      INT UNSIGNED    NOT NULL,
  last_bytes       BIGINT UNSIGNED NOT NULL DEFAULT 0,
  last_bytes_ts    INT UNSIGNED    NOT NULL DEFAULT 0,
  cancel_attempts  TINYINT UNSIGNED NOT NULL DEFAULT 0,
  last_checked_ts  INT UNSIGNED    NOT NULL DEFAULT 0,
  stale_observations TINYINT UNSIGNED NOT NULL DEFAULT 0,
  action_stage     VARCHAR(24) NOT NULL DEFAULT 'none',
  next_action_ts   INT UNSIGNED NOT NULL DEFAULT 0,
  last_action_error VARCHAR(255) NULL,
  PRIMARY KEY (server_id, job_id),
  KEY idx_started_at (started_at),
  KEY idx_last_update (last_update),
  KEY idx_jobs_live_reconcile (server_id, job_type, next_action_ts, last_checked_ts),
  KEY idx_username (username),
  KEY idx_jobs_live_monitor (server_id, job_type, last_checked_ts)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE eb_monitor_profile_state (
  profile VARCHAR(64) NOT NULL,
  last_success_ts INT UNSIGNED NOT NULL DEFAULT 0,
  last_error_ts INT UNSIGNED NOT NULL DEFAULT 0,
  consecutive_failures INT UNSIGNED NOT NULL DEFAULT 0,
  last_incomplete_count INT UNSIGNED NOT NULL DEFAULT 0,
  last_error VARCHAR(255) NULL,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (profile)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE eb_jobs_recent_24h (
  server_id    VARCHAR(64)   NOT NULL,
  job_id       VARCHAR(128)  NOT NULL,
  username     VARCHAR(255)  NOT NULL DEFAULT '',
  device       VARCHAR(255)  NOT NULL DEFAULT '',
  job_type     VARCHAR(80)   NOT NULL DEFAULT '',
  status       ENUM('success','error','warning','missed','skipped') NOT NULL,
  bytes        BIGINT UNSIGNED NOT NULL DEFAULT 0,
  duration_sec INT UNSIGNED    NOT NULL DEFAULT 0,
  ended_at     INT UNSIGNED    NOT NULL,
  created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (server_id, job_id),
  KEY idx_ended_at (ended_at),
  KEY idx_status (status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE eb_event_cursor (
  source   VARCHAR(64)  PRIMARY KEY,
  last_ts  INT UNSIGNED NOT NULL DEFAULT 0,
  last_id  VARCHAR(128) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE eb_devices_daily (
  d           DATE PRIMARY KEY,
  registered  INT NOT NULL,
  active_24h  INT NOT NULL,
  created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE eb_devices_client_daily (
  d           DATE NOT NULL,
  client_id   INT NOT NULL,
  registered  INT NOT NULL DEFAULT 0,
  online      INT NOT NULL DEFAULT 0,
  updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (d, client_id),
  KEY idx_client (client_id),
  KEY idx_d (d)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE eb_items_daily (
  d           DATE PRIMARY KEY,
  di_devices  INT NOT NULL,
  hv_vms      INT NOT NULL,
  vw_vms      INT NOT NULL,
  m365_users  INT NOT NULL,
  ff_items    INT NOT NULL,
  created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE eb_device_groups (
  id BIGINT NOT NULL PRIMARY KEY,
  client_id INT NOT NULL,
  name VARCHAR(191) NOT NULL,
  name_norm VARCHAR(191) NOT NULL,
  color VARCHAR(32) NULL,
  icon VARCHAR(32) NULL,
  sort_order INT NOT NULL DEFAULT 0,
  created_at TIMESTAMP NULL,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE KEY uniq_client_group_name (client_id, name_norm),
  KEY eb_device_groups_client_id_index (client_id),
  KEY eb_device_groups_sort_order_index (sort_order)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE eb_device_group_assignments (
  client_id INT NOT NULL,
  device_id VARCHAR(255) NOT NULL,
  group_id BIGINT UNSIGNED NULL,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (client_id, device_id),
  KEY eb_device_group_assignments_client_id_index (client_id),
  KEY eb_device_group_assignments_group_id_index (group_id),
  KEY idx_client_group (client_id, group_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE eb_devices_registry (
  server_id VARCHAR(64) NOT NULL,
  device_id VARCHAR(128) NOT NULL,
  username VARCHAR(255) NOT NULL DEFAULT '',
  friendly_name VARCHAR(255) NOT NULL DEFAULT '',
  platform_os VARCHAR(32) NOT NULL DEFAULT '',
  platform_arch VARCHAR(32) NOT NULL DEFAULT '',
  registered_at INT UNSIGNED NOT NULL,
  last_seen INT UNSIGNED NOT NULL DEFAULT 0,
  status VARCHAR(16) NOT NULL DEFAULT 'active',
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (server_id, device_id),
  KEY idx_username (username),
  KEY idx_status (status),
  KEY idx_last_seen (last_seen)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE eb_storage_daily (
  d DATE NOT NULL,
  client_id INT NOT NULL DEFAULT 0,
  username VARCHAR(255) NOT NULL,
  bytes_total BIGINT UNSIGNED NOT NULL DEFAULT 0,
  bytes_t1000 BIGINT UNSIGNED NOT NULL DEFAULT 0,
  bytes_t1003 BIGINT UNSIGNED NOT NULL DEFAULT 0,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (d, client_id, username),
  KEY idx_client (client_id),
  KEY idx_username (username),
  KEY idx_date (d)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
