//! One integration-test binary (linking is the slow part on 2 cores). Tests that touch a database
//! run on SQLite and on MariaDB/MySQL via `eazybackup::both_backends!` (`TEST_MYSQL_URL`, default
//! `mysql://root@127.0.0.1:3306/`; an unreachable server fails the MySQL variants).

mod abuse_limits;
mod account_events;
mod activity;
mod api;
mod api_scope;
mod batching;
mod cli;
mod config;
mod deploy_units;
mod hostile_strings;
mod http;
mod ingest_devices;
mod ingest_profile;
mod item_secrets;
mod items;
mod jobs;
mod migrate;
mod monitor;
mod openapi;
mod overview;
mod poisoned_account;
mod private_files;
mod refusals;
mod retention;
mod scoping;
mod servers;
mod shared_device_id;
mod sse;
mod sync;
mod whmcs_fixture;
mod worker;
