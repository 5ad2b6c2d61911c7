#!/usr/bin/env bash
# The whole test suite: Rust (unit + integration, on SQLite AND MariaDB), PHP (addon, templates under
# real Smarty 3 and 4, stand-in host), the committed CSS is what the build produces, and the browser
# end-to-end tests in headless Chromium. MariaDB must be reachable (TEST_MYSQL_URL, default
# mysql://root@127.0.0.1:3306/): without it this fails, it never skips.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh || { echo "test: setup failed" >&2; exit 1; }

export TEST_MYSQL_URL="${TEST_MYSQL_URL:-mysql://root@127.0.0.1:3306/}"
passed=0; failed=0; failures=()
suite() { # name, command...
  local name=$1; shift
  printf '\n==> suite: %s\n' "$name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}

mariadb_reachable() {
  local hostport=${TEST_MYSQL_URL#mysql://}; hostport=${hostport#*@}; hostport=${hostport%%/*}
  local host=${hostport%%:*} port=${hostport##*:}
  [ "$port" = "$hostport" ] && port=3306
  if ! (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
    echo "MariaDB is not reachable at $host:$port (TEST_MYSQL_URL). The MySQL half of the suite needs it." >&2
    return 1
  fi
}

css_is_current() {
  [ -f frontend/package.json ] || { echo "frontend/package.json missing" >&2; return 1; }
  (cd frontend && npm run --silent build) >/dev/null || return 1
  git diff --exit-code --stat -- whmcs/modules/addons/eazybackup/templates/assets/css/ ||
    { echo "the committed CSS differs from the build: run (cd frontend && npm run build) and commit" >&2; return 1; }
}

rust_lint() {
  cargo fmt --all -- --check || { echo "run: cargo fmt --all" >&2; return 1; }
  cargo clippy --workspace --all-targets --quiet -- -D warnings
}

suite mariadb mariadb_reachable
suite lint rust_lint
suite rust cargo test --workspace --quiet
suite php php tests/php/run.php
suite css css_is_current
suite browser node --test --test-concurrency=1 tests/browser/

echo
if ((failed)); then echo "failed suites: ${failures[*]}"; fi
echo "suites: $passed passed, $failed failed"
((failed == 0))
