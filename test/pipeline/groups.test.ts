// Each stage the pipeline runs is one collapsible group of the runner's log; a front end
// without groups (the CLI) gets a header line per stage instead.
import { describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { Inputs, Redactor, type Progress, type RunnerEnv } from '@slipway/kit'
import { localBackends, parsePipelineSettings, runPipelineStage } from '@slipway/pipeline'
import { tempDir } from '../helpers/temp-dir.js'

async function runDryPipeline(progress: Progress): Promise<void> {
  const root = tempDir('pipeline-groups')
  execFileSync('git', ['init', '-q', root])
  const values: Record<string, string> = {
    version: 'v2',
    stages: 'deploy,smoke',
    'dry-run': 'true',
    strategy: 'blue-green',
    targets: 'blue=127.0.0.1:1\ngreen=127.0.0.1:2',
    'prepare-command': 'true',
    'route-command': 'true',
    'health-check': 'command',
    'health-command': 'true',
    'current-command': 'echo blue=v1:100',
    'smoke-url': 'http://127.0.0.1:1/health'
  }
  const runnerEnv: RunnerEnv = { workspace: root, runnerTemp: root, repository: 'acme/shop' }
  const settings = parsePipelineSettings(new Inputs(name => values[name]), runnerEnv, {
    token: 'unused-by-the-ledger-file'
  })
  const outcome = await runPipelineStage(settings, {
    backends: localBackends(
      { ledgerPath: join(root, 'ledger.json'), cwd: root, repository: 'local/app', runnerEnv },
      progress
    ),
    io: { secret: () => undefined, redactor: new Redactor(), variables: process.env }
  })
  expect(outcome.failure).toBeUndefined()
}

describe('the pipeline log', () => {
  test('one group per stage that runs, each stage’s lines inside its own group', async () => {
    const events: string[] = []
    let open: string | undefined
    await runDryPipeline({
      info: line => void events.push(`${open ?? '-'}: ${line}`),
      warning: line => void events.push(`${open ?? '-'}: ${line}`),
      group: async (name, fn) => {
        open = name
        events.push(`group ${name}`)
        try {
          return await fn()
        } finally {
          open = undefined
        }
      }
    })
    expect(events.filter(e => e.startsWith('group '))).toEqual(['group deploy', 'group smoke'])
    const deployLines = events.filter(e => e.includes('[deploy]'))
    expect(deployLines.length).toBeGreaterThan(0)
    expect(deployLines.every(e => e.startsWith('deploy: '))).toBe(true)
  })

  test('without groups, a header line names each stage', async () => {
    const lines: string[] = []
    await runDryPipeline({ info: l => void lines.push(l), warning: l => void lines.push(l) })
    expect(lines.filter(l => /^── \w+ ──$/.test(l))).toEqual(['── deploy ──', '── smoke ──'])
  })
})
