import { existsSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import { tmpdir } from 'node:os'
import { run, type Progress, type RunnerEnv } from '@slipway/kit'
import { githubBackends, localBackends, type Backends } from '@slipway/pipeline'
import type { ProviderRunnerEnv } from '@slipway/strategies'
import type { GlobalFlag } from './args.js'
import { serverUrlOf } from './server-url.js'

/**
 * Stands in for a token in the settings of local runs: stages that record deployments or
 * releases ask for one where GitHub would need it; the local backends never use it.
 */
export const LOCAL_LEDGER_TOKEN = 'slipway-local-ledger'

export interface Connection {
  /** The token the stages' settings see: the user's, or LOCAL_LEDGER_TOKEN. */
  token: string
  runnerEnv: RunnerEnv
  backends: Backends
  /** The ledger file, when there is no token. */
  ledgerPath?: string
}

/**
 * GitHub when a token is given (flag, GITHUB_TOKEN or GH_TOKEN), else the local ledger file and
 * the git checkout; and the runner facts the stages would get on a runner, from the checkout.
 * Server and API URLs only with a token: `local/<dir>` names a ledger, not a repository on a
 * server, so nothing links to one.
 */
export async function connect(
  globals: Partial<Record<GlobalFlag, string>>,
  env: NodeJS.ProcessEnv,
  cwd: string,
  progress: Progress
): Promise<Connection> {
  const token = globals.token ?? env.GITHUB_TOKEN ?? env.GH_TOKEN
  const runnerEnv: ProviderRunnerEnv = {
    workspace: env.GITHUB_WORKSPACE ?? cwd,
    runnerTemp: env.RUNNER_TEMP ?? tmpdir(),
    repository: globals.repository ?? env.GITHUB_REPOSITORY,
    sha: env.GITHUB_SHA || (await headSha(cwd)),
    runId: env.GITHUB_RUN_ID || undefined,
    runAttempt: env.GITHUB_RUN_ATTEMPT || undefined,
    // The kubeconfig (KUBECONFIG, HOME) and helm's PATH are the CLI's environment's, which
    // need not be the process's.
    variables: env
  }
  if (token) {
    const apiUrl = globals['api-url'] ?? env.GITHUB_API_URL ?? 'https://api.github.com'
    // Links (workflow run, deployments) point at the server behind the API, when it is known.
    const serverUrl = env.GITHUB_SERVER_URL ?? serverUrlOf(apiUrl)
    const onGitHub = { ...runnerEnv, apiUrl, serverUrl }
    return { token, runnerEnv: onGitHub, backends: githubBackends(token, onGitHub, progress) }
  }
  const ledgerPath = resolve(cwd, globals.ledger ?? env.SLIPWAY_LEDGER ?? '.slipway/ledger.json')
  const repository =
    runnerEnv.repository ?? `local/${basename(cwd).replace(/[^A-Za-z0-9._-]/g, '-') || 'project'}`
  const local = { ...runnerEnv, repository }
  return {
    token: LOCAL_LEDGER_TOKEN,
    runnerEnv: local,
    ledgerPath,
    backends: localBackends({ ledgerPath, cwd, repository, runnerEnv: local }, progress)
  }
}

async function headSha(cwd: string): Promise<string | undefined> {
  if (!existsSync(cwd)) return undefined
  const result = await run('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], {
    cwd,
    timeoutMs: 10_000
  })
  return result.exitCode === 0 ? result.stdout.trim() : undefined
}
