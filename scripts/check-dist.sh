#!/usr/bin/env bash
# Rebuilds every bundle and fails when dist/ differs from what is committed:
# users run the committed dist/, so it must be exactly what the sources build.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/build.mjs
if [ -n "$(git status --porcelain -- dist)" ]; then
  echo "dist/ is stale: rebuild with 'npm run build' and commit the result." >&2
  git status --porcelain -- dist >&2
  git diff --stat -- dist >&2 || true
  exit 1
fi
echo "dist/ is fresh."
