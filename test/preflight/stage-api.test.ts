import { describe, expect, it } from '@jest/globals'
import { InputError, Inputs, Redactor, type RunnerEnv } from '@slipway/kit'
import {
  parsePreflightSettings,
  preflightOutputs,
  runPreflight,
  type CommitChecks,
  type CommitChecksQuery,
  type DeploymentActivity,
  type DeploymentLockQuery,
  type PreflightPorts
} from '@slipway/preflight'

const runnerEnv: RunnerEnv = {
  workspace: '/checkout',
  runnerTemp: '/tmp',
  repository: 'octo/app',
  sha: 'a'.repeat(40),
  runId: '4242'
}

function settingsOf(values: Record<string, string>, env: RunnerEnv = runnerEnv) {
  return parsePreflightSettings(new Inputs(name => values[name]), env)
}

/** In-memory ports that record what the checks asked them. */
function ports(answers: { locked?: boolean; checksGreen?: boolean } = {}) {
  const lockQueries: DeploymentLockQuery[] = []
  const checkQueries: CommitChecksQuery[] = []
  const lines: string[] = []
  const deploymentActivity: DeploymentActivity = {
    lock: async query => {
      lockQueries.push(query)
      return answers.locked
        ? { ok: false, message: `${query.environment} is locked: deployment 7 is in_progress` }
        : { ok: true, message: `no deployment of ${query.environment} in progress` }
    }
  }
  const commitChecks: CommitChecks = {
    evaluate: async query => {
      checkQueries.push(query)
      return answers.checksGreen === false
        ? { ok: false, message: 'failed: build (failure)' }
        : { ok: true, message: 'all 3 check runs and statuses succeeded' }
    }
  }
  const all: PreflightPorts = {
    progress: { info: line => lines.push(line), warning: line => lines.push(`warning ${line}`) },
    variables: {},
    deploymentActivity,
    commitChecks
  }
  return { all, lockQueries, checkQueries, lines }
}

describe('parsePreflightSettings', () => {
  it('takes the commit, repository and run from the runner environment, and lists secrets', () => {
    const settings = settingsOf({
      'github-checks': 'true',
      'deployment-lock': 'true',
      environment: 'production',
      'http-url': 'https://deploy:pw-1234@api.example.com/health',
      token: 'ghs_token123'
    })
    expect(settings.github).toEqual({
      token: 'ghs_token123',
      repository: { owner: 'octo', repo: 'app' },
      apiUrl: undefined
    })
    expect(settings.currentRunId).toBe(4242)
    const githubChecks = settings.checks.find(check => check.type === 'github-checks')
    expect(githubChecks?.spec).toMatchObject({ ref: 'a'.repeat(40) })
    expect(settings.secrets).toEqual(expect.arrayContaining(['pw-1234', 'ghs_token123']))
  })

  it('needs no GitHub access when no check reads GitHub', () => {
    expect(settingsOf({ tcp: '127.0.0.1:1' }).github).toBeUndefined()
  })

  it('a GitHub check without a token or repository is an InputError naming the input', () => {
    expect(() => settingsOf({ 'github-checks': 'true' })).toThrow(InputError)
    expect(() => settingsOf({ 'github-checks': 'true' })).toThrow("Input 'token'")
    expect(() =>
      settingsOf(
        { 'deployment-lock': 'true', environment: 'production', token: 'x' },
        { ...runnerEnv, repository: undefined }
      )
    ).toThrow("Input 'repository'")
  })
})

