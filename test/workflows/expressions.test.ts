/**
 * The decisions our workflows make in `${{ }}` expressions, evaluated with GitHub's own
 * expression engine (@actions/expressions, which the workflow parser uses) on the values read
 * from the files: which version a pipeline deploys, where the artifact is, which backup store,
 * when the backup, the smoke test and the automatic rollback run. `a && b || c` goes wrong when
 * `b` is empty; these scenarios pin the answers.
 */
import { describe, expect, it } from '@jest/globals'
import { data, Evaluator, Lexer, Parser } from '@actions/expressions'
import { allWorkflowFiles, type Job, type Step } from './workflows.js'

const files = new Map(allWorkflowFiles().map(f => [f.path, f]))
const CONTEXTS = ['github', 'inputs', 'vars', 'secrets', 'env', 'steps', 'needs', 'runner', 'job']

function truthy(value: data.ExpressionData): boolean {
  if (value instanceof data.Null) return false
  if (value instanceof data.BooleanData) return value.value
  if (value instanceof data.NumberData) return value.value !== 0 && !Number.isNaN(value.value)
  if (value instanceof data.StringData) return value.value !== ''
  return true
}

type Status = { failure?: boolean; cancelled?: boolean }

function evaluateExpression(expression: string, contexts: object, status: Status = {}) {
  const functions = new Map(
    (
      [
        ['success', !status.failure && !status.cancelled],
        ['failure', Boolean(status.failure)],
        ['cancelled', Boolean(status.cancelled)],
        ['always', true]
      ] as const
    ).map(([name, result]) => [
      name,
      { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(result) }
    ])
  )
  const lexed = new Lexer(expression).lex()
  const parsed = new Parser(lexed.tokens, CONTEXTS, [...functions.values()]).parse()
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary
  return new Evaluator(parsed, context, functions).evaluate()
}

/** A `with:` or `outputs:` value as the runner renders it: each `${{ }}` replaced. */
function render(template: unknown, contexts: object): string {
  const text = String(template)
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, body: string) =>
    evaluateExpression(body.trim(), contexts).coerceString()
  )
}

/** An `if:` as the runner decides it: an implicit success() unless a status function is used. */
function decide(condition: unknown, contexts: object, status: Status = {}): boolean {
  let text = String(condition ?? 'success()').trim()
  const wrapped = /^\$\{\{([\s\S]*)\}\}$/.exec(text)
  if (wrapped) text = wrapped[1].trim()
  if (!/\b(success|failure|always|cancelled)\(\)/.test(text)) text = `success() && (${text})`
  return truthy(evaluateExpression(text, contexts, status))
}

function jobOf(path: string, id?: string): Job {
  const jobs = files.get(path)!.doc.jobs ?? {}
  return id ? jobs[id] : Object.values(jobs)[0]
}

function stepOf(job: Job, id: string): Step {
  const step = (job.steps ?? []).find(s => s.id === id)
  if (!step) throw new Error(`no step ${id}`)
  return step
}

/** The inputs a reusable workflow receives: its declared defaults, then what the caller gave. */
function inputsOf(path: string, given: Record<string, unknown>): Record<string, unknown> {
  const on = files.get(path)!.doc.on as {
    workflow_call: { inputs: Record<string, { default?: unknown }> }
  }
  const defaults = Object.fromEntries(
    Object.entries(on.workflow_call.inputs).map(([name, spec]) => [name, spec?.default ?? ''])
  )
  return { ...defaults, ...given }
}

