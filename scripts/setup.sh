#!/usr/bin/env bash
# Installs what the demo and the tests need, then builds. Safe to re-run: it only installs what is
# missing. Needs Rust (cargo) already installed; everything else comes from Debian and npm.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

APT_PACKAGES=(
  php8.2-cli php8.2-sqlite3 php8.2-mysql php8.2-curl php8.2-mbstring
  php-illuminate-database smarty3 smarty4
  chromium fonts-dejavu-core
  nodejs npm mariadb-client
  systemd
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node and npm may come from elsewhere than Debian (the dev machines ship their own): accept them.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if ((${#missing[@]})); then
  step "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# playwright-core (browser tests) needs Node 20 or newer; Debian 12's own nodejs is 18.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js $node_major found; the browser tests need Node 20 or newer (Debian 13 ships it)" >&2
  exit 1
fi

command -v cargo >/dev/null || { echo "setup: cargo not found: install Rust (https://rustup.rs) first" >&2; exit 1; }

for dir in frontend tests/browser whmcs-host; do
  if [ -f "$dir/package-lock.json" ] && [ ! -d "$dir/node_modules" ]; then
    step "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

step "building the Rust workspace"
cargo build --workspace --bins --quiet
