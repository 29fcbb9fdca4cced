import { parseRepository, type RepoRef } from '@slipway/github'
import { InputError, urlCredentials, type Inputs, type RunnerEnv } from '@slipway/kit'
import type { CheckDefinition } from './definitions.js'
import { parseChecks } from './inputs.js'

export type FailOn = 'error' | 'never'

/** Where github-checks and deployment-lock read: the front end builds their ports from it. */
export interface GitHubAccess {
  token: string
  repository: RepoRef
  /** GITHUB_API_URL; undefined means github.com. */
  apiUrl?: string
}

export interface PreflightSettings {
  /** Every check, validated, with unique names. */
  checks: CheckDefinition[]
  failOn: FailOn
  dryRun: boolean
  /** How many checks run at once. */
  maxParallel: number
  /** This workflow run, left out of github-checks and deployment-lock. */
  currentRunId?: number
  /** Only when a check needs GitHub. */
  github?: GitHubAccess
  /** The token and the passwords in check URLs: masked before anything runs. */
  readonly secrets: string[]
  /** What the run logs as warnings before the checks: deprecated inputs that were used. */
  readonly warnings?: string[]
}

/**
 * Reads and validates the preflight-check inputs. Every problem is an InputError naming the
 * input (`tcp`, `checks[2].url`), thrown before any check runs; nothing is changed.
 */
export function parsePreflightSettings(inputs: Inputs, runnerEnv: RunnerEnv): PreflightSettings {
  const warnings: string[] = []
  const plain = {
    checks: inputs.yaml('checks'),
    httpUrl: inputs.string('http-url'),
    expectStatus: inputs.string('expect-status'),
    tcp: inputs.list('tcp'),
    dns: inputs.list('dns'),
    tls: inputs.list('tls'),
    requiredVars: inputs.list('required-vars'),
    ...appConfigFile(inputs, warnings),
    configSchema: inputs.string('config-schema'),
    artifact: inputs.string('artifact'),
    artifactSha256: inputs.string('artifact-sha256'),
    diskPath: inputs.string('disk-path'),
    diskMinFree: inputs.string('disk-min-free'),
    memoryMinFree: inputs.string('memory-min-free'),
    command: inputs.string('command'),
    githubChecks: inputs.bool('github-checks'),
    requiredChecks: inputs.list('required-checks'),
    freezeWindows: inputs.yaml('freeze-windows'),
    deploymentLock: inputs.bool('deployment-lock'),
    defaults: {
      timeoutMs: inputs.duration('timeout', { default: '10s', min: 1 }),
      retries: inputs.int('retries', { default: 0, min: 0, max: 20 }),
      retryDelayMs: inputs.duration('retry-delay', { default: '2s' }),
      tlsMinDays: inputs.int('tls-min-days', { default: 14, min: 0 }),
      timezone: inputs.string('timezone', { default: 'UTC' }),
      ref: inputs.string('ref') ?? runnerEnv.sha,
      environment: inputs.string('environment')
    }
  }
  const failOn = inputs.enumOf('fail-on', ['error', 'never'] as const, { default: 'error' })
  const dryRun = inputs.bool('dry-run')
  const maxParallel = inputs.int('max-parallel', { default: 16, min: 1, max: 256 })
  const token = inputs.string('token')
  const repository = inputs.string('repository') ?? runnerEnv.repository

  const checks = parseChecks(plain)
  const github = needsGitHub(checks) ? githubAccess(token, repository, runnerEnv) : undefined
  const secrets = checks.flatMap(check =>
    check.type === 'http' ? urlCredentials(check.spec.url) : []
  )
  if (token) secrets.push(token)
  return {
    checks,
    failOn,
    dryRun,
    maxParallel,
    currentRunId: runIdOf(runnerEnv.runId),
    github,
    secrets,
    warnings
  }
}

/**
 * `app-config-file`, or the deprecated `config-file`: everywhere else `config-file` is the
 * Slipway config file, so this action's app config got its own name. The old name still works
 * (existing workflows keep passing) with a warning; both at once with different values is
 * ambiguous and refused.
 */
function appConfigFile(
  inputs: Inputs,
  warnings: string[]
): { configFile?: string; configFileInput?: 'app-config-file' | 'config-file' } {
  const current = inputs.string('app-config-file')
  const legacy = inputs.string('config-file')
  if (legacy === undefined) return { configFile: current, configFileInput: 'app-config-file' }
  if (current !== undefined && current !== legacy)
    throw new InputError(
      'config-file',
      'left out when app-config-file is given (config-file is its deprecated name)',
      legacy
    )
  warnings.push(
    'The input config-file is deprecated here: use app-config-file (config-file names the Slipway config file everywhere else).'
  )
  if (current !== undefined) return { configFile: current, configFileInput: 'app-config-file' }
  return { configFile: legacy, configFileInput: 'config-file' }
}

function needsGitHub(checks: CheckDefinition[]): boolean {
  return checks.some(check => check.type === 'github-checks' || check.type === 'deployment-lock')
}

function githubAccess(
  token: string | undefined,
  repositoryText: string | undefined,
  runnerEnv: RunnerEnv
): GitHubAccess {
  const repository = parseRepository(repositoryText)
  if (!repository)
    throw new InputError('repository', 'owner/name (GITHUB_REPOSITORY by default)', repositoryText)
  if (!token) {
    throw new InputError(
      'token',
      'a GitHub token with checks:read, statuses:read, deployments:read and actions:read (github.token works)',
      undefined
    )
  }
  return { token, repository, apiUrl: runnerEnv.apiUrl }
}

function runIdOf(text: string | undefined): number | undefined {
  return text && /^\d+$/.test(text) ? Number(text) : undefined
}
