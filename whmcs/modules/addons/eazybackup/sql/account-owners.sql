-- Which WHMCS service owns which Comet account: the one rule, read by the addon
-- (lib/Services.php) and compiled into the service (crates/eazybackup/src/db/tenancy.rs). Both wrap
-- this statement as a derived table and filter it (by client, by profile, by account); nothing else
-- may decide ownership. docs/architecture.md "Scoping" states the rule in prose.
--
-- * A service is a candidate when it is Active or Suspended on a Comet product ('comet' or
--   'cometbackup' module). Its profile is the name of the lowest-id server group that contains its
--   server: a server listed in two groups belongs to one profile, never two.
-- * Usernames match byte for byte, case and spaces included: Comet usernames are case-sensitive and
--   made of a-z A-Z 0-9 _ . @ -, so 'Alice' and 'alice' are two accounts and 'alice ' is none.
--   HEX() makes the comparison exact under MariaDB's case- and trailing-space-insensitive
--   collations (the plain `=` before it lets MariaDB use tblhosting's username index).
-- * One owner per (profile, username): an Active service outranks a Suspended one; between two of
--   the same status the lower service id wins when both belong to the same client, and nobody wins
--   when they belong to different clients (an account is left unattributed rather than shown to a
--   customer it may not belong to).
-- Ids are returned as stored (callers cast them): a filter on client_id must reach tblhosting's
-- userid index, which a CAST here would hide (a full scan of tblhosting per request).
SELECT h.id AS service_id,
       h.userid AS client_id,
       g.name AS profile,
       h.username AS username,
       h.domainstatus AS status
FROM tblhosting h
JOIN tblproducts p ON p.id = h.packageid
JOIN tblservergroups g ON g.id = (SELECT MIN(r.groupid) FROM tblservergroupsrel r WHERE r.serverid = h.server)
WHERE h.domainstatus IN ('Active', 'Suspended')
  AND p.servertype IN ('comet', 'cometbackup')
  AND TRIM(h.username) <> ''
  AND NOT EXISTS (
    SELECT 1
    FROM tblhosting h2
    JOIN tblproducts p2 ON p2.id = h2.packageid
    JOIN tblservergroups g2 ON g2.id = (SELECT MIN(r2.groupid) FROM tblservergroupsrel r2 WHERE r2.serverid = h2.server)
    WHERE h2.username = h.username
      AND HEX(h2.username) = HEX(h.username)
      AND h2.id <> h.id
      AND h2.domainstatus IN ('Active', 'Suspended')
      AND p2.servertype IN ('comet', 'cometbackup')
      AND HEX(g2.name) = HEX(g.name)
      AND (
        (h2.domainstatus = 'Active' AND h.domainstatus = 'Suspended')
        OR (h2.domainstatus = h.domainstatus AND (h2.userid <> h.userid OR h2.id < h.id))
      )
  )
