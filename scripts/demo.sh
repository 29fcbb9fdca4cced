#!/usr/bin/env bash
# npm run demo — the whole Slipway procedure on this machine (see examples/demo/demo.ts).
# Needs Node.js and `npm ci`; uses sqlite3 and git when present (backup/restore and release).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/tsx ]; then
  echo "Run 'npm ci' first (the demo runs TypeScript with tsx, a devDependency)." >&2
  exit 1
fi
if [ ! -f dist/pipeline/index.js ]; then
  npm run build -- pipeline
fi
exec node_modules/.bin/tsx examples/demo/demo.ts "$@"
