#!/usr/bin/env bash
# The whole test procedure: the README's test command and what .ci/run calls.
# Static checks first (fast, and they explain most failures), then a fresh build,
# then every test against real services that the tests start themselves.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

# The Node that runs everything below (.ci/run puts Node 24, the actions' runtime, first on PATH).
echo "Node $(node --version) from $(command -v node)"

step 'Type-check'
npx tsc --noEmit -p tsconfig.json

step 'Lint and format'
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --check .; exit 1; }

step 'Build every action bundle and check dist/ is fresh'
bash scripts/check-dist.sh

step 'Action READMEs match action.yml'
node scripts/docs.mjs --check

step 'Tests'
mkdir -p .tmp
status=0
NODE_OPTIONS=--experimental-vm-modules npx jest --ci --json --outputFile=.tmp/jest-results.json "$@" || status=$?
# One plain closing line, so any CI reader can count the results.
node -e '
  const r = JSON.parse(require("fs").readFileSync(".tmp/jest-results.json", "utf8"))
  console.log(`\nslipway: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`)
' || true
exit "$status"
