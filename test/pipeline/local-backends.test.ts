import { describe, expect, test } from '@jest/globals'
import { join } from 'node:path'
import { localBackends } from '@slipway/pipeline'
import { tempDir } from '../helpers/temp-dir.js'

const quiet = { info: () => undefined, warning: () => undefined }
const access = { token: 'unused', repository: { owner: 'local', repo: 'shop' } }
const probe = { signal: new AbortController().signal } as never

function backends() {
  const dir = tempDir('local-backends')
  return localBackends(
    {
      ledgerPath: join(dir, 'ledger.json'),
      cwd: dir,
      repository: 'local/shop',
      runnerEnv: { workspace: dir, runnerTemp: dir, repository: 'local/shop' }
    },
    quiet
  )
}

describe('localBackends', () => {
  test('the lock holds while a deployment in the ledger file is in progress', async () => {
    const local = backends()
    const records = local.records(access)
    const { deployment } = await records.start({
      environment: 'staging',
      version: '1.0.0',
      payload: { version: '1.0.0', strategy: 'blue-green' },
      fallbackRef: 'main'
    })
    await records.setStatus(deployment.id, 'in_progress', 'deploying')
    const activity = local.deploymentActivity(undefined)!
    const locked = await activity.lock({ environment: 'staging' }, probe)
    expect(locked.ok).toBe(false)
    expect(locked.message).toContain(`deployment ${deployment.id}`)

    await records.setStatus(deployment.id, 'success', 'deployed')
    expect((await activity.lock({ environment: 'staging' }, probe)).ok).toBe(true)
    const read = await local
      .history(undefined)!
      .read({ environment: 'staging', untilMs: Date.now() + 1000 })
    expect(read.deployments.map(d => d.id)).toEqual([deployment.id])
  })

  test("a commit's checks need a GitHub token", async () => {
    const outcome = await backends()
      .commitChecks(undefined)!
      .evaluate({ ref: 'HEAD', required: [], ignore: [] }, probe)
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toContain('needs a GitHub token')
  })
})