describe('deploy.yml', () => {
  const job = jobOf('.github/workflows/deploy.yml')
  const base = (inputs: Record<string, unknown>, more: object = {}) => ({
    inputs: inputsOf('.github/workflows/deploy.yml', {
      environment: 'staging',
      version: 'v1.4.0-rc.1',
      ...inputs
    }),
    vars: {},
    secrets: {},
    env: { SLIPWAY_HAS_DATABASE_URL: 'false' },
    runner: { temp: '/home/runner/work/_temp' },
    steps: {},
    job: { status: 'success' },
    github: { run_attempt: '1' },
    ...more
  })

  it('gives preflight and deploy the artifact file inside the downloaded artifact, or nothing', () => {
    for (const id of ['preflight', 'deploy']) {
      const step = stepOf(job, id)
      expect(
        render(step.with!.artifact, base({ artifact: 'app', 'artifact-file': 'app.tar.gz' }))
      ).toBe('/home/runner/work/_temp/slipway-artifact/app.tar.gz')
      expect(render(step.with!.artifact, base({}))).toBe('')
    }
  })

  it('backs up only when asked and when there is a database or paths to back up', () => {
    const backup = stepOf(job, 'backup')
    const withDb = { env: { SLIPWAY_HAS_DATABASE_URL: 'true' } }
    expect(decide(backup.if, base({}))).toBe(false)
    expect(decide(backup.if, base({}, withDb))).toBe(true)
    expect(decide(backup.if, base({ 'backup-paths': 'uploads/' }))).toBe(true)
    expect(decide(backup.if, base({ 'run-backup': false }, withDb))).toBe(false)
  })

  it('backs up the database, or the paths as files, never both into one engine', () => {
    const backup = stepOf(job, 'backup')
    const secrets = { secrets: { DATABASE_URL: 'postgres://app:pw@db/app' } }
    expect(render(backup.with!.engine, base({}, secrets))).toBe('')
    expect(render(backup.with!['database-url'], base({}, secrets))).toBe('postgres://app:pw@db/app')
    expect(render(backup.with!.engine, base({ 'backup-paths': 'uploads/' }, secrets))).toBe('files')
    expect(
      render(backup.with!['database-url'], base({ 'backup-paths': 'uploads/' }, secrets))
    ).toBe('')
    expect(render(backup.with!.engine, base({ 'backup-engine': 'mysql' }, secrets))).toBe('mysql')
  })

  it('keeps backups in a directory when one is known, else as workflow artifacts', () => {
    const backup = stepOf(job, 'backup')
    expect(render(backup.with!.store, base({}))).toBe('artifact')
    expect(
      render(backup.with!.store, base({}, { vars: { SLIPWAY_BACKUP_PATH: '/srv/backups' } }))
    ).toBe('dir')
    expect(
      render(backup.with!.path, base({}, { vars: { SLIPWAY_BACKUP_PATH: '/srv/backups' } }))
    ).toBe('/srv/backups')
    expect(render(backup.with!.store, base({ 'backup-path': '/mnt/b' }))).toBe('dir')
    expect(
      render(backup.with!.store, base({ 'backup-path': '/mnt/b', 'backup-store': 'artifact' }))
    ).toBe('artifact')
  })

  it('never allows an unencrypted artifact backup by default (the backup action then refuses it)', () => {
    const backup = stepOf(job, 'backup')
    expect(render(backup.with!.store, base({}))).toBe('artifact')
    expect(render(backup.with!['encrypt-recipients'], base({}))).toBe('')
    expect(render(backup.with!['allow-unencrypted-artifact'], base({}))).toBe('false')
    expect(
      render(
        backup.with!['allow-unencrypted-artifact'],
        base({ 'backup-allow-unencrypted-artifact': true })
      )
    ).toBe('true')
    expect(
      render(
        backup.with!['encrypt-recipients'],
        base({}, { vars: { SLIPWAY_BACKUP_RECIPIENTS: 'age1example' } })
      )
    ).toBe('age1example')
  })

  it('takes per-environment settings from the Environment variables unless given', () => {
    const deploy = stepOf(job, 'deploy')
    const vars = {
      vars: {
        SLIPWAY_TARGETS: 'blue=10.0.0.1:80,green=10.0.0.2:80',
        SLIPWAY_ENVIRONMENT_URL: 'https://staging.example.com'
      }
    }
    expect(render(deploy.with!.targets, base({}, vars))).toBe('blue=10.0.0.1:80,green=10.0.0.2:80')
    expect(render(deploy.with!.targets, base({ targets: 'a,b' }, vars))).toBe('a,b')
    expect(render(deploy.with!['environment-url'], base({}, vars))).toBe(
      'https://staging.example.com'
    )
    expect(render(deploy.with!['router-host'], base({}))).toBe('local')
  })

  it('smoke-tests the environment URL by default, the given checks against it otherwise, nothing without either', () => {
    const smoke = stepOf(job, 'smoke')
    const vars = { vars: { SLIPWAY_ENVIRONMENT_URL: 'https://staging.example.com' } }
    expect(decide(smoke.if, base({}))).toBe(false)
    expect(decide(smoke.if, base({}, vars))).toBe(true)
    expect(render(smoke.with!.url, base({}, vars))).toBe('https://staging.example.com')
    expect(render(smoke.with!['base-url'], base({}, vars))).toBe('https://staging.example.com')
    const checks = base({ 'smoke-checks': '- url: /health' }, vars)
    expect(render(smoke.with!.url, checks)).toBe('')
    expect(render(smoke.with!['base-url'], checks)).toBe('https://staging.example.com')
    expect(decide(smoke.if, base({ 'smoke-url': 'https://x.example.com' }))).toBe(true)
  })

  it('rolls back only after a failure, from the Deployment this run recorded, and never in a dry run', () => {
    const rollback = stepOf(job, 'rollback')
    const recorded = {
      steps: { deploy: { outputs: { 'deployment-id': '42' }, outcome: 'success' } }
    }
    expect(decide(rollback.if, base({}, recorded), { failure: true })).toBe(true)
    expect(decide(rollback.if, base({}, recorded), {})).toBe(false)
    expect(decide(rollback.if, base({}), { failure: true })).toBe(false)
    expect(decide(rollback.if, base({ 'dry-run': true }, recorded), { failure: true })).toBe(false)
    expect(
      decide(rollback.if, base({ 'rollback-on-failure': false }, recorded), { failure: true })
    ).toBe(false)
    expect(rollback.with!['deployment-id']).toBe('${{ steps.deploy.outputs.deployment-id }}')
  })

  it('verifies a successful rollback even though the job has failed', () => {
    const verify = stepOf(job, 'verify')
    const vars = { vars: { SLIPWAY_ENVIRONMENT_URL: 'https://staging.example.com' } }
    const rolledBack = { ...vars, steps: { rollback: { outcome: 'success' } } }
    expect(decide(verify.if, base({}, rolledBack), { failure: true })).toBe(true)
    expect(
      decide(verify.if, base({}, { ...vars, steps: { rollback: { outcome: 'skipped' } } }), {
        failure: true
      })
    ).toBe(false)
    expect(decide(verify.if, base({}, rolledBack), { cancelled: true })).toBe(false)
  })

  it('reports a rolled-back run as rolled-back', () => {
    const report = (job.steps ?? []).find(s => s.uses?.includes('/actions/report@'))!
    const failed = { job: { status: 'failure' } }
    expect(
      render(
        report.with!.status,
        base({}, { ...failed, steps: { rollback: { outcome: 'success' } } })
      )
    ).toBe('rolled-back')
    expect(
      render(
        report.with!.status,
        base({}, { ...failed, steps: { rollback: { outcome: 'skipped' } } })
      )
    ).toBe('failure')
    expect(decide(report.if, base({}), { failure: true })).toBe(true)
  })
})

