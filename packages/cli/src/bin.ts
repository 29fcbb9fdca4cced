import { runCli } from './run.js'

// The bundle's entry point (packages/cli/dist/index.js): exit with the command's code.
process.exitCode = await runCli(process.argv.slice(2), { version: process.env.SLIPWAY_CLI_VERSION })
