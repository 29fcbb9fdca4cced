#!/usr/bin/env node
// `slipway`: the bundled CLI (built by `node packages/cli/build.mjs`), installed as the bin of
// @slipway/cli. `slipway --version` says the version of the package it came in.
import { readFileSync } from 'node:fs'

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
process.env.SLIPWAY_CLI_VERSION ??= manifest.version
await import('../dist/index.js')
