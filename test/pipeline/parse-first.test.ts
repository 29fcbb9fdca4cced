import { describe, expect, test } from '@jest/globals'
import { InputError, Inputs, type RunnerEnv } from '@slipway/kit'
import { parsePipelineSettings } from '@slipway/pipeline'
import { tmpdir } from 'node:os'

const runnerEnv: RunnerEnv = { workspace: tmpdir(), runnerTemp: tmpdir(), repository: 'acme/shop' }

/** The all-in-one action's inputs: backup, deploy and release requested by name. */
function pipelineInputs(prerelease: string): Inputs {
  const values: Record<string, string> = {
    version: 'v1.2.0',
    stages: 'backup,deploy,release',
    'database-url': 'sqlite:///srv/app.db',
    'backup-path': '/var/backups/app',
    strategy: 'blue-green',
    'prepare-command': 'true',
    'route-command': 'true',
    'health-command': 'true',
    prerelease
  }
  return new Inputs(name => values[name])
}

describe('parsePipelineSettings', () => {
  test('parses every stage that will run before any runs', () => {
    const settings = parsePipelineSettings(pipelineInputs('rc'), runnerEnv, { token: 't0ken' })
    expect(Object.keys(settings.stages).sort()).toEqual(['backup', 'deploy', 'release'])
    expect(settings.stages.release?.prerelease).toBe('rc')
    expect(settings.secrets).toContain('t0ken')
  })

  test('a bad input in the release section fails before the backup starts', () => {
    let thrown: unknown
    try {
      parsePipelineSettings(pipelineInputs('not valid!'), runnerEnv, { token: 't0ken' })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(InputError)
    expect((thrown as InputError).message).toContain('prerelease')
  })
})