describe('workflows-templates/pipeline.yml', () => {
  const rc = jobOf('workflows-templates/pipeline.yml', 'release-candidate')
  const release = jobOf('workflows-templates/pipeline.yml', 'release')
  const staging = jobOf('workflows-templates/pipeline.yml', 'staging')

  it('deploys the release-candidate tag, or the commit when no commit calls for a release', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567'
    const version = (released: string, tag: string) =>
      render(rc.outputs!.version, {
        github: { sha },
        steps: { rc: { outputs: { released, tag } } }
      })
    expect(version('true', 'v1.4.0-rc.1')).toBe('v1.4.0-rc.1')
    expect(version('false', '')).toBe(sha)
    expect(version('true', '')).toBe(sha)
  })

  it('releases after production on a push, never in a dry run or without a release candidate', () => {
    const needs = (released: string) => ({
      needs: { 'release-candidate': { outputs: { released } } }
    })
    expect(decide(release.if, { ...needs('true'), inputs: {} })).toBe(true)
    expect(decide(release.if, { ...needs('true'), inputs: { 'dry-run': false } })).toBe(true)
    expect(decide(release.if, { ...needs('true'), inputs: { 'dry-run': true } })).toBe(false)
    expect(decide(release.if, { ...needs('false'), inputs: {} })).toBe(false)
  })

  it('passes a real boolean dry-run: false on a push, true when asked', () => {
    expect(render(staging.with!['dry-run'], { inputs: {} })).toBe('false')
    expect(render(staging.with!['dry-run'], { inputs: { 'dry-run': true } })).toBe('true')
  })
})

describe('.github/workflows/release.yml (our own release)', () => {
  const job = jobOf('.github/workflows/release.yml')
  const step = stepOf(job, 'release')
  const run = (conclusion: string, event = 'push') => ({
    github: {
      event_name: 'workflow_run',
      event: { workflow_run: { conclusion, event, head_sha: 'abc' } }
    },
    inputs: {}
  })

  it('releases only what ci passed on a push to main, or by hand', () => {
    expect(decide(job.if, run('success'))).toBe(true)
    expect(decide(job.if, run('failure'))).toBe(false)
    expect(decide(job.if, run('success', 'pull_request'))).toBe(false)
    expect(
      decide(job.if, {
        github: { event_name: 'workflow_dispatch', event: {} },
        inputs: { 'dry-run': true }
      })
    ).toBe(true)
  })

  it('is a dry run only when started by hand with dry-run', () => {
    expect(render(step.with!['dry-run'], run('success'))).toBe('false')
    const byHand = (dryRun: boolean) => ({
      github: { event_name: 'workflow_dispatch', event: {}, sha: 'def' },
      inputs: { 'dry-run': dryRun }
    })
    expect(render(step.with!['dry-run'], byHand(true))).toBe('true')
    expect(render(step.with!['dry-run'], byHand(false))).toBe('false')
    expect(render(step.with!['release-as'], run('success'))).toBe('')
    expect(
      render(step.with!['release-as'], { ...byHand(false), inputs: { 'release-as': '1.0.0' } })
    ).toBe('1.0.0')
    expect(render(step.with!.sha, run('success'))).toBe('abc')
    expect(render(step.with!.sha, byHand(false))).toBe('def')
  })
})
