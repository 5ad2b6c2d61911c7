-- The subset of WHMCS tables eazyBackup Console reads, in SQL that both MariaDB/MySQL and SQLite
-- accept (no ENGINE, no AUTO_INCREMENT: seeds give explicit ids; ENUMs become VARCHAR). Column names
-- and meanings follow the public WHMCS 8 schema (see shared/whmcs.md section 3.2). Used by the
-- stand-in host's installer and by the Rust integration tests: one definition for both.

CREATE TABLE IF NOT EXISTS tblclients (
  id INTEGER NOT NULL PRIMARY KEY,
  uuid VARCHAR(255) NOT NULL DEFAULT '',
  firstname TEXT NOT NULL,
  lastname TEXT NOT NULL,
  companyname TEXT NOT NULL,
  email TEXT NOT NULL,
  password TEXT NOT NULL,
  currency INT NOT NULL DEFAULT 1,
  language TEXT NOT NULL,
  datecreated DATE NOT NULL,
  groupid INT NOT NULL DEFAULT 0,
  status VARCHAR(16) NOT NULL DEFAULT 'Active'
);

-- WHMCS 8 users: a login (tblusers) reaches client accounts through tblusers_clients, as the
-- account's owner or as a sub-user with a comma-separated permission list (e.g. "profile,products").
CREATE TABLE IF NOT EXISTS tblusers (
  id INTEGER NOT NULL PRIMARY KEY,
  first_name VARCHAR(255) NOT NULL,
  last_name VARCHAR(255) NOT NULL,
  email VARCHAR(255) NOT NULL UNIQUE,
  password VARCHAR(255) NOT NULL,
  language VARCHAR(32) NOT NULL DEFAULT '',
  last_login TIMESTAMP NULL
);

CREATE TABLE IF NOT EXISTS tblusers_clients (
  id INTEGER NOT NULL PRIMARY KEY,
  auth_user_id INT NOT NULL,
  client_id INT NOT NULL,
  invite_id INT NOT NULL DEFAULT 0,
  owner TINYINT NOT NULL DEFAULT 0,
  permissions TEXT NULL,
  last_login TIMESTAMP NULL,
  UNIQUE (auth_user_id, client_id)
);
CREATE INDEX IF NOT EXISTS tblusers_clients_client_owner ON tblusers_clients (client_id, owner);

CREATE TABLE IF NOT EXISTS tblservergroups (
  id INTEGER NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  filltype INT NOT NULL DEFAULT 1
);

CREATE TABLE IF NOT EXISTS tblservers (
  id INTEGER NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  ipaddress TEXT NOT NULL,
  hostname TEXT NOT NULL,
  type TEXT NOT NULL,
  username TEXT NOT NULL,
  password TEXT NOT NULL,
  accesshash TEXT NOT NULL,
  secure TEXT NOT NULL,
  port INT NULL,
  active INT NOT NULL DEFAULT 1,
  disabled INT NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS tblservergroupsrel (
  id INTEGER NOT NULL PRIMARY KEY,
  groupid INT NOT NULL,
  serverid INT NOT NULL
);

CREATE TABLE IF NOT EXISTS tblproducts (
  id INTEGER NOT NULL PRIMARY KEY,
  type TEXT NOT NULL,
  gid INT NOT NULL DEFAULT 0,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  hidden TINYINT NOT NULL DEFAULT 0,
  paytype TEXT NOT NULL,
  servertype TEXT NOT NULL,
  servergroup INT NOT NULL DEFAULT 0,
  retired TINYINT NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS tblhosting (
  id INTEGER NOT NULL PRIMARY KEY,
  userid INT NOT NULL,
  orderid INT NOT NULL DEFAULT 0,
  packageid INT NOT NULL,
  server INT NOT NULL DEFAULT 0,
  regdate DATE NOT NULL,
  domain TEXT NOT NULL,
  paymentmethod TEXT NOT NULL,
  firstpaymentamount DECIMAL(16,2) NOT NULL DEFAULT 0.00,
  amount DECIMAL(16,2) NOT NULL DEFAULT 0.00,
  billingcycle TEXT NOT NULL,
  nextduedate DATE NULL,
  domainstatus VARCHAR(16) NOT NULL DEFAULT 'Pending',
  username TEXT NOT NULL,
  password TEXT NOT NULL,
  notes TEXT NOT NULL,
  dedicatedip TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tblhosting_userid ON tblhosting (userid);
CREATE INDEX IF NOT EXISTS tblhosting_server ON tblhosting (server);

CREATE TABLE IF NOT EXISTS tbladdonmodules (
  id INTEGER NOT NULL PRIMARY KEY,
  module TEXT NOT NULL,
  setting TEXT NOT NULL,
  value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS tblconfiguration (
  id INTEGER NOT NULL PRIMARY KEY,
  setting VARCHAR(64) NOT NULL UNIQUE,
  value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS tblcustomfields (
  id INTEGER NOT NULL PRIMARY KEY,
  type TEXT NOT NULL,
  relid INT NOT NULL DEFAULT 0,
  fieldname TEXT NOT NULL,
  fieldtype TEXT NOT NULL,
  adminonly TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS tblcustomfieldsvalues (
  id INTEGER NOT NULL PRIMARY KEY,
  fieldid INT NOT NULL,
  relid INT NOT NULL,
  value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS tblactivitylog (
  id INTEGER NOT NULL PRIMARY KEY,
  date DATETIME NOT NULL,
  description TEXT NOT NULL,
  user TEXT NOT NULL,
  userid INT NOT NULL DEFAULT 0,
  ipaddr TEXT NOT NULL
);
