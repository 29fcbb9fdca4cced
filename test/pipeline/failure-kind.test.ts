import { describe, expect, test } from '@jest/globals'
import { InputError, UserError, type ActionContext } from '@slipway/kit'
import { runPipeline, StageFailure, type AnyStage, type Plan } from '@slipway/pipeline'
import { failedForUser, noteUserFailure, pipelineError } from '@slipway/pipeline'
import { runActionStage } from '../../actions/pipeline/src/stages.js'
import { main as deploy } from '../../actions/deploy-strategy/src/main.js'

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

describe('runActionStage', () => {
  const context = {
    secret: () => undefined,
    info: () => undefined,
    warning: () => undefined
  } as unknown as ActionContext

  async function thrownBy(values: Record<string, string>): Promise<unknown> {
    return runActionStage(context, 'deploy', deploy, name => values[name]).then(
      () => new Error('the stage did not fail'),
      (error: unknown) => error
    )
  }

  test('keeps what a stage threw as the cause, so a failure the user can fix is told from a bug', async () => {
    const repository = process.env.GITHUB_REPOSITORY
    delete process.env.GITHUB_REPOSITORY
    try {
      // Valid settings, but nowhere to record the deployment: the deploy's main throws a UserError.
      const failure = await thrownBy({
        strategy: 'blue-green',
        version: 'v1.2.0',
        'prepare-command': 'true',
        'route-command': 'true',
        'health-command': 'true',
        'github-token': 'token'
      })
      expect(failure).toBeInstanceOf(StageFailure)
      expect((failure as StageFailure).cause).toBeInstanceOf(UserError)
      expect((failure as Error).message).toMatch(/^record-deployment needs github-token/)
      expect(failedForUser(failure)).toBe(true)
    } finally {
      if (repository !== undefined) process.env.GITHUB_REPOSITORY = repository
    }
  })

  test('throws an InputError as it was, and tells a bug from the user', async () => {
    const failure = await thrownBy({ version: 'v1.2.0', strategy: 'sideways' })
    expect(failure).toBeInstanceOf(InputError)
    expect(failedForUser(failure)).toBe(true)
    expect(failedForUser(new StageFailure('bug', { outputs: {}, summary: '' }))).toBe(false)
  })
})
