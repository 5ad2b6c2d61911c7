-- eazyBackup Console schema, version 3, for SQLite.
-- GENERATED from crates/eazybackup/src/db/schema.rs; do not edit. Regenerate with
--   cargo run -p eazybackup -- migrate --print-sql sqlite > whmcs/modules/addons/eazybackup/sql/schema.sqlite.sql
-- Columns missing from pre-existing tables are added by `eazybackup migrate` (pragma_table_info)
-- between the CREATE TABLE and CREATE INDEX statements; this file alone creates a fresh schema.
-- Splitting rule: every statement ends with a semicolon at the end of a line, no other line
-- ends with one and no statement contains one; lines starting with -- are comments. Run the
-- statements in order on one connection (session variables). Idempotent: safe to re-run.

CREATE TABLE IF NOT EXISTS "comet_devices" (
  "id" TEXT NOT NULL,
  "hash" TEXT NOT NULL DEFAULT '',
  "client_id" INTEGER NULL,
  "username" TEXT NOT NULL DEFAULT '',
  "content" TEXT NULL,
  "name" TEXT NULL,
  "platform_os" TEXT NOT NULL DEFAULT '',
  "platform_arch" TEXT NOT NULL DEFAULT '',
  "is_active" INTEGER NOT NULL DEFAULT 0,
  "created_at" TEXT NULL,
  "updated_at" TEXT NULL,
  "revoked_at" TEXT NULL,
  "offline_since" TEXT NULL,
  "profile" TEXT NOT NULL DEFAULT '',
  "online" INTEGER NOT NULL DEFAULT 0,
  "online_changed_at" INTEGER NULL,
  PRIMARY KEY ("profile", "username", "hash")
);

CREATE TABLE IF NOT EXISTS "comet_items" (
  "id" TEXT NOT NULL,
  "client_id" INTEGER NULL,
  "username" TEXT NULL,
  "content" TEXT NULL,
  "comet_device_id" TEXT NOT NULL DEFAULT '',
  "owner_device" TEXT NULL,
  "name" TEXT NOT NULL DEFAULT '',
  "type" TEXT NOT NULL DEFAULT '',
  "total_bytes" INTEGER NULL,
  "total_files" INTEGER NULL,
  "total_directories" INTEGER NULL,
  "created_at" TEXT NULL,
  "updated_at" TEXT NULL,
  "profile" TEXT NOT NULL DEFAULT '',
  PRIMARY KEY ("profile", "id")
);

CREATE TABLE IF NOT EXISTS "comet_jobs" (
  "id" TEXT NOT NULL,
  "content" TEXT NULL,
  "client_id" INTEGER NULL,
  "username" TEXT NULL,
  "comet_vault_id" TEXT NOT NULL DEFAULT '',
  "comet_device_id" TEXT NOT NULL DEFAULT '',
  "comet_item_id" TEXT NOT NULL DEFAULT '',
  "type" INTEGER NOT NULL DEFAULT 0,
  "status" INTEGER NOT NULL DEFAULT 0,
  "comet_snapshot_id" TEXT NULL,
  "comet_cancellation_id" TEXT NOT NULL DEFAULT '',
  "total_bytes" INTEGER NOT NULL DEFAULT 0,
  "total_files" INTEGER NOT NULL DEFAULT 0,
  "total_directories" INTEGER NOT NULL DEFAULT 0,
  "upload_bytes" INTEGER NOT NULL DEFAULT 0,
  "download_bytes" INTEGER NOT NULL DEFAULT 0,
  "total_ms_accounts" INTEGER NOT NULL DEFAULT 0,
  "started_at" TEXT NULL,
  "ended_at" TEXT NULL,
  "last_status_at" TEXT NULL,
  "profile" TEXT NOT NULL DEFAULT '',
  PRIMARY KEY ("profile", "id")
);

CREATE TABLE IF NOT EXISTS "comet_users" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "profile" TEXT NOT NULL DEFAULT '',
  "username" TEXT NOT NULL,
  "client_id" INTEGER NULL,
  "content" TEXT NULL,
  "account_name" TEXT NOT NULL DEFAULT '',
  "locale" TEXT NOT NULL DEFAULT '',
  "timezone" TEXT NOT NULL DEFAULT '',
  "is_suspended" INTEGER NOT NULL DEFAULT 0,
  "has_items_limit" INTEGER NOT NULL DEFAULT 0,
  "items_limit_bytes" INTEGER NOT NULL DEFAULT 0,
  "device_quota" INTEGER NOT NULL DEFAULT 0,
  "comet_policy_id" TEXT NOT NULL DEFAULT '',
  "created_at" TEXT NULL,
  "updated_at" TEXT NULL
);

