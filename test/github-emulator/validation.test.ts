import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { startEmulator, type Emulator } from './index.js'
import { api } from './test-helpers.js'

let gh: Emulator
let repo: string
beforeEach(async () => {
  gh = await startEmulator()
  repo = `/repos/${gh.owner}/${gh.repo}`
})
afterEach(async () => {
  await gh.closeUnchecked()
})

describe('request validation against the OpenAPI description', () => {
  test('an invalid deployment status state is answered 422 and recorded; close() then throws', async () => {
    const d = await api(gh, 'POST', `${repo}/deployments`, { ref: 'main', required_contexts: [] })
    expect(gh.validationErrors).toEqual([])
    const res = await api(gh, 'POST', `${repo}/deployments/${d.body.id}/statuses`, {
      state: 'done'
    })
    expect(res.status).toBe(422)
    expect(res.body.message).toMatch(/^Invalid request\./)
    expect(gh.validationErrors).toHaveLength(1)
    expect(gh.validationErrors[0]).toMatchObject({
      direction: 'request',
      operationId: 'repos/create-deployment-status'
    })
    expect(gh.validationErrors[0].message).toContain('state')
    expect(gh.state.deploymentStatuses(d.body.id)).toHaveLength(0)
    await expect(gh.close()).rejects.toThrow(
      /1 OpenAPI validation error.*create-deployment-status/s
    )
  })

  test('a missing required field, a wrong type and a bad query parameter are caught', async () => {
    expect((await api(gh, 'POST', `${repo}/releases`, { name: 'no tag' })).status).toBe(422)
    expect(
      (await api(gh, 'POST', `${repo}/deployments`, { ref: 'main', auto_merge: 'no' })).status
    ).toBe(422)
    expect((await api(gh, 'GET', `${repo}/deployments?per_page=lots`)).status).toBe(422)
    expect((await api(gh, 'POST', `${repo}/git/refs`, { ref: 'refs/heads/x' })).status).toBe(422)
    expect(gh.validationErrors.map(e => e.operationId)).toEqual([
      'repos/create-release',
      'repos/create-deployment',
      'repos/list-deployments',
      'git/create-ref'
    ])
    expect(gh.state.releases).toHaveLength(0)
  })

  test('unknown routes answer 404 and unemulated operations 501, both recorded', async () => {
    expect((await api(gh, 'GET', `${repo}/deploymentz`)).status).toBe(404)
    expect((await api(gh, 'GET', `${repo}/issues`)).status).toBe(501)
    expect(gh.validationErrors.map(e => e.message)).toEqual([
      expect.stringContaining('no GitHub API operation matches'),
      expect.stringContaining('not emulated')
    ])
  })

  test('malformed JSON answers 400', async () => {
    const res = await fetch(`${gh.url}${repo}/releases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gh.token}`, 'content-type': 'application/json' },
      body: '{"tag_name":',
      signal: AbortSignal.timeout(5000)
    })
    expect(res.status).toBe(400)
    expect(gh.validationErrors).toHaveLength(1)
  })
})

describe('response validation', () => {
  test('a response that breaks the schema is recorded', async () => {
    const d = await api(gh, 'POST', `${repo}/deployments`, { ref: 'main', required_contexts: [] })
    gh.corruptNextResponse(body => ({ ...(body as object), sha: 42, creator: undefined }))
    const res = await api(gh, 'GET', `${repo}/deployments/${d.body.id}`)
    expect(res.status).toBe(200)
    expect(gh.validationErrors).toHaveLength(1)
    expect(gh.validationErrors[0]).toMatchObject({
      direction: 'response',
      operationId: 'repos/get-deployment'
    })
    expect(gh.validationErrors[0].message).toMatch(/sha must be string/)
    expect(gh.validationErrors[0].message).toMatch(/required property 'creator'/)
  })
})

describe('authentication', () => {
  test('requires the emulator token as `token` or `Bearer`', async () => {
    const anon = await fetch(`${gh.url}${repo}`, { signal: AbortSignal.timeout(5000) })
    expect(anon.status).toBe(401)
    expect(await anon.json()).toMatchObject({ message: 'Bad credentials' })
    expect((await api(gh, 'GET', repo, undefined, { authorization: 'token wrong' })).status).toBe(
      401
    )
    expect(
      (await api(gh, 'GET', repo, undefined, { authorization: `Bearer ${gh.token}` })).status
    ).toBe(200)
    expect(gh.requests.map(r => r.status)).toEqual([401, 401, 200])
    expect(gh.validationErrors).toEqual([])
  })
})
