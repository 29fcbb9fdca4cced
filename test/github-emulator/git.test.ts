import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { createGitHubClient } from '@slipway/github'
import { startEmulator, type Emulator } from './index.js'
import { api } from './test-helpers.js'

let gh: Emulator
let repo: string
beforeEach(async () => {
  gh = await startEmulator()
  repo = `/repos/${gh.owner}/${gh.repo}`
})
afterEach(async () => {
  await gh.close()
})

describe('git refs and tags', () => {
  test('create, read, fast-forward, force and delete a ref', async () => {
    const base = gh.state.headOf()
    const next = gh.state.addCommit({ message: 'feat: next' })
    const created = await api(gh, 'POST', `${repo}/git/refs`, {
      ref: 'refs/tags/v1.0.0',
      sha: base
    })
    expect(created.status).toBe(201)
    expect(created.body.object).toMatchObject({ type: 'commit', sha: base })

    const dup = await api(gh, 'POST', `${repo}/git/refs`, { ref: 'refs/tags/v1.0.0', sha: base })
    expect(dup).toMatchObject({ status: 422, body: { message: 'Reference already exists' } })
    const missing = await api(gh, 'POST', `${repo}/git/refs`, {
      ref: 'refs/tags/x',
      sha: 'f'.repeat(40)
    })
    expect(missing.body.message).toBe('Object does not exist')

    expect((await api(gh, 'GET', `${repo}/git/ref/tags%2Fv1.0.0`)).body.object.sha).toBe(base)
    expect((await api(gh, 'GET', `${repo}/git/ref/tags/v1.0.0`)).status).toBe(200) // unencoded slash
    expect((await api(gh, 'GET', `${repo}/git/ref/tags/v9`)).status).toBe(404)

    const ff = await api(gh, 'PATCH', `${repo}/git/refs/tags%2Fv1.0.0`, { sha: next })
    expect(ff.status).toBe(200)
    const back = await api(gh, 'PATCH', `${repo}/git/refs/tags%2Fv1.0.0`, { sha: base })
    expect(back).toMatchObject({ status: 422, body: { message: 'Update is not a fast forward' } })
    expect(
      (await api(gh, 'PATCH', `${repo}/git/refs/tags%2Fv1.0.0`, { sha: base, force: true })).status
    ).toBe(200)
    expect(gh.state.refs['refs/tags/v1.0.0']).toBe(base)

    const matching = await api(gh, 'GET', `${repo}/git/matching-refs/tags%2Fv1`)
    expect(matching.body.map((r: { ref: string }) => r.ref)).toEqual(['refs/tags/v1.0.0'])

    expect((await api(gh, 'DELETE', `${repo}/git/refs/tags%2Fv1.0.0`)).status).toBe(204)
    expect((await api(gh, 'DELETE', `${repo}/git/refs/tags%2Fv1.0.0`)).status).toBe(422)
  })

  test('annotated tag objects peel to their commit', async () => {
    const sha = gh.state.headOf()
    const tag = await api(gh, 'POST', `${repo}/git/tags`, {
      tag: 'v2.0.0',
      message: 'Release v2.0.0',
      object: sha,
      type: 'commit',
      tagger: { name: 'Slipway', email: 'slipway@example.com', date: '2026-01-02T03:04:05Z' }
    })
    expect(tag.status).toBe(201)
    await api(gh, 'POST', `${repo}/git/refs`, { ref: 'refs/tags/v2.0.0', sha: tag.body.sha })
    expect((await api(gh, 'GET', `${repo}/git/tags/${tag.body.sha}`)).body.message).toBe(
      'Release v2.0.0'
    )
    expect((await api(gh, 'GET', `${repo}/git/ref/tags%2Fv2.0.0`)).body.object.type).toBe('tag')
    expect((await api(gh, 'GET', `${repo}/commits/v2.0.0`)).body.sha).toBe(sha)
    expect(gh.state.tags).toHaveLength(1)
  })
})

describe('through Octokit (URL encoding of refs with slashes)', () => {
  test('create, get, force-update a tag ref; duplicate is 422; check runs for a branch', async () => {
    const octokit = createGitHubClient({ token: gh.token, baseUrl: gh.url })
    const o = { owner: gh.owner, repo: gh.repo }
    const base = gh.state.headOf()
    const next = gh.state.addCommit({ message: 'fix: y' })
    await octokit.rest.git.createRef({ ...o, ref: 'refs/tags/v1', sha: next })
    await expect(
      octokit.rest.git.createRef({ ...o, ref: 'refs/tags/v1', sha: next })
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('Reference already exists')
    })
    await octokit.rest.git.updateRef({ ...o, ref: 'tags/v1', sha: base, force: true })
    const { data } = await octokit.rest.git.getRef({ ...o, ref: 'tags/v1' })
    expect(data.object.sha).toBe(base)
    gh.state.addCheckRun(next, { name: 'build', conclusion: 'failure' })
    const runs = await octokit.rest.checks.listForRef({ ...o, ref: 'heads/main' })
    expect(runs.data.check_runs.map(r => [r.name, r.conclusion])).toEqual([['build', 'failure']])
  })
})

