import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { DeploymentLedger, type StartOptions } from '@slipway/deployments'
import { createGitHubClient } from '@slipway/github'
import { startEmulator, type Emulator } from '../github-emulator/index.js'

// What creating the Deployment costs on GitHub: one GraphQL read (this run's deployment? is the
// version a ref?) and the create; never a 422 for a tag the release has not pushed yet, nor a
// read of the statuses of a deployment just created.

let gh: Emulator
let sha: string
beforeEach(async () => {
  gh = await startEmulator()
  sha = gh.state.addCommit({ message: 'feat: the app' })
  process.env.SLIPWAY_GITHUB_WRITE_INTERVAL_MS = '0'
})
afterEach(async () => {
  await gh.close()
})

const ledger = (runId: string | null = '41') =>
  new DeploymentLedger(
    createGitHubClient({ token: gh.token, baseUrl: gh.url, retries: 0 }),
    { owner: gh.owner, repo: gh.repo },
    {
      runId: runId ?? undefined,
      runAttempt: '1',
      serverUrl: 'https://github.com',
      repository: 'octo/app'
    }
  )

const start = (version: string, extra: Partial<StartOptions> = {}, runId?: string | null) =>
  ledger(runId).start({
    environment: 'staging',
    version,
    payload: { version, strategy: 'blue-green' },
    fallbackRef: sha,
    ...extra
  })

const calls = (since = 0) =>
  gh.requests.slice(since).map(q => `${q.method} ${q.path.split('?')[0]} → ${q.status}`)

describe('starting a deployment on GitHub', () => {
  test('a version tag not pushed yet: created against the commit at once, the version in payload and description', async () => {
    const { deployment, created } = await start('v1.4.0')
    expect(created).toBe(true)
    expect(deployment).toMatchObject({
      ref: sha,
      sha,
      statuses: [],
      payload: { version: 'v1.4.0' }
    })
    expect(gh.state.deployments[0]).toMatchObject({ description: 'blue-green deploy of v1.4.0' })
    expect(calls()).toEqual(['POST /graphql → 200', 'POST /repos/octo/app/deployments → 201'])
  })

  test('a version tag GitHub has: created against the tag', async () => {
    gh.state.addTag('v1.4.0', sha, { message: 'v1.4.0' })
    const { deployment } = await start('v1.4.0')
    expect(deployment).toMatchObject({ ref: 'v1.4.0', sha })
    expect(calls()).toEqual(['POST /graphql → 200', 'POST /repos/octo/app/deployments → 201'])
  })

  test('a re-run of the job finds its deployment (with its statuses) among the environment’s', async () => {
    const first = await start('v1.4.0')
    await ledger().setStatus(first.deployment.id, 'in_progress', 'deploying')
    gh.state.addDeployment({ ref: sha, environment: 'staging', payload: { run_id: '99' } })
    const since = gh.requests.length
    const again = await start('v1.4.0')
    expect(again.created).toBe(false)
    expect(again.deployment.id).toBe(first.deployment.id)
    expect(again.deployment.statuses.map(s => s.state)).toEqual(['in_progress'])
    expect(calls(since)).toEqual([
      'POST /graphql → 200',
      `GET /repos/octo/app/deployments/${first.deployment.id} → 200`,
      `GET /repos/octo/app/deployments/${first.deployment.id}/statuses → 200`
    ])
    const other = await start('v1.4.0', {}, '42')
    expect(other.created).toBe(true)
    expect(gh.state.deployments).toHaveLength(3)
  })

  test('without GraphQL (501) REST finds and creates as before: the version first, then the commit', async () => {
    gh.faults.inject({ path: '/graphql', status: 501, body: { message: 'Not Implemented' } })
    const { deployment, created } = await start('v1.4.0')
    expect(created).toBe(true)
    expect(deployment.ref).toBe(sha)
    expect(calls()).toEqual([
      'POST /graphql → 501',
      'GET /repos/octo/app/deployments → 200',
      'GET /repos/octo/app/deployments → 200',
      'POST /repos/octo/app/deployments → 422',
      'POST /repos/octo/app/deployments → 201'
    ])
  })

  test('without a run id (a rollback’s own record) the version is tried as the ref at once', async () => {
    gh.state.addTag('v1.3.0', sha)
    const { deployment } = await start('v1.3.0', {}, null)
    expect(deployment).toMatchObject({ ref: 'v1.3.0', sha })
    expect(calls()).toEqual(['POST /repos/octo/app/deployments → 201'])
  })

  test('a version that is no ref and no fallback commit: a UserError naming it, nothing created', async () => {
    await expect(start('build-7', { fallbackRef: undefined })).rejects.toThrow(
      /GitHub refused to create a deployment of build-7 \(422\)/
    )
    expect(gh.state.deployments).toHaveLength(0)
  })
})
