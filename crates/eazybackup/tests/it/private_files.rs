//! A SQLite database the service creates holds WHMCS data: readable by its user only (0600), and
//! so are the `-wal` and `-shm` files SQLite creates beside it.

#[cfg(unix)]
#[tokio::test]
async fn a_new_sqlite_database_and_its_wal_are_private() {
    use std::os::unix::fs::PermissionsExt;

    let dir = std::env::temp_dir().join(format!("eb_t_private_{:016x}", rand::random::<u64>()));
    std::fs::create_dir(&dir).unwrap();
    let path = dir.join("whmcs.sqlite");
    let url = eazybackup::db::DbUrl::Sqlite(path.to_string_lossy().into_owned());
    let db = eazybackup::db::Db::connect(&url).await.unwrap();
    eazybackup::db::migrate::migrate(&db).await.unwrap();
    let modes: Vec<(String, u32)> = ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let file = format!("{}{suffix}", path.display());
            let mode = std::fs::metadata(&file).unwrap_or_else(|e| panic!("{file}: {e}")).permissions().mode() & 0o777;
            (file, mode)
        })
        .collect();
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    for (file, mode) in modes {
        assert_eq!(mode & 0o077, 0, "{file} is {mode:o}: no access for group or others");
    }
}
