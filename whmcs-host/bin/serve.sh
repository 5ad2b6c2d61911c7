#!/bin/sh
# Serve the WHMCS stand-in (client area at http://$WHMCS_LISTEN/index.php?m=eazybackup).
# Env: WHMCS_LISTEN (default 127.0.0.1:8080), WHMCS_DB_DSN/WHMCS_DB_USER/WHMCS_DB_PASS (default
# SQLite whmcs-host/var/whmcs.sqlite), WHMCS_SMARTY=4 to render with Smarty 4,
# WHMCS_STANDIN_TEST_LOGIN=1 to enable dologin-test.php?uid=N (tests/screenshots only).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
export PHP_CLI_SERVER_WORKERS="${PHP_CLI_SERVER_WORKERS:-4}"
exec php -S "${WHMCS_LISTEN:-127.0.0.1:8080}" -t "$here/root" "$here/router.php"
