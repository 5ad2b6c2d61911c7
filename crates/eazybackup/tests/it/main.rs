//! One integration-test binary (linking is the slow part on 2 cores). Tests that touch a database
//! run on SQLite and on MariaDB/MySQL via `eazybackup::both_backends!` (`TEST_MYSQL_URL`, default
//! `mysql://root@127.0.0.1:3306/`; an unreachable server fails the MySQL variants).

mod abuse_limits;
mod account_api;
mod account_events;
mod activity;
mod api;
mod api_scope;
mod batching;
mod bulk_progress;
mod cli;
mod config;
mod deploy_units;
mod devices;
mod hostile_strings;
mod http;
mod ingest_devices;
mod ingest_profile;
mod item_secrets;
mod items;
mod job_counts;
mod jobs;
mod jobs_api;
mod metrics;
mod migrate;
mod monitor;
mod openapi;
mod overview;
mod poisoned_account;
mod private_files;
mod refusals;
mod restores;
mod retention;
mod rollup;
mod scoping;
mod servers;
mod shared_device_id;
mod sse;
mod status;
mod sync;
mod vaults;
mod whmcs_fixture;
mod worker;