CREATE TABLE IF NOT EXISTS "comet_vaults" (
  "id" TEXT NOT NULL,
  "client_id" INTEGER NULL,
  "username" TEXT NULL,
  "content" TEXT NULL,
  "name" TEXT NOT NULL DEFAULT '',
  "type" INTEGER NOT NULL DEFAULT 0,
  "total_bytes" INTEGER NULL,
  "bucket_server" TEXT NOT NULL DEFAULT '',
  "bucket_name" TEXT NOT NULL DEFAULT '',
  "bucket_key" TEXT NOT NULL DEFAULT '',
  "has_storage_limit" INTEGER NOT NULL DEFAULT 0,
  "storage_limit_bytes" INTEGER NOT NULL DEFAULT 0,
  "is_active" INTEGER NOT NULL DEFAULT 1,
  "created_at" TEXT NULL,
  "updated_at" TEXT NULL,
  "removed_at" TEXT NULL,
  "last_success_at" TEXT NULL,
  "last_error" TEXT NULL,
  "profile" TEXT NOT NULL DEFAULT '',
  PRIMARY KEY ("profile", "id")
);

CREATE TABLE IF NOT EXISTS "eb_devices_registry" (
  "server_id" TEXT NOT NULL,
  "device_id" TEXT NOT NULL,
  "username" TEXT NOT NULL DEFAULT '',
  "friendly_name" TEXT NOT NULL DEFAULT '',
  "platform_os" TEXT NOT NULL DEFAULT '',
  "platform_arch" TEXT NOT NULL DEFAULT '',
  "registered_at" INTEGER NOT NULL DEFAULT 0,
  "last_seen" INTEGER NOT NULL DEFAULT 0,
  "status" TEXT NOT NULL DEFAULT 'active',
  "updated_at" TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "online" INTEGER NOT NULL DEFAULT 0,
  "online_changed_at" INTEGER NULL,
  PRIMARY KEY ("server_id", "username", "device_id")
);

CREATE TABLE IF NOT EXISTS "eb_devices_daily" (
  "d" TEXT NOT NULL,
  "registered" INTEGER NOT NULL DEFAULT 0,
  "active_24h" INTEGER NOT NULL DEFAULT 0,
  "created_at" TEXT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY ("d")
);

CREATE TABLE IF NOT EXISTS "eb_items_daily" (
  "d" TEXT NOT NULL,
  "di_devices" INTEGER NOT NULL DEFAULT 0,
  "hv_vms" INTEGER NOT NULL DEFAULT 0,
  "vw_vms" INTEGER NOT NULL DEFAULT 0,
  "m365_users" INTEGER NOT NULL DEFAULT 0,
  "ff_items" INTEGER NOT NULL DEFAULT 0,
  "created_at" TEXT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY ("d")
);

CREATE TABLE IF NOT EXISTS "eb_event_cursor" (
  "source" TEXT NOT NULL,
  "last_ts" INTEGER NOT NULL DEFAULT 0,
  "last_id" TEXT NULL,
  "server_start_hash" TEXT NULL,
  "updated_at" INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY ("source")
);