describe('app-config-file, and config-file, its deprecated name', () => {
  const schema = { 'config-schema': 's.json' }
  const sources = (values: Record<string, string>) =>
    settingsOf(values).checks.map(check => `${check.source}: ${check.target}`)

  it('app-config-file is the app config the config-schema check validates, with no warning', () => {
    const settings = settingsOf({ 'app-config-file': 'app.yml', ...schema })
    expect(sources({ 'app-config-file': 'app.yml', ...schema })).toEqual([
      'app-config-file: app.yml against s.json'
    ])
    expect(settings.warnings).toEqual([])
  })

  it('config-file still works, named as given, and the run warns to use app-config-file', async () => {
    const settings = settingsOf({ 'config-file': 'app.yml', ...schema, 'dry-run': 'true' })
    expect(settings.checks.map(check => `${check.source}: ${check.target}`)).toEqual([
      'config-file: app.yml against s.json'
    ])
    const { all, lines } = ports()
    await runPreflight(settings, all)
    expect(lines.filter(line => line.startsWith('warning '))).toEqual([
      expect.stringContaining('config-file is deprecated here: use app-config-file')
    ])
  })

  it('both names with the same file is that file, with the warning', () => {
    const settings = settingsOf({ 'config-file': 'a.yml', 'app-config-file': 'a.yml', ...schema })
    expect(settings.checks).toHaveLength(1)
    expect(settings.warnings).toHaveLength(1)
  })

  it('both names with different files is an InputError naming config-file', () => {
    const both = { 'config-file': 'old.yml', 'app-config-file': 'new.yml', ...schema }
    expect(() => settingsOf(both)).toThrow(InputError)
    expect(() => settingsOf(both)).toThrow(
      "Input 'config-file': expected left out when app-config-file is given"
    )
    expect(() => settingsOf(both)).toThrow('old.yml')
  })
})

describe('runPreflight through its ports', () => {
  const inputs = {
    'github-checks': 'true',
    'required-checks': 'build',
    'deployment-lock': 'true',
    environment: 'production',
    token: 'ghs_token123'
  }

  it('asks the ports for the lock and the commit checks, leaving this run out', async () => {
    const { all, lockQueries, checkQueries, lines } = ports()
    const report = await runPreflight(settingsOf(inputs), all)
    expect(report.passed).toBe(true)
    expect(lockQueries).toEqual([
      expect.objectContaining({ environment: 'production', currentRunId: 4242 })
    ])
    expect(checkQueries).toEqual([
      { ref: 'a'.repeat(40), required: ['build'], ignore: [], currentRunId: 4242 }
    ])
    expect(lines.join('\n')).toContain('Preflight passed')
  })

  it('a deployment in progress fails the step with what the port said', async () => {
    const { all } = ports({ locked: true })
    const report = await runPreflight(settingsOf(inputs), all)
    expect(report.passed).toBe(false)
    const lock = report.checks.find(check => check.type === 'deployment-lock')
    expect(lock).toMatchObject({ status: 'failed', message: expect.stringContaining('locked') })
    expect(preflightOutputs(report)['failed-checks']).toBe('deployment-lock production')
  })

  it('fails closed when the front end gave no port for a GitHub check', async () => {
    const { all } = ports()
    const report = await runPreflight(settingsOf(inputs), { ...all, commitChecks: undefined })
    const checks = report.checks.find(check => check.type === 'github-checks')
    expect(checks?.status).toBe('failed')
    expect(report.passed).toBe(false)
  })

  it('a dry run asks no port', async () => {
    const { all, lockQueries, checkQueries } = ports()
    const report = await runPreflight(settingsOf({ ...inputs, 'dry-run': 'true' }), all)
    expect(report.checks.map(check => check.status)).toEqual(['planned', 'planned'])
    expect([...lockQueries, ...checkQueries]).toEqual([])
    expect(preflightOutputs(report).passed).toBeUndefined()
  })

  it('masks env-checked variables with secret names and redacts the report with them', async () => {
    const { all } = ports()
    const redactor = new Redactor()
    const masked: string[] = []
    const report = await runPreflight(settingsOf({ 'required-vars': 'DB_PASSWORD,REGION' }), {
      ...all,
      variables: { DB_PASSWORD: 'hunter2-secret', REGION: 'eu-west-1' },
      redactor,
      mask: value => {
        if (value) masked.push(value)
        if (value) redactor.add(value)
      }
    })
    expect(masked).toEqual(['hunter2-secret'])
    expect(report.passed).toBe(true)
    expect(JSON.stringify(report)).not.toContain('hunter2-secret')
  })
})
