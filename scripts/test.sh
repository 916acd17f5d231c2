#!/usr/bin/env bash
# `npm test`: the whole suite on a clean machine. First makes sure the Debian packages the tests drive for real
# are there (Chromium for the screens, socat for serial pseudo-terminals): installed with apt when running as
# root on Debian/Ubuntu, otherwise the exact command is printed and the run stops.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v socat >/dev/null 2>&1 || missing+=(socat)
# xmllint validates the SAF-T export against the Tax Administration's schema (test/fixtures/saft/README.md).
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing test dependencies: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "The tests need these system packages: ${missing[*]}"
    if command -v apt-get >/dev/null 2>&1; then
      echo "Install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
    elif command -v dnf >/dev/null 2>&1; then
      echo "Install them with:  sudo dnf install -y ${missing[*]}"
    elif command -v brew >/dev/null 2>&1; then
      echo "Install them with:  brew install socat && brew install --cask chromium"
    else
      echo "Install them with your system's package manager, then run npm test again."
    fi
    exit 1
  fi
fi

echo "== build"; node scripts/build.mjs --if-stale
echo "== typecheck"; npm run --silent typecheck
echo "== lint"; npm run --silent lint
echo "== tests"
mkdir -p test-results
status=0
# A whole run must have kept its agents' logs for the whole-run log scan (test/global-setup.ts), so the scan can
# never pass by seeing nothing; a run filtered to some files may write no log at all.
if [ $# -eq 0 ]; then export TILL_LOG_SCAN_MIN_FILES=10; fi
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@" || status=$?
# One plain closing line that any CI reader understands.
node -e '
  const r = JSON.parse(require("fs").readFileSync("test-results/vitest.json", "utf8"));
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' || true
exit $status
