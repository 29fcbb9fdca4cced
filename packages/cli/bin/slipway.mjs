#!/usr/bin/env node
// `npx slipway`: the bundled CLI (built by `node packages/cli/build.mjs`).
import '../dist/index.js'
