import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { seedHistory, STEP_MS } from '../report/history-fixture.js'
import { gitRepo, slipway } from './helpers.js'

let gh: Emulator
const cwd = gitRepo()
beforeAll(async () => {
  gh = await startEmulator()
  seedHistory(gh, {
    startMs: Math.floor((Date.now() - 200 * STEP_MS) / 1000) * 1000,
    count: 200,
    older: 30
  })
})
afterAll(async () => {
  await gh.close()
  rmSync(cwd, { recursive: true, force: true })
})

test('slipway report reads GitHub with a token: counted calls, JSON file, token never printed', async () => {
  const before = gh.requests.length
  const run = await slipway(
    [
      'report',
      '--environment',
      'production',
      '--window',
      '7d',
      '--token',
      gh.token,
      '--api-url',
      gh.url,
      '--repository',
      `${gh.owner}/${gh.repo}`,
      '--report-file',
      'report.json',
      '--json'
    ],
    { cwd }
  )
  expect(run.stderr).not.toContain('error:')
  expect(run.code).toBe(0)
  const { outputs } = JSON.parse(run.stdout)
  // 200 deployments + 2 rollbacks in the window, with their statuses: 3 GraphQL queries (the
  // third reaches past the window).
  expect(outputs['api-calls']).toBe('3')
  expect(gh.requests.length - before).toBe(3)
  expect(gh.requests.slice(before).every(r => r.route === 'POST /graphql')).toBe(true)
  expect(
    gh.requests.slice(before).every(r => r.headers.authorization === `token ${gh.token}`)
  ).toBe(true)
  // 199 completed: 4 failed closed (7, 57, 107, 157).
  expect(outputs['success-rate']).toBe(String(Math.round((195 / 199) * 10000) / 100))
  const report = JSON.parse(readFileSync(join(cwd, 'report.json'), 'utf8'))
  expect(report.quality.deployments).toBe(200)
  expect(report.quality.rollbacks).toBe(2)
  expect(run.stdout + run.stderr).not.toContain(gh.token)
  expect(run.stderr).not.toContain('local ledger')
})
