import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { startEmulator, type Emulator } from './index.js'
import { routes } from './routes/index.js'
import { api } from './test-helpers.js'

// One successful call per emulated operation, so every response shape is validated against
// the OpenAPI description at least once, and a route added without coverage fails here.
let gh: Emulator
beforeAll(async () => {
  gh = await startEmulator()
})
afterAll(async () => {
  await gh.close()
})

test('every emulated operation answers a schema-valid success', async () => {
  const r = `/repos/${gh.owner}/${gh.repo}`
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>
  ) => {
    const res = await api(gh, method, path, body, headers)
    expect({ method, path, status: res.status < 300 ? 'ok' : res.status }).toEqual({
      method,
      path,
      status: 'ok'
    })
    return res.body
  }
  const sha = gh.state.addCommit({ message: 'feat: a', files: ['a.ts'] })
  gh.state.addCheckRun(sha, { name: 'build' })
  gh.state.addCommitStatus(sha, { context: 'ci', state: 'success' })
  const run = gh.state.addWorkflowRun({})

  await call('GET', r)
  await call('GET', '/rate_limit')
  await call('PUT', `${r}/environments/staging`, {})
  await call('GET', `${r}/environments`)
  await call('GET', `${r}/environments/staging`)
  await call('GET', `${r}/actions/runs`)
  await call('GET', `${r}/actions/runs/${run}`)
  await call('GET', `${r}/commits/${sha}/check-runs`)
  await call('GET', `${r}/commits/${sha}/status`)
  await call('GET', `${r}/commits/${sha}/statuses`)
  await call('POST', `${r}/statuses/${sha}`, { state: 'pending', context: 'deploy' })

  await call('GET', `${r}/commits`)
  await call('GET', `${r}/commits/${sha}`)
  await call('GET', `${r}/compare/${sha}...main`)
  const tag = await call('POST', `${r}/git/tags`, {
    tag: 'v1',
    message: 'm',
    object: sha,
    type: 'commit'
  })
  await call('GET', `${r}/git/tags/${tag.sha}`)
  await call('POST', `${r}/git/refs`, { ref: 'refs/tags/v1', sha: tag.sha })
  await call('GET', `${r}/git/ref/tags%2Fv1`)
  await call('GET', `${r}/git/matching-refs/tags`)
  await call('PATCH', `${r}/git/refs/tags%2Fv1`, { sha, force: true })
  await call('DELETE', `${r}/git/refs/tags%2Fv1`)

  const d = await call('POST', `${r}/deployments`, { ref: 'main', required_contexts: [] })
  await call('GET', `${r}/deployments`)
  await call('GET', `${r}/deployments/${d.id}`)
  const st = await call('POST', `${r}/deployments/${d.id}/statuses`, { state: 'inactive' })
  await call('GET', `${r}/deployments/${d.id}/statuses`)
  await call('GET', `${r}/deployments/${d.id}/statuses/${st.id}`)
  await call('DELETE', `${r}/deployments/${d.id}`)

  const rel = await call('POST', `${r}/releases`, { tag_name: 'v2.0.0' })
  await call('GET', `${r}/releases`)
  await call('GET', `${r}/releases/latest`)
  await call('GET', `${r}/releases/tags/v2.0.0`)
  await call('GET', `${r}/releases/${rel.id}`)
  await call('PATCH', `${r}/releases/${rel.id}`, { body: 'notes' })
  const asset = await call(
    'POST',
    `${r}/releases/${rel.id}/assets?name=a.txt&label=A`,
    new Uint8Array([1, 2]),
    {
      'content-type': 'text/plain'
    }
  )
  await call('GET', `${r}/releases/${rel.id}/assets`)
  await call('GET', `${r}/releases/assets/${asset.id}`)
  await call('PATCH', `${r}/releases/assets/${asset.id}`, { label: 'B' })
  await call('DELETE', `${r}/releases/assets/${asset.id}`)
  await call('DELETE', `${r}/releases/${rel.id}`)

  gh.state.addCommit({ message: 'chore: release', branch: 'release' })
  const pr = await call('POST', `${r}/pulls`, { title: 'release', head: 'release', base: 'main' })
  await call('GET', `${r}/pulls?state=open&head=${gh.owner}:release`)
  await call('GET', `${r}/pulls/${pr.number}`)
  await call('PATCH', `${r}/pulls/${pr.number}`, { body: 'notes' })
  await call('POST', `${r}/issues/${pr.number}/comments`, { body: 'hello' })
  await call('GET', `${r}/issues/${pr.number}/comments`)
  await call('POST', `${r}/issues/${pr.number}/labels`, { labels: ['pending'] })
  await call('PUT', `${r}/issues/${pr.number}/labels`, { labels: ['pending', 'x'] })
  await call('DELETE', `${r}/issues/${pr.number}/labels/x`)
  await call('GET', `${r}/issues/${pr.number}/labels`)
  await call('GET', `${r}/commits/${gh.state.headOf('release')}/pulls`)

  const exercised = new Set(gh.requests.filter(q => q.status < 300).map(q => q.route))
  expect(Object.keys(routes).filter(key => !exercised.has(key))).toEqual([])
  expect(gh.validationErrors).toEqual([])
})
