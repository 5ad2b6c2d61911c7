#!/usr/bin/env bash
# The demo in one command: install what is missing, build, start the Comet simulators, the workers,
# the API and the WHMCS stand-in on a fresh SQLite database with seeded data, and print where to go.
# Ctrl-C stops everything.
set -euo pipefail
# The demo's .env (API secret, Comet admin passwords) and database are this user's only.
umask 077
cd "$(dirname "$0")/.."

scripts/setup.sh
export STACK_DIR="${STACK_DIR:-var/demo}"
trap 'scripts/stack.sh down; exit 0' INT TERM
scripts/stack.sh up

cat <<EOM

  eazyBackup Console demo is running.

    Open:      http://127.0.0.1:${WEB_PORT:-8080}/index.php?m=eazybackup
    Log in as: alice@example.com / demo-alice   (or bob@example.com / demo-bob)

  Comet simulators: http://127.0.0.1:8060 (eazybackup), http://127.0.0.1:8061 (obc)
  Customer API:     http://127.0.0.1:${API_PORT:-8090}/api/v1/health
  Logs:             $STACK_DIR/logs/      Press Ctrl-C to stop.
EOM

# Sleep in the background and wait for it: bash runs a trap only once a foreground command has
# returned, so a SIGTERM sent to this script alone (not its whole group, as Ctrl-C does) would
# otherwise wait out the sleep.
while :; do sleep 3600 & wait $!; done
