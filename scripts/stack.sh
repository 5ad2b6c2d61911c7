#!/usr/bin/env bash
# Starts or stops the whole local stack: one comet-sim per Comet profile of demo/fleet.json, the
# eazybackup worker per profile, `eazybackup serve`, and the WHMCS stand-in host, on an SQLite file
# (or DB_DSN if set). Used by scripts/demo.sh and by the browser tests, with different ports.
#
#   scripts/stack.sh up         start everything, wait until it answers, print the URL
#   scripts/stack.sh down       stop what `up` started
#   scripts/stack.sh write-env  only write $STACK_DIR/.env (with a fresh API secret)
#
# Settings (environment): STACK_DIR (default var/demo), WEB_PORT (8080), API_PORT (8090),
# SIM_PORT_eazybackup (8060), SIM_PORT_obc (8061), SIM_TIME_ARGS (extra comet-sim flags),
# EB_DEPLOYMENT_MODE (proxied | direct; the addon's deployment_mode, default proxied),
# DB_DSN (default SQLite in STACK_DIR; a mysql://user[:pass]@host:port/db URL of an existing,
# empty database runs everything on MariaDB).
set -euo pipefail
# The stack's .env holds the API secret and Comet admin passwords, its database the WHMCS data:
# everything it writes is for this user only (files 0600, directories 0700).
umask 077
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

STACK_DIR="$(mkdir -p "${STACK_DIR:-var/demo}" && cd "${STACK_DIR:-var/demo}" && pwd)"
chmod 700 "$STACK_DIR"
WEB_PORT="${WEB_PORT:-8080}"
API_PORT="${API_PORT:-8090}"
BIN="$ROOT/target/debug"
FLEET="$ROOT/demo/fleet.json"
PROFILES=$(php -r '$f=json_decode(file_get_contents($argv[1]),true); echo implode(" ", array_keys($f["profiles"]));' "$FLEET")

fleet() { php -r '$f=json_decode(file_get_contents($argv[1]),true); echo $f["profiles"][$argv[2]][$argv[3]];' "$FLEET" "$1" "$2"; }
sim_port() { local v="SIM_PORT_$1"; local d; d=$(fleet "$1" listen); echo "${!v:-${d##*:}}"; }

start() { # name, command...
  # Each process leads its own process group, so `down` also stops what it forks (php -S
  # workers outlive their parent otherwise).
  local name=$1; shift
  setsid "$@" >"$STACK_DIR/logs/$name.log" 2>&1 < /dev/null &
  echo $! >"$STACK_DIR/pids/$name.pid"
}

port_free() { # port, what
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    echo "stack: port $1 ($2) is already in use; stop what holds it (scripts/stack.sh down, or another demo) and retry" >&2
    return 1
  fi
}

wait_http() { # url, what
  for _ in $(seq 1 100); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "stack: $2 did not answer at $1; see $STACK_DIR/logs/" >&2
  return 1
}