CREATE TABLE IF NOT EXISTS "eb_jobs_live" (
  "server_id" TEXT NOT NULL,
  "job_id" TEXT NOT NULL,
  "username" TEXT NOT NULL DEFAULT '',
  "device" TEXT NOT NULL DEFAULT '',
  "job_type" TEXT NOT NULL DEFAULT '',
  "started_at" INTEGER NOT NULL DEFAULT 0,
  "bytes_done" INTEGER NOT NULL DEFAULT 0,
  "throughput_bps" INTEGER NOT NULL DEFAULT 0,
  "last_update" INTEGER NOT NULL DEFAULT 0,
  "last_bytes" INTEGER NOT NULL DEFAULT 0,
  "last_bytes_ts" INTEGER NOT NULL DEFAULT 0,
  "cancel_attempts" INTEGER NOT NULL DEFAULT 0,
  "last_checked_ts" INTEGER NOT NULL DEFAULT 0,
  "status" INTEGER NOT NULL DEFAULT 6001,
  "client_id" INTEGER NULL,
  "service_id" INTEGER NULL,
  "classification" INTEGER NOT NULL DEFAULT 0,
  "source_guid" TEXT NOT NULL DEFAULT '',
  "destination_guid" TEXT NOT NULL DEFAULT '',
  "progress_counter" INTEGER NOT NULL DEFAULT 0,
  "progress_ts" INTEGER NOT NULL DEFAULT 0,
  "items_done" INTEGER NOT NULL DEFAULT 0,
  "items_total" INTEGER NOT NULL DEFAULT 0,
  "total_bytes" INTEGER NOT NULL DEFAULT 0,
  "upload_bytes" INTEGER NOT NULL DEFAULT 0,
  "stale_observations" INTEGER NOT NULL DEFAULT 0,
  "next_action_ts" INTEGER NOT NULL DEFAULT 0,
  "action_stage" TEXT NOT NULL DEFAULT 'none',
  "last_action_error" TEXT NULL,
  PRIMARY KEY ("server_id", "job_id")
);

CREATE TABLE IF NOT EXISTS "eb_jobs_recent_24h" (
  "server_id" TEXT NOT NULL,
  "job_id" TEXT NOT NULL,
  "username" TEXT NOT NULL DEFAULT '',
  "device" TEXT NOT NULL DEFAULT '',
  "job_type" TEXT NOT NULL DEFAULT '',
  "status" TEXT NOT NULL,
  "bytes" INTEGER NOT NULL DEFAULT 0,
  "duration_sec" INTEGER NOT NULL DEFAULT 0,
  "ended_at" INTEGER NOT NULL DEFAULT 0,
  "created_at" TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "comet_status" INTEGER NOT NULL DEFAULT 0,
  "client_id" INTEGER NULL,
  "service_id" INTEGER NULL,
  "classification" INTEGER NOT NULL DEFAULT 0,
  "started_at" INTEGER NOT NULL DEFAULT 0,
  "source_guid" TEXT NOT NULL DEFAULT '',
  "destination_guid" TEXT NOT NULL DEFAULT '',
  "total_bytes" INTEGER NOT NULL DEFAULT 0,
  "upload_bytes" INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY ("server_id", "job_id")
);

CREATE TABLE IF NOT EXISTS "eb_jobs_hourly_counts" (
  "server_id" TEXT NOT NULL,
  "username" TEXT NOT NULL DEFAULT '',
  "hour" INTEGER NOT NULL,
  "status" TEXT NOT NULL,
  "n" INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY ("server_id", "username", "hour", "status")
);

CREATE TABLE IF NOT EXISTS "eb_incident_ack" (
  "client_id" INTEGER NOT NULL,
  "job_id" TEXT NOT NULL,
  "until_ts" INTEGER NOT NULL DEFAULT 0,
  "profile" TEXT NOT NULL DEFAULT '',
  PRIMARY KEY ("client_id", "profile", "job_id")
);

CREATE TABLE IF NOT EXISTS "eb_events" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "client_id" INTEGER NULL,
  "profile" TEXT NOT NULL DEFAULT '',
  "username" TEXT NOT NULL DEFAULT '',
  "kind" TEXT NOT NULL,
  "payload" TEXT NOT NULL,
  "created_at" INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS "eb_audit_log" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "client_id" INTEGER NOT NULL,
  "service_id" INTEGER NULL,
  "profile" TEXT NOT NULL DEFAULT '',
  "username" TEXT NOT NULL DEFAULT '',
  "action" TEXT NOT NULL,
  "target" TEXT NOT NULL DEFAULT '',
  "result" TEXT NOT NULL,
  "message" TEXT NULL,
  "created_at" INTEGER NOT NULL DEFAULT 0,
  "user_id" INTEGER NULL,
  "ip" TEXT NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS "eb_stream_revocations" (
  "client_id" INTEGER NOT NULL,
  "revoked_at" INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY ("client_id")
);

CREATE TABLE IF NOT EXISTS "eb_monitor_profile_state" (
  "profile" TEXT NOT NULL,
  "last_success_ts" INTEGER NOT NULL DEFAULT 0,
  "last_error_ts" INTEGER NOT NULL DEFAULT 0,
  "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
  "last_incomplete_count" INTEGER NOT NULL DEFAULT 0,
  "last_error" TEXT NULL,
  "updated_at" TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY ("profile")
);

