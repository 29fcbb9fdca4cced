import { afterEach, describe, expect, test } from '@jest/globals'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createGitHubClient } from '@slipway/github'
import { DeploymentLedger } from '@slipway/deployments'
import { serveLedger } from '@slipway/cli'
import { gitIn, gitRepo } from './helpers.js'

const repo = { owner: 'local', repo: 'app' }
const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn()
})

async function open(cwd: string) {
  const server = await serveLedger({ path: join(cwd, '.slipway', 'ledger.json'), cwd, ...repo })
  cleanup.push(server.close)
  const octokit = createGitHubClient({
    token: 'x',
    baseUrl: server.url,
    writeIntervalMs: 0,
    retries: 0
  })
  return { server, octokit }
}

describe('the local ledger answers as GitHub does', () => {
  test('deployments and statuses through the same DeploymentLedger the actions use; paging; a new port later', async () => {
    const cwd = gitRepo()
    cleanup.push(() => rmSync(cwd, { recursive: true, force: true }))
    const first = await open(cwd)
    const ledger = new DeploymentLedger(first.octokit, repo)
    for (let i = 0; i < 3; i++) {
      const { deployment } = await ledger.start({
        environment: 'staging',
        version: `1.${i}.0`,
        payload: { version: `1.${i}.0`, strategy: 'rolling' }
      })
      await ledger.setStatus(deployment.id, 'in_progress', 'go')
      await ledger.setStatus(deployment.id, i === 2 ? 'failure' : 'success', 'done')
    }
    const history = await ledger.history('staging')
    expect(history.map(d => d.payload.version)).toEqual(['1.2.0', '1.1.0', '1.0.0'])
    // auto_inactive: staging is not production, so the earlier success became inactive.
    expect(history[2].statuses.map(s => s.state)).toEqual(['in_progress', 'success', 'inactive'])
    expect((await ledger.lastGood('staging'))?.payload.version).toBe('1.1.0')
    await first.server.close()

    // A later run: another port, the same file; paging with Link headers.
    const second = await open(cwd)
    const many = new DeploymentLedger(second.octokit, repo)
    for (let i = 0; i < 60; i++)
      await many.start({
        environment: 'qa',
        version: `2.${i}.0`,
        payload: { version: `2.${i}.0`, strategy: 'rolling' }
      })
    const all = await second.octokit.paginate(second.octokit.rest.repos.listDeployments, {
      ...repo,
      environment: 'qa',
      per_page: 50
    })
    expect(all).toHaveLength(60)
    expect(all[0].url.startsWith(second.server.url)).toBe(true)
    expect(readFileSync(join(cwd, '.slipway', 'ledger.json'), 'utf8')).not.toContain('127.0.0.1')
  })

  test('releases and assets; upload_url follows the server; tags are real git tags; the rest is 404', async () => {
    const cwd = gitRepo(['feat: one'])
    cleanup.push(() => rmSync(cwd, { recursive: true, force: true }))
    const head = gitIn(cwd, 'rev-parse', 'HEAD').trim()
    const a = await open(cwd)
    const { data: tag } = await a.octokit.rest.git.createTag({
      ...repo,
      tag: 'v1.0.0',
      message: 'v1.0.0',
      object: head,
      type: 'commit'
    })
    await a.octokit.rest.git.createRef({ ...repo, ref: 'refs/tags/v1.0.0', sha: tag.sha })
    expect(gitIn(cwd, 'cat-file', '-t', 'v1.0.0').trim()).toBe('tag')
    expect(gitIn(cwd, 'rev-parse', 'v1.0.0^{commit}').trim()).toBe(head)
    const { data: ref } = await a.octokit.rest.git.getRef({ ...repo, ref: 'tags/v1.0.0' })
    expect(ref.object).toMatchObject({ type: 'tag', sha: tag.sha })
    await expect(
      a.octokit.rest.git.createRef({ ...repo, ref: 'refs/tags/v1.0.0', sha: head })
    ).rejects.toMatchObject({ status: 422 })

    const { data: draft } = await a.octokit.rest.repos.createRelease({
      ...repo,
      tag_name: 'v1.0.0',
      draft: true
    })
    await a.server.close()
    const b = await open(cwd)
    const { data: again } = await b.octokit.rest.repos.getRelease({ ...repo, release_id: draft.id })
    expect(again.upload_url.startsWith(b.server.url)).toBe(true)
    await b.octokit.request({
      method: 'POST',
      url: again.upload_url,
      name: 'app.tgz',
      data: Buffer.from('bytes'),
      headers: { 'content-type': 'application/octet-stream' }
    })
    const { data: assets } = await b.octokit.rest.repos.listReleaseAssets({
      ...repo,
      release_id: draft.id
    })
    expect(assets.map(x => [x.name, x.size])).toEqual([['app.tgz', 5]])
    await expect(
      b.octokit.rest.repos.createRelease({ ...repo, tag_name: 'v1.0.0' })
    ).rejects.toMatchObject({ status: 422 })
    await expect(b.octokit.rest.checks.listForRef({ ...repo, ref: head })).rejects.toThrow(
      /local ledger .* serves deployments, releases and tags only/
    )
  })
})
