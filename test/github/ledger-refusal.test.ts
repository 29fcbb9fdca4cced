import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { DeploymentLedger } from '@slipway/deployments'
import { GitHubRefusal, createGitHubClient } from '@slipway/github'
import { UserError } from '@slipway/kit'
import { startEmulator, type Emulator } from '../github-emulator/index.js'

// The deployment ledger's requests name the permission GitHub wants when it refuses them.

let gh: Emulator
beforeEach(async () => {
  gh = await startEmulator()
})
afterEach(async () => {
  await gh.close()
})

function ledger(repo = gh.repo): DeploymentLedger {
  return new DeploymentLedger(
    createGitHubClient({ token: gh.token, baseUrl: gh.url, writeIntervalMs: 0, retries: 0 }),
    { owner: gh.owner, repo },
    { runId: '77', runAttempt: '1' }
  )
}

async function caught(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work()
  } catch (error) {
    return error
  }
  throw new Error('expected the ledger to fail')
}

describe('DeploymentLedger when GitHub refuses', () => {
  it('creating a deployment without `deployments: write` says to grant it', async () => {
    const sha = gh.state.addCommit({ message: 'feat: first' })
    gh.faults.inject({
      method: 'POST',
      path: `/repos/${gh.owner}/${gh.repo}/deployments`,
      status: 403
    })
    const error = await caught(() =>
      ledger().start({
        environment: 'staging',
        version: sha,
        payload: { version: sha, strategy: 'rolling' }
      })
    )
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).message).toContain('GitHub refused to create a deployment')
    expect((error as UserError).hint).toContain('deployments: write')
  })

  it('reading the history of a repository the token cannot see is a refusal, not a crash', async () => {
    const error = await caught(() => ledger('not-visible').history('production'))
    expect(error).toBeInstanceOf(GitHubRefusal)
    expect((error as GitHubRefusal).status).toBe(404)
    expect((error as GitHubRefusal).hint).toContain('deployments: read')
  })

  it('adopting a deployment id that does not exist stays the ledger’s own user error', async () => {
    const error = await caught(() =>
      ledger().start({
        environment: 'staging',
        version: 'v1',
        deploymentId: 999_999,
        payload: { version: 'v1', strategy: 'rolling' }
      })
    )
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).message).toContain('Deployment 999999 does not exist')
  })
})