CREATE TABLE IF NOT EXISTS "eb_client_daily" (
  "d" TEXT NOT NULL,
  "profile" TEXT NOT NULL DEFAULT '',
  "username" TEXT NOT NULL DEFAULT '',
  "client_id" INTEGER NULL,
  "devices_registered" INTEGER NOT NULL DEFAULT 0,
  "devices_active_24h" INTEGER NOT NULL DEFAULT 0,
  "devices_online" INTEGER NULL,
  "jobs_ok" INTEGER NOT NULL DEFAULT 0,
  "jobs_warning" INTEGER NOT NULL DEFAULT 0,
  "jobs_failed" INTEGER NOT NULL DEFAULT 0,
  "jobs_missed" INTEGER NOT NULL DEFAULT 0,
  "di_devices" INTEGER NOT NULL DEFAULT 0,
  "hv_vms" INTEGER NOT NULL DEFAULT 0,
  "vw_vms" INTEGER NOT NULL DEFAULT 0,
  "m365_users" INTEGER NOT NULL DEFAULT 0,
  "ff_items" INTEGER NOT NULL DEFAULT 0,
  "other_items" INTEGER NOT NULL DEFAULT 0,
  "storage_bytes" INTEGER NULL,
  "created_at" TEXT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY ("d", "profile", "username")
);

CREATE TABLE IF NOT EXISTS "eb_runs" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "command" TEXT NOT NULL,
  "profile" TEXT NOT NULL DEFAULT '',
  "started_at" INTEGER NOT NULL DEFAULT 0,
  "finished_at" INTEGER NULL,
  "result" TEXT NOT NULL DEFAULT 'running',
  "summary" TEXT NULL,
  "pid" INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS "eb_worker_state" (
  "profile" TEXT NOT NULL,
  "connected" INTEGER NOT NULL DEFAULT 0,
  "since" INTEGER NOT NULL DEFAULT 0,
  "heartbeat_at" INTEGER NOT NULL DEFAULT 0,
  "pid" INTEGER NOT NULL DEFAULT 0,
  "last_error" TEXT NULL,
  PRIMARY KEY ("profile")
);

CREATE TABLE IF NOT EXISTS "eb_schema_meta" (
  "k" TEXT NOT NULL,
  "v" TEXT NOT NULL DEFAULT '',
  PRIMARY KEY ("k")
);

CREATE INDEX IF NOT EXISTS "comet_devices__idx_devices_client" ON "comet_devices" ("client_id");

CREATE INDEX IF NOT EXISTS "comet_devices__idx_devices_user" ON "comet_devices" ("username");

CREATE INDEX IF NOT EXISTS "comet_devices__idx_devices_profile_hash" ON "comet_devices" ("profile", "hash");

CREATE INDEX IF NOT EXISTS "comet_devices__idx_devices_id" ON "comet_devices" ("id");

CREATE INDEX IF NOT EXISTS "comet_items__idx_client_user" ON "comet_items" ("client_id", "username");

CREATE INDEX IF NOT EXISTS "comet_items__idx_items_profile_user" ON "comet_items" ("profile", "username");

CREATE INDEX IF NOT EXISTS "comet_items__idx_items_owner_device" ON "comet_items" ("owner_device");

CREATE INDEX IF NOT EXISTS "comet_jobs__idx_jobs_device_status" ON "comet_jobs" ("comet_device_id", "last_status_at");

CREATE INDEX IF NOT EXISTS "comet_jobs__idx_jobs_profile_user" ON "comet_jobs" ("profile", "username");

CREATE INDEX IF NOT EXISTS "comet_jobs__idx_jobs_started_at" ON "comet_jobs" ("started_at");

CREATE INDEX IF NOT EXISTS "comet_jobs__idx_jobs_account_started" ON "comet_jobs" ("profile", "username", "started_at", "id");

CREATE INDEX IF NOT EXISTS "comet_jobs__idx_jobs_account_bytes" ON "comet_jobs" ("profile", "username", "total_bytes", "id");

CREATE INDEX IF NOT EXISTS "comet_jobs__idx_jobs_account_status" ON "comet_jobs" ("profile", "username", "status", "started_at", "id");

