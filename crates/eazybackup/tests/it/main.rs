//! One integration-test binary (linking is the slow part on 2 cores). Tests that touch a database
//! run on SQLite and on MariaDB/MySQL via `eazybackup::both_backends!` (`TEST_MYSQL_URL`, default
//! `mysql://root@127.0.0.1:3306/`; an unreachable server fails the MySQL variants).

mod config;
mod migrate;
mod whmcs_fixture;
mod worker;
mod api;
mod jobs;
mod batching;
mod servers;
mod ingest_devices;
mod ingest_profile;
mod retention;
