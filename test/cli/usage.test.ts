import { afterAll, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from '../helpers/run-bundle.js'
import { gitRepo, slipway } from './helpers.js'

const cwd = gitRepo()
afterAll(() => rmSync(cwd, { recursive: true, force: true }))

describe('usage and bad input', () => {
  test('the options are generated from every action.yml and are fresh', () => {
    const result = spawnSync(
      process.execPath,
      [join(repoRoot, 'packages/cli/scripts/gen-inputs.mjs'), '--check'],
      {
        encoding: 'utf8'
      }
    )
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
  })

  test('--help lists the commands and exit codes; no command is a usage error', async () => {
    const help = await slipway(['--help'], { cwd })
    expect(help.code).toBe(0)
    for (const command of [
      'preflight',
      'backup',
      'deploy',
      'smoke',
      'release',
      'rollback',
      'report',
      'pipeline'
    ])
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'))
    expect(help.stdout).toContain('2  usage')
    const none = await slipway([], { cwd })
    expect(none.code).toBe(2)
  })

  test('command help shows examples and the action inputs with defaults', async () => {
    const help = await slipway(['deploy', '--help'], { cwd })
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Examples:\n  slipway deploy --strategy blue-green')
    expect(help.stdout).toMatch(/--keep-previous [^]*?after the switch. \(default: 30m\)/)
    expect(help.stdout).toContain('Outputs (with --json): deployment-id')
    const viaHelp = await slipway(['help', 'report'], { cwd })
    expect(viaHelp.stdout).toContain('slipway report --environment production --window 30d')
  })

  test.each([
    [['deploi'], "unknown command 'deploi'"],
    [
      ['deploy', '--stratgy', 'canary'],
      "unknown option --stratgy for 'slipway deploy' (did you mean --strategy?)"
    ],
    [['smoke', '--url'], 'option --url needs a value'],
    [['smoke', 'https://x'], "unexpected argument 'https://x'"],
    [['report', '--json', '--window'], 'option --window needs a value'],
    [['smoke', '--dry-run', 'maybe'], "unexpected argument 'maybe'"]
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const run = await slipway(args, { cwd })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(message)
    expect(run.stdout).toBe('')
  })

  test.each([
    [
      ['preflight', '--tcp', '127.0.0.1:1', '--timeout', 'soon'],
      "Input 'timeout': expected a duration"
    ],
    [['deploy', '--strategy', 'sideways', '--version', '1.0.0'], "Input 'strategy'"],
    [['deploy', '--strategy', 'canary'], "Input 'version'"],
    [['report', '--window', 'forever'], "Input 'window'"],
    [
      ['smoke', '--url', 'http://127.0.0.1:1/', '--dry-run=maybe'],
      "Input 'dry-run': expected true or false"
    ]
  ])('%j is a bad value (exit 1) naming the input; nothing is written', async (args, message) => {
    const run = await slipway(args, { cwd })
    expect(run.stderr).toContain(message)
    expect(run.code).toBe(1)
    expect(existsSync(join(cwd, '.slipway', 'ledger.json'))).toBe(false)
  })

  test('--json reports a failure as JSON with the exit code', async () => {
    const run = await slipway(['deploy', '--strategy', 'canary', '--json'], { cwd })
    expect(run.code).toBe(1)
    const parsed = JSON.parse(run.stdout)
    expect(parsed).toMatchObject({ command: 'deploy', ok: false, exitCode: 1 })
    expect(parsed.error).toContain("Input 'version'")
  })
})
