import { describe, expect, test } from '@jest/globals'
import { join } from 'node:path'
import { InputError, Inputs, Redactor, UserError } from '@slipway/kit'
import {
  STAGE_REGISTRY,
  localBackends,
  runPipeline,
  runRegisteredStage,
  StageFailure,
  type AnyStage,
  type Plan,
  type SettingsOf,
  type StageDefinition
} from '@slipway/pipeline'
import { failedForUser, noteUserFailure, pipelineError } from '@slipway/pipeline'
import { tempDir } from '../helpers/temp-dir.js'

const deployOnly: Plan = {
  preflight: { run: false },
  backup: { run: false },
  deploy: { run: true },
  smoke: { run: false },
  release: { run: false }
}

/** Runs a pipeline whose deploy throws `deployError` and whose rollback throws `rollbackError`. */
async function pipelineFailing(deployError: Error, rollbackError?: Error) {
  const userFixable = new Set<AnyStage>()
  const result = await runPipeline({
    plan: deployOnly,
    runStage: stage =>
      noteUserFailure(stage, userFixable, async () => {
        if (stage === 'deploy') throw deployError
        if (rollbackError) throw rollbackError
        return { outputs: { 'rolled-back-to': 'v1.1.0' }, summary: '' }
      }),
    shouldRollBack: () => true
  })
  return pipelineError(result, userFixable)
}

describe('the pipeline step fails', () => {
  test('with a UserError, message unchanged, when the deploy failed a gate and was rolled back', async () => {
    const error = await pipelineFailing(new UserError('health gate failed on green'))
    expect(error).toBeInstanceOf(UserError)
    expect(error?.message).toBe(
      'deploy failed (health gate failed on green); rolled back to v1.1.0'
    )
    expect((error as UserError).hint).toContain('summary')
  })

  test('with a plain Error when the stage failed for a bug', async () => {
    const error = await pipelineFailing(new TypeError('x is undefined'))
    expect(error).not.toBeInstanceOf(UserError)
    expect(error?.message).toBe('deploy failed (x is undefined); rolled back to v1.1.0')
  })

  test('with a plain Error when the rollback after a user failure failed for a bug', async () => {
    const error = await pipelineFailing(new UserError('gate'), new Error('socket hang up'))
    expect(error).not.toBeInstanceOf(UserError)
    expect(error?.message).toBe('deploy failed: gate; rollback failure: socket hang up')
  })

  test('with a UserError when both failures were the user’s to fix', async () => {
    const error = await pipelineFailing(
      new UserError('gate'),
      new UserError('GITHUB_REPOSITORY (owner/name) is not set')
    )
    expect(error).toBeInstanceOf(UserError)
    expect(error?.message).toBe(
      'deploy failed: gate; rollback failure: GITHUB_REPOSITORY (owner/name) is not set'
    )
  })

  test('not at all when every stage succeeded', async () => {
    const result = await runPipeline({
      plan: deployOnly,
      runStage: async () => ({ outputs: {}, summary: '' }),
      shouldRollBack: () => true
    })
    expect(pipelineError(result, new Set())).toBeUndefined()
  })
})

describe('runRegisteredStage', () => {
  const dir = tempDir('failure-kind')
  const runnerEnv = { workspace: dir, runnerTemp: dir, repository: 'local/app' }
  const quiet = { info: () => undefined, warning: () => undefined }
  const backends = localBackends(
    { ledgerPath: join(dir, 'ledger.json'), cwd: dir, repository: 'local/app', runnerEnv },
    quiet
  )
  const io = { secret: () => undefined, redactor: new Redactor(), variables: {} }
  const inputs = (values: Record<string, string>) => new Inputs(name => values[name])

  async function thrownBy<S extends 'preflight' | 'backup'>(
    stage: S,
    values: Record<string, string>
  ): Promise<unknown> {
    const definition = STAGE_REGISTRY[stage] as unknown as StageDefinition<SettingsOf<S>, unknown>
    const settings = definition.parse(inputs(values), runnerEnv)
    return runRegisteredStage(stage, definition, settings, backends, io).then(
      () => new Error('the stage did not fail'),
      (error: unknown) => error
    )
  }

  test('keeps what a stage threw as the cause, so a failure the user can fix is told from a bug', async () => {
    // Valid settings, but no runner to hold the artifact: the backup's run throws a UserError.
    const failure = await thrownBy('backup', {
      'database-url': `sqlite://${join(dir, 'app.db')}`,
      store: 'artifact'
    })
    expect(failure).toBeInstanceOf(StageFailure)
    expect((failure as StageFailure).cause).toBeInstanceOf(UserError)
    expect((failure as Error).message).toMatch(/the artifact store needs a GitHub Actions runner/)
    expect(failedForUser(failure)).toBe(true)
  })

  test('a failed gate is the cause, with the outputs and summary the stage reported', async () => {
    const failure = await thrownBy('preflight', { command: 'false' })
    expect(failure).toBeInstanceOf(StageFailure)
    expect((failure as StageFailure).cause).toBeInstanceOf(UserError)
    expect((failure as StageFailure).outcome.summary).not.toBe('')
    expect(Object.keys((failure as StageFailure).outcome.outputs)).not.toHaveLength(0)
    expect(failedForUser(failure)).toBe(true)
  })

  test('a bad input is an InputError from parse, before anything runs; a bug is told from the user', () => {
    let failure: unknown
    try {
      STAGE_REGISTRY.deploy.parse(inputs({ version: 'v1.2.0', strategy: 'sideways' }), runnerEnv)
    } catch (error) {
      failure = error
    }
    expect(failure).toBeInstanceOf(InputError)
    expect(failedForUser(failure)).toBe(true)
    expect(failedForUser(new StageFailure('bug', { outputs: {}, summary: '' }))).toBe(false)
  })
})
