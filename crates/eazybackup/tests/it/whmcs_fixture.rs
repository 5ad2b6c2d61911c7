//! WHMCS rows the integration tests stand on: two clients, each with one Comet service per profile.

use eazybackup::db::Db;
use eazybackup::with_pool;

pub struct ServiceRow {
    pub service_id: i64,
    pub client_id: i64,
    pub profile: &'static str,
    pub username: &'static str,
    pub status: &'static str,
}

/// Creates the WHMCS subset tables and the given services (clients, servers, groups and the product
/// are derived from them).
pub async fn seed(db: &Db, services: &[ServiceRow]) {
    eazybackup::testkit::load_whmcs_subset(db).await.expect("WHMCS subset schema");
    let mut profiles: Vec<&str> = services.iter().map(|s| s.profile).collect();
    profiles.sort();
    profiles.dedup();
    let mut clients: Vec<i64> = services.iter().map(|s| s.client_id).collect();
    clients.sort();
    clients.dedup();
    with_pool!(db, pool => {
        for (i, profile) in profiles.iter().enumerate() {
            let id = i as i64 + 1;
            sqlx::query("INSERT INTO tblservergroups (id, name, filltype) VALUES (?, ?, 1)").bind(id).bind(*profile).execute(pool).await.unwrap();
            sqlx::query("INSERT INTO tblservers (id, name, ipaddress, hostname, type, username, password, accesshash, secure, port, active, disabled) VALUES (?, ?, '', '127.0.0.1', 'comet', 'admin', '', '', '', 8060, 1, 0)")
                .bind(id).bind(format!("Comet {profile}")).execute(pool).await.unwrap();
            sqlx::query("INSERT INTO tblservergroupsrel (id, groupid, serverid) VALUES (?, ?, ?)").bind(id).bind(id).bind(id).execute(pool).await.unwrap();
        }
        sqlx::query("INSERT INTO tblproducts (id, type, gid, name, description, hidden, paytype, servertype, servergroup, retired) VALUES (1, 'other', 1, 'Cloud Backup', '', 0, 'recurring', 'comet', 1, 0)")
            .execute(pool).await.unwrap();
        for c in &clients {
            sqlx::query("INSERT INTO tblclients (id, uuid, firstname, lastname, companyname, email, password, currency, language, datecreated, groupid, status) VALUES (?, '', 'Test', 'Client', '', ?, '', 1, '', '2026-01-01', 0, 'Active')")
                .bind(*c).bind(format!("client{c}@example.com")).execute(pool).await.unwrap();
        }
        for s in services {
            let server = profiles.iter().position(|p| *p == s.profile).unwrap() as i64 + 1;
            sqlx::query("INSERT INTO tblhosting (id, userid, orderid, packageid, server, regdate, domain, paymentmethod, billingcycle, domainstatus, username, password, notes, dedicatedip) VALUES (?, ?, 0, 1, ?, '2026-01-01', '', 'banktransfer', 'Monthly', ?, ?, '', '', '')")
                .bind(s.service_id).bind(s.client_id).bind(server).bind(s.status).bind(s.username).execute(pool).await.unwrap();
        }
    });
}
