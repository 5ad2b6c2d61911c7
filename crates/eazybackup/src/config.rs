//! Configuration from the operators' `.env` plus the process environment (placeholder: being
//! completed by the config/db work; see docs/architecture.md for the keys).

use std::collections::HashMap;

use crate::db::DbUrl;

#[derive(Debug)]
pub struct Config {
    pub db: DbUrl,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{key}: {message}")]
    Invalid { key: &'static str, message: String },
}

impl Config {
    pub fn load() -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = std::env::vars().collect();
        Config::from_map(&map)
    }

    pub fn from_map(map: &HashMap<String, String>) -> Result<Config, ConfigError> {
        let dsn = map.get("DB_DSN").ok_or(ConfigError::Invalid { key: "DB_DSN", message: "is not set".into() })?;
        let db = DbUrl::parse(dsn, map.get("DB_USER").map(String::as_str), map.get("DB_PASS").map(String::as_str))
            .map_err(|e| ConfigError::Invalid { key: "DB_DSN", message: e.to_string() })?;
        Ok(Config { db })
    }
}
