#!/usr/bin/env bash
# Rebuilds every bundle and fails when dist/ differs from what is committed:
# users run the committed dist/, so it must be exactly what the sources build.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/build.mjs
node packages/cli/build.mjs
if [ -n "$(git status --porcelain -- dist packages/cli/dist packages/cli/src/action-inputs.ts)" ]; then
  echo "dist/ is stale: rebuild with 'npm run build && npm run build:cli' and commit the result." >&2
  git status --porcelain -- dist packages/cli/dist packages/cli/src/action-inputs.ts >&2
  git diff --stat -- dist packages/cli/dist >&2 || true
  exit 1
fi
echo "dist/ is fresh."