CREATE INDEX IF NOT EXISTS "comet_jobs__idx_jobs_account_type" ON "comet_jobs" ("profile", "username", "type", "started_at", "id");

CREATE INDEX IF NOT EXISTS "comet_jobs__idx_jobs_account_item" ON "comet_jobs" ("profile", "username", "comet_item_id", "started_at", "id");

CREATE UNIQUE INDEX IF NOT EXISTS "comet_users__uq_users_profile_username" ON "comet_users" ("profile", "username");

CREATE INDEX IF NOT EXISTS "comet_users__idx_users_client" ON "comet_users" ("client_id");

CREATE INDEX IF NOT EXISTS "comet_vaults__idx_user_vault" ON "comet_vaults" ("username", "id");

CREATE INDEX IF NOT EXISTS "comet_vaults__idx_vaults_profile_user" ON "comet_vaults" ("profile", "username");

CREATE INDEX IF NOT EXISTS "eb_devices_registry__idx_username" ON "eb_devices_registry" ("username");

CREATE INDEX IF NOT EXISTS "eb_devices_registry__idx_status" ON "eb_devices_registry" ("status");

CREATE INDEX IF NOT EXISTS "eb_devices_registry__idx_last_seen" ON "eb_devices_registry" ("last_seen");

CREATE INDEX IF NOT EXISTS "eb_devices_registry__idx_registry_device" ON "eb_devices_registry" ("server_id", "device_id");

CREATE INDEX IF NOT EXISTS "eb_jobs_live__idx_last_update" ON "eb_jobs_live" ("last_update");

CREATE INDEX IF NOT EXISTS "eb_jobs_live__idx_jobs_live_client" ON "eb_jobs_live" ("client_id");

CREATE INDEX IF NOT EXISTS "eb_jobs_live__idx_jobs_live_user" ON "eb_jobs_live" ("server_id", "username");

CREATE INDEX IF NOT EXISTS "eb_jobs_recent_24h__idx_status" ON "eb_jobs_recent_24h" ("status");

CREATE INDEX IF NOT EXISTS "eb_jobs_recent_24h__idx_ended" ON "eb_jobs_recent_24h" ("ended_at");

CREATE INDEX IF NOT EXISTS "eb_jobs_recent_24h__idx_recent_client_ended" ON "eb_jobs_recent_24h" ("client_id", "ended_at");

CREATE INDEX IF NOT EXISTS "eb_jobs_recent_24h__idx_recent_account_status_ended" ON "eb_jobs_recent_24h" ("server_id", "username", "status", "ended_at");

CREATE INDEX IF NOT EXISTS "eb_jobs_hourly_counts__idx_job_counts_hour" ON "eb_jobs_hourly_counts" ("hour");

CREATE INDEX IF NOT EXISTS "eb_incident_ack__idx_until" ON "eb_incident_ack" ("until_ts");

CREATE INDEX IF NOT EXISTS "eb_events__idx_events_client_id" ON "eb_events" ("client_id", "id");

CREATE INDEX IF NOT EXISTS "eb_events__idx_events_created" ON "eb_events" ("created_at");

CREATE INDEX IF NOT EXISTS "eb_audit_log__idx_audit_client_id" ON "eb_audit_log" ("client_id", "id");

CREATE INDEX IF NOT EXISTS "eb_audit_log__idx_audit_service" ON "eb_audit_log" ("client_id", "service_id", "id");

CREATE INDEX IF NOT EXISTS "eb_client_daily__idx_client_daily_client" ON "eb_client_daily" ("client_id", "d");

CREATE INDEX IF NOT EXISTS "eb_runs__idx_runs_command_profile" ON "eb_runs" ("command", "profile", "id");

CREATE INDEX IF NOT EXISTS "eb_runs__idx_runs_started" ON "eb_runs" ("started_at");

INSERT INTO eb_jobs_hourly_counts (server_id, username, hour, status, n) SELECT server_id, username, ended_at / 3600, status, COUNT(*) FROM eb_jobs_recent_24h WHERE NOT EXISTS (SELECT 1 FROM eb_jobs_hourly_counts) GROUP BY server_id, username, ended_at / 3600, status;

INSERT INTO "eb_schema_meta" ("k", "v") VALUES ('schema_version', '3') ON CONFLICT ("k") DO UPDATE SET "v" = excluded."v";
