//! `DB_DSN` as operators write it: PDO style (`mysql:host=…;dbname=…`, with `DB_USER`/`DB_PASS`)
//! or a URL (`mysql://user:pass@host:port/db`, `sqlite://path`).

use sqlx::mysql::MySqlConnectOptions;

#[derive(Clone)]
pub enum DbUrl {
    MySql(Box<MySqlConnectOptions>),
    /// Path of the SQLite file (`:memory:` is not offered: each pooled connection would see its own).
    Sqlite(String),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DsnError {
    #[error("DB_DSN is empty")]
    Empty,
    #[error("DB_DSN: unsupported driver `{0}` (expected mysql or sqlite)")]
    Driver(String),
    #[error("DB_DSN: {0}")]
    Malformed(String),
}

impl DbUrl {
    /// Parses a DSN; `user`/`pass` (from `DB_USER`/`DB_PASS`) fill what a PDO DSN cannot carry and
    /// never override credentials written into a URL.
    pub fn parse(dsn: &str, user: Option<&str>, pass: Option<&str>) -> Result<DbUrl, DsnError> {
        let dsn = dsn.trim();
        if dsn.is_empty() {
            return Err(DsnError::Empty);
        }
        if let Some(rest) = dsn.strip_prefix("sqlite://").or_else(|| dsn.strip_prefix("sqlite:")) {
            if rest.is_empty() {
                return Err(DsnError::Malformed("sqlite DSN has no file path".into()));
            }
            return Ok(DbUrl::Sqlite(rest.to_string()));
        }
        if dsn.starts_with("mysql://") || dsn.starts_with("mariadb://") {
            return parse_mysql_url(dsn, user, pass);
        }
        if let Some(rest) = dsn.strip_prefix("mysql:") {
            return parse_pdo_mysql(rest, user, pass);
        }
        let driver = dsn.split(':').next().unwrap_or(dsn).to_string();
        Err(DsnError::Driver(driver))
    }

    /// A description safe for logs and error messages: never the password.
    pub fn redacted(&self) -> String {
        match self {
            DbUrl::Sqlite(p) => format!("sqlite://{p}"),
            DbUrl::MySql(o) => {
                format!("mysql://{}@{}:{}/{}", o.get_username(), o.get_host(), o.get_port(), o.get_database().unwrap_or(""))
            }
        }
    }
}

impl std::fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

fn parse_mysql_url(dsn: &str, user: Option<&str>, pass: Option<&str>) -> Result<DbUrl, DsnError> {
    let url = url::Url::parse(&dsn.replacen("mariadb://", "mysql://", 1)).map_err(|e| DsnError::Malformed(e.to_string()))?;
    let host = url.host_str().filter(|h| !h.is_empty()).ok_or_else(|| DsnError::Malformed("no host".into()))?;
    let db = url.path().trim_start_matches('/');
    if db.is_empty() {
        return Err(DsnError::Malformed("no database name in the URL path".into()));
    }
    let username = if url.username().is_empty() { user.unwrap_or("root").to_string() } else { decode(url.username()) };
    let password = match url.password() {
        Some(p) => Some(decode(p)),
        None => pass.map(str::to_string),
    };
    let mut opts = MySqlConnectOptions::new().host(host).database(db).username(&username).charset("utf8mb4");
    if let Some(port) = url.port() {
        opts = opts.port(port);
    }
    if let Some(p) = password.filter(|p| !p.is_empty()) {
        opts = opts.password(&p);
    }
    Ok(DbUrl::MySql(Box::new(opts)))
}

fn decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned()).unwrap_or_default()
}

fn parse_pdo_mysql(rest: &str, user: Option<&str>, pass: Option<&str>) -> Result<DbUrl, DsnError> {
    let mut opts = MySqlConnectOptions::new().charset("utf8mb4");
    let mut have_db = false;
    let mut have_host = false;
    for part in rest.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').ok_or_else(|| DsnError::Malformed(format!("`{part}` is not key=value")))?;
        let v = v.trim();
        match k.trim().to_ascii_lowercase().as_str() {
            // As in PHP, `localhost` means the local socket; sqlx then uses its default socket lookup
            // only when told, so keep TCP unless a unix_socket is named.
            "host" => {
                opts = opts.host(v);
                have_host = true;
            }
            "port" => {
                let port = v.parse().map_err(|_| DsnError::Malformed(format!("port `{v}` is not a number")))?;
                opts = opts.port(port);
            }
            "dbname" => {
                opts = opts.database(v);
                have_db = true;
            }
            "unix_socket" => {
                opts = opts.socket(v);
                have_host = true;
            }
            "charset" => opts = opts.charset(v),
            other => return Err(DsnError::Malformed(format!("unknown PDO DSN key `{other}`"))),
        }
    }
    if !have_host {
        return Err(DsnError::Malformed("PDO DSN has no host".into()));
    }
    if !have_db {
        return Err(DsnError::Malformed("PDO DSN has no dbname".into()));
    }
    opts = opts.username(user.unwrap_or("root"));
    if let Some(p) = pass.filter(|p| !p.is_empty()) {
        opts = opts.password(p);
    }
    Ok(DbUrl::MySql(Box::new(opts)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdo_style_with_user_and_pass() {
        let u = DbUrl::parse("mysql:host=127.0.0.1;dbname=whmcs;charset=utf8mb4", Some("whmcs"), Some("s3cret")).unwrap();
        assert_eq!(u.redacted(), "mysql://whmcs@127.0.0.1:3306/whmcs");
        assert!(!format!("{u:?}").contains("s3cret"));
    }

    #[test]
    fn url_style_and_sqlite() {
        let u = DbUrl::parse("mysql://eb:pw@db.local:3307/whmcs", None, None).unwrap();
        assert_eq!(u.redacted(), "mysql://eb@db.local:3307/whmcs");
        assert!(
            matches!(DbUrl::parse("sqlite://var/demo.sqlite", None, None).unwrap(), DbUrl::Sqlite(p) if p == "var/demo.sqlite")
        );
    }

    #[test]
    fn bad_dsns_name_the_problem() {
        assert_eq!(DbUrl::parse("", None, None).unwrap_err(), DsnError::Empty);
        assert_eq!(DbUrl::parse("pgsql:host=x", None, None).unwrap_err(), DsnError::Driver("pgsql".into()));
        assert!(matches!(DbUrl::parse("mysql:host=x", None, None).unwrap_err(), DsnError::Malformed(m) if m.contains("dbname")));
        assert!(
            matches!(DbUrl::parse("mysql:host=x;dbname=y;port=abc", None, None).unwrap_err(), DsnError::Malformed(m) if m.contains("port"))
        );
    }
}
