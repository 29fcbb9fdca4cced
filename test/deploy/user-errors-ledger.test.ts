import { afterEach, beforeEach, expect, test } from '@jest/globals'
import { DeploymentLedger } from '@slipway/deployments'
import { createGitHubClient } from '@slipway/github'
import { UserError } from '@slipway/kit'
import { startEmulator, type Emulator } from '../github-emulator/index.js'

// A version GitHub has no ref for (and no commit to fall back on) is the user's setting, not a
// bug: GitHub's 422 becomes a UserError saying what `version` must be.

let gh: Emulator
beforeEach(async () => {
  gh = await startEmulator()
  gh.state.setRef('refs/tags/v1.0.0', gh.state.addCommit({ message: 'feat: first' }))
})
afterEach(async () => {
  await gh.close()
})

const ledger = (): DeploymentLedger =>
  new DeploymentLedger(
    createGitHubClient({ token: gh.token, baseUrl: gh.url, retries: 0 }),
    { owner: gh.owner, repo: gh.repo },
    {
      runId: '9',
      runAttempt: '1',
      serverUrl: 'https://github.com',
      repository: `${gh.owner}/${gh.repo}`
    }
  )

async function failureOf(options: { version: string; fallbackRef?: string }): Promise<unknown> {
  return ledger()
    .start({
      environment: 'staging',
      payload: { version: options.version, strategy: 'rolling' },
      ...options
    })
    .then(
      () => undefined,
      (error: unknown) => error
    )
}

test('a version that is no ref, without a commit to fall back on', async () => {
  const error = await failureOf({ version: 'build-123' })
  expect(error).toBeInstanceOf(UserError)
  expect((error as UserError).message).toMatch(
    /^GitHub refused to create a deployment of build-123 \(422\)/
  )
  expect((error as UserError).hint).toMatch(/^give a `version` that is a commit, branch or tag/)
})

test('a fallback commit GitHub does not have either names the fallback', async () => {
  const error = await failureOf({ version: 'build-123', fallbackRef: 'f'.repeat(40) })
  expect(error).toBeInstanceOf(UserError)
  expect((error as UserError).message).toContain(`deployment of ${'f'.repeat(40)} (422)`)
})
