// The deploy and rollback stages' settings (issue #14): every bad input is an InputError naming
// the input, thrown by parse<Stage>Settings before anything runs; secrets are listed for masking.
import { describe, expect, test } from '@jest/globals'
import { Inputs, UserError, type RunnerEnv } from '@slipway/kit'
import { buildDeployConfig, makePlan, parseDeploySettings } from '@slipway/strategies'
import { parseRollbackSettings } from '@slipway/rollback'
import { inputErrorOf } from '../helpers/input-error.js'

const runnerEnv: RunnerEnv = {
  workspace: '/nonexistent-workspace',
  runnerTemp: '/nonexistent-temp',
  repository: 'octo/shop',
  sha: 'a'.repeat(40),
  runId: '7'
}

const inputsOf = (values: Record<string, string>): Inputs => new Inputs(name => values[name])

/** A deploy that parses: script provider with its hooks, two slots, not recorded. */
const deployInputs = (extra: Record<string, string> = {}): Inputs =>
  inputsOf({
    strategy: 'blue-green',
    version: '1.2.0',
    targets: 'blue\ngreen',
    'health-command': 'true',
    'prepare-command': 'true',
    'route-command': 'true',
    'current-command': 'echo blue=1.1.0',
    'record-deployment': 'false',
    ...extra
  })

describe('parseDeploySettings', () => {
  test.each([
    ['strategy', { strategy: 'sideways' }],
    ['version', { version: '' }],
    ['targets', { targets: 'blue' }],
    ['provider', { provider: 'ftp' }],
    ['interval', { interval: 'soon' }],
    ['health-check', { 'health-check': 'maybe' }],
    ['webhook-format', { 'webhook-format': 'fax' }],
    ['environment-url', { 'environment-url': 'not a url' }],
    ['router', { router: 'nginx' }]
  ])('a bad %s is an InputError naming it', (input, extra) => {
    expect(inputErrorOf(() => parseDeploySettings(deployInputs(extra), runnerEnv)).input).toBe(
      input
    )
  })

  test('recording without a token is the UserError it always was, not a crash', () => {
    const parse = () =>
      parseDeploySettings(deployInputs({ 'record-deployment': 'true' }), runnerEnv)
    expect(parse).toThrow(UserError)
    expect(parse).toThrow(/record-deployment needs github-token and GITHUB_REPOSITORY/)
  })

  test('recording: the token falls back to the front end, the commit and repository to the runner', () => {
    const settings = parseDeploySettings(
      deployInputs({ 'record-deployment': 'true', environment: 'prod' }),
      runnerEnv,
      { token: 'ghs_fallback' }
    )
    expect(settings.record).toEqual({
      deploymentId: undefined,
      backupId: undefined,
      productionEnvironment: true,
      transientEnvironment: false,
      fallbackRef: 'a'.repeat(40),
      github: { token: 'ghs_fallback', repository: { owner: 'octo', repo: 'shop' } }
    })
  })

  test('a dry run is never recorded', () => {
    const settings = parseDeploySettings(
      deployInputs({ 'record-deployment': 'true', 'dry-run': 'true' }),
      runnerEnv
    )
    expect(settings.record).toBeUndefined()
  })

  test('secrets: the token, the webhook URL, the SSH key and every secret-env value; nothing else', () => {
    const settings = parseDeploySettings(
      deployInputs({
        'github-token': 'ghs_token',
        'webhook-url': 'https://hooks.example.test/T0/B0/xyz',
        'ssh-private-key': 'KEY',
        'known-hosts': 'host ssh-ed25519 AAAA'
      }),
      runnerEnv
    )
    expect([...settings.secrets].sort()).toEqual(
      ['KEY', 'ghs_token', 'https://hooks.example.test/T0/B0/xyz'].sort()
    )
  })

  test("the plan's migrate step names the migrate-command", () => {
    const settings = parseDeploySettings(
      deployInputs({ 'migrate-command': 'npm run migrate' }),
      runnerEnv
    )
    const config = buildDeployConfig(settings.deploy)
    const plan = makePlan(config.provider.targets, {}, config.request)
    expect(plan.steps).toContainEqual(
      expect.objectContaining({ kind: 'migrate', command: 'npm run migrate' })
    )
  })
})

describe('parseRollbackSettings', () => {
  // A provider that parses: rollback checks the deploy provider inputs it borrows up front.
  const rollbackInputs = (extra: Record<string, string> = {}): Inputs =>
    inputsOf({
      'github-token': 'ghs_token',
      targets: 'blue\ngreen',
      'health-command': 'true',
      'prepare-command': 'true',
      'route-command': 'true',
      ...extra
    })

  test.each([
    ['github-token', { 'github-token': '' }],
    ['database-url', { 'restore-data': 'true', 'backup-path': '/backups' }],
    ['backup-path', { 'restore-data': 'true', 'database-url': 'sqlite:///app.db' }],
    ['provider', { provider: 'ftp' }],
    ['deployment-id', { 'deployment-id': 'latest' }],
    ['smoke-timeout', { 'smoke-url': 'http://127.0.0.1:1', 'smoke-timeout': 'never' }]
  ])('a bad %s is an InputError naming it', (input, extra) => {
    expect(inputErrorOf(() => parseRollbackSettings(rollbackInputs(extra), runnerEnv)).input).toBe(
      input
    )
  })

  test('without a repository: the UserError it always was', () => {
    expect(() =>
      parseRollbackSettings(rollbackInputs(), { ...runnerEnv, repository: undefined })
    ).toThrow(/GITHUB_REPOSITORY \(owner\/name\) is not set/)
  })

  test('the provider settings are the deploy ones, with what a rollback fixes', () => {
    const settings = parseRollbackSettings(
      rollbackInputs({ targets: 'blue\ngreen', 'age-identity': 'AGE-SECRET-KEY-1X' }),
      runnerEnv
    )
    expect(settings.provider).toEqual(
      expect.objectContaining({
        provider: 'script',
        targets: ['blue', 'green'],
        switchTraffic: true,
        recordDeployment: true
      })
    )
    expect(settings.release).toEqual({ markPrerelease: true, tagPrefix: undefined })
    expect(settings.secrets).toEqual(['ghs_token'])
  })
})

describe('a mistyped strategy', () => {
  test('names the input and suggests the nearest strategy', () => {
    const error = inputErrorOf(() =>
      parseDeploySettings(deployInputs({ strategy: 'bluegreen' }), runnerEnv)
    )
    expect(error.message).toContain("Input 'strategy'")
    expect(error.hint).toBe('did you mean `blue-green`?')
  })
})