down() {
  [ -d "$STACK_DIR/pids" ] || return 0
  local pids=()
  for f in "$STACK_DIR"/pids/*.pid; do
    [ -e "$f" ] || continue
    local pid; pid=$(cat "$f")
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    pids+=("$pid")
    rm -f "$f"
  done
  # Wait for the groups to be gone (graceful shutdowns take a moment), then insist.
  for _ in $(seq 1 50); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
    ((alive)) || return 0
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
}

write_env() {
  local secret=$1
  {
    echo "# Written by scripts/stack.sh for the local stack. Not for production."
    echo "DB_DSN=\"${DB_DSN:-sqlite://$STACK_DIR/whmcs.sqlite}\""
    echo "EB_API_SECRET=\"$secret\""
    echo "EB_API_LISTEN=\"127.0.0.1:$API_PORT\""
    echo "EB_API_CORS_ORIGINS=\"http://127.0.0.1:$WEB_PORT\""
    for p in $PROFILES; do
      local port; port=$(sim_port "$p")
      echo "COMET_${p}_NAME=\"$p\""
      echo "COMET_${p}_URL=\"ws://127.0.0.1:$port/api/v1/events/stream\""
      echo "COMET_${p}_ORIGIN=\"http://127.0.0.1:$port\""
      echo "COMET_${p}_USERNAME=\"$(fleet "$p" admin_username)\""
      echo "COMET_${p}_AUTHTYPE=\"Password\""
      echo "COMET_${p}_PASSWORD=\"$(fleet "$p" admin_password)\""
    done
  } >"$STACK_DIR/.env"
  # An .env left by an older run keeps its mode when overwritten.
  chmod 600 "$STACK_DIR/.env"
}

# The stand-in's PDO settings for the same database the Rust side uses (DB_DSN URL form).
export_whmcs_db() { # dsn
  case "$1" in
    sqlite://*) export WHMCS_DB_DSN="sqlite:${1#sqlite://}" ;;
    mysql://*)
      php -r '$u = parse_url($argv[1]);
        printf("%s\n%s\n%s\n", sprintf("mysql:host=%s;port=%d;dbname=%s", $u["host"], $u["port"] ?? 3306, ltrim($u["path"], "/")),
          urldecode($u["user"] ?? "root"), urldecode($u["pass"] ?? ""));' "$1" >"$STACK_DIR/whmcs-db"
      { read -r WHMCS_DB_DSN; read -r WHMCS_DB_USER; read -r WHMCS_DB_PASS || true; } <"$STACK_DIR/whmcs-db"
      rm -f "$STACK_DIR/whmcs-db"
      export WHMCS_DB_DSN WHMCS_DB_USER WHMCS_DB_PASS ;;
    *) echo "stack: DB_DSN must be sqlite://… or mysql://…" >&2; exit 1 ;;
  esac
}

new_secret() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

up() {
  down
  mkdir -p "$STACK_DIR/logs" "$STACK_DIR/pids"
  port_free "$WEB_PORT" "WHMCS stand-in" && port_free "$API_PORT" "customer API" || exit 1
  for p in $PROFILES; do port_free "$(sim_port "$p")" "comet-sim $p" || exit 1; done
  rm -f "$STACK_DIR"/whmcs.sqlite*
  local secret; secret=$(new_secret)
  write_env "$secret"
  export EB_ENV_FILE="$STACK_DIR/.env"

  "$BIN/eazybackup" migrate >"$STACK_DIR/logs/migrate.log" 2>&1 || { cat "$STACK_DIR/logs/migrate.log" >&2; exit 1; }

  for p in $PROFILES; do
    local port; port=$(sim_port "$p")
    # shellcheck disable=SC2086
    start "sim-$p" "$BIN/comet-sim" --listen "127.0.0.1:$port" --fleet-json "$FLEET" --profile "$p" \
      --admin-user "$(fleet "$p" admin_username)" --admin-pass "$(fleet "$p" admin_password)" ${SIM_TIME_ARGS:-}
  done
  for p in $PROFILES; do wait_http "http://127.0.0.1:$(sim_port "$p")/__sim/state" "comet-sim ($p)"; done

  export_whmcs_db "${DB_DSN:-sqlite://$STACK_DIR/whmcs.sqlite}"
  export EB_DEPLOYMENT_MODE="${EB_DEPLOYMENT_MODE:-proxied}"
  export EB_API_URL="http://127.0.0.1:$API_PORT" EB_API_INTERNAL_URL="http://127.0.0.1:$API_PORT" EB_API_SECRET="$secret"
  export EB_SIM_PORTS="$(for p in $PROFILES; do printf '%s=%s,' "$p" "$(sim_port "$p")"; done)"
  php whmcs-host/bin/install.php >"$STACK_DIR/logs/install.log" 2>&1 || { cat "$STACK_DIR/logs/install.log" >&2; exit 1; }

  # The workers read the Comet admin credentials from WHMCS's server rows (decrypted by the
  # addon's PHP helper), as in production; the .env block is only the fallback.
  for p in $PROFILES; do
    EB_WHMCS_ROOT="$ROOT/whmcs-host/root" EB_LOCK_DIR="$STACK_DIR/run" start "worker-$p" "$BIN/eazybackup" worker --profile "$p"
  done
  start api "$BIN/eazybackup" serve
  wait_http "http://127.0.0.1:$API_PORT/api/v1/health" "eazybackup serve"
  PHP_CLI_SERVER_WORKERS=16 start web php -S "127.0.0.1:$WEB_PORT" -t whmcs-host/root whmcs-host/router.php
  wait_http "http://127.0.0.1:$WEB_PORT/login.php" "the WHMCS stand-in"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  write-env) write_env "$(new_secret)" ;;
  *) echo "usage: scripts/stack.sh up|down|write-env" >&2; exit 2 ;;
esac