describe('commits', () => {
  test('list with path filter and pagination, get, compare', async () => {
    const first = gh.state.headOf()
    const a = gh.state.addCommit({ message: 'feat: api', files: ['src/api.ts'] })
    const b = gh.state.addCommit({ message: 'fix: docs', files: ['docs/x.md'] })
    const all = await api(gh, 'GET', `${repo}/commits?per_page=2`)
    expect(all.body.map((c: { sha: string }) => c.sha)).toEqual([b, a])
    expect(all.headers.get('link')).toContain('rel="next"')
    const src = await api(gh, 'GET', `${repo}/commits?path=src`)
    expect(src.body.map((c: { sha: string }) => c.sha)).toEqual([a])
    expect((await api(gh, 'GET', `${repo}/commits?sha=${a}`)).body).toHaveLength(2)

    const one = await api(gh, 'GET', `${repo}/commits/${a}`)
    expect(one.body.files[0].filename).toBe('src/api.ts')

    const cmp = await api(gh, 'GET', `${repo}/compare/${first}...main`)
    expect(cmp.body).toMatchObject({ status: 'ahead', ahead_by: 2, behind_by: 0, total_commits: 2 })
    expect(cmp.body.commits.map((c: { sha: string }) => c.sha)).toEqual([a, b])
    expect((await api(gh, 'GET', `${repo}/compare/main...${first}`)).body.status).toBe('behind')
  })
})

describe('checks, statuses, actions, environments, repository', () => {
  test('check runs and combined status', async () => {
    const sha = gh.state.headOf()
    gh.state.addCheckRun(sha, { name: 'build', conclusion: 'success' })
    gh.state.addCheckRun(sha, { name: 'e2e', status: 'in_progress' })
    const runs = await api(gh, 'GET', `${repo}/commits/main/check-runs`)
    expect(runs.body.total_count).toBe(2)
    expect(
      (await api(gh, 'GET', `${repo}/commits/main/check-runs?status=in_progress`)).body
        .check_runs[0].name
    ).toBe('e2e')

    expect((await api(gh, 'GET', `${repo}/commits/${sha}/status`)).body.state).toBe('pending')
    const created = await api(gh, 'POST', `${repo}/statuses/${sha}`, {
      state: 'success',
      context: 'ci'
    })
    expect(created.status).toBe(201)
    expect((await api(gh, 'GET', `${repo}/commits/${sha}/status`)).body).toMatchObject({
      state: 'success',
      total_count: 1
    })
    gh.state.addCommitStatus(sha, { context: 'lint', state: 'failure' })
    expect((await api(gh, 'GET', `${repo}/commits/${sha}/status`)).body.state).toBe('failure')
    const long = await api(gh, 'POST', `${repo}/statuses/${sha}`, {
      state: 'success',
      description: 'x'.repeat(141)
    })
    expect(long.status).toBe(422)
  })

  test('workflow runs, environments, repo, rate limit', async () => {
    const ok = gh.state.addWorkflowRun({ status: 'completed', conclusion: 'success' })
    gh.state.addWorkflowRun({ status: 'in_progress' })
    const runs = await api(gh, 'GET', `${repo}/actions/runs?status=in_progress`)
    expect(runs.body.total_count).toBe(1)
    expect(
      (await api(gh, 'GET', `${repo}/actions/runs?status=success`)).body.workflow_runs[0].id
    ).toBe(ok)
    expect((await api(gh, 'GET', `${repo}/actions/runs/${ok}`)).body.conclusion).toBe('success')

    expect((await api(gh, 'PUT', `${repo}/environments/staging`, { wait_timer: 5 })).status).toBe(
      200
    )
    expect((await api(gh, 'GET', `${repo}/environments`)).body.total_count).toBe(1)
    expect(
      (await api(gh, 'GET', `${repo}/environments/staging`)).body.protection_rules[0].wait_timer
    ).toBe(5)
    expect((await api(gh, 'GET', `${repo}/environments/nope`)).status).toBe(404)

    expect((await api(gh, 'GET', repo)).body.default_branch).toBe('main')
    expect((await api(gh, 'GET', '/repos/other/repo')).status).toBe(404)
    expect((await api(gh, 'GET', '/rate_limit')).body.rate.limit).toBe(5000)
  })
})
