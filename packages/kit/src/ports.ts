import { tmpdir } from 'node:os'

/**
 * The small interfaces a stage runs against (its "ports"). A stage's `run<Stage>(settings,
 * ports)` reaches the outside world only through them, so the same engine runs in an action
 * (GitHub implementations), in the CLI's local mode (file-backed implementations) and in fast
 * tests (in-memory ones). Ports that talk to GitHub live with the package that owns the records:
 * deployment records in @slipway/deployments, releases and tags in @slipway/release.
 */

/** Progress and warnings, already redacted by whoever implements it. */
export interface Progress {
  info(message: string): void
  warning(message: string): void
  /**
   * Runs `fn` as one collapsible group of the log (the action front end); front ends without
   * groups leave it out, and `inGroup` prints a header line instead.
   */
  group?<T>(name: string, fn: () => Promise<T>): Promise<T>
}

/** Time, so waits and timestamps can be driven by a test without reading the wall clock. */
export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: ms => new Promise(resolve => setTimeout(resolve, ms))
}

/**
 * What a stage reads from the runner rather than from its inputs. Parsed once by the front end
 * (an action from GITHUB_* / RUNNER_* variables, the CLI from its flags and the checkout), so no
 * package reads process.env for these.
 */
export interface RunnerEnv {
  /** The checkout: relative paths in settings resolve against it. */
  workspace: string
  /** A directory for this job's temporary files, removed by the runner afterwards. */
  runnerTemp: string
  /** `owner/name`, when the run belongs to a repository. */
  repository?: string
  /** The commit being deployed or released. */
  sha?: string
  /** The web server behind the API (links); undefined in the CLI's local mode. */
  serverUrl?: string
  apiUrl?: string
  runId?: string
  runAttempt?: string
}

/** The runner's environment as GitHub sets it. */
export function runnerEnvOf(env: NodeJS.ProcessEnv = process.env): RunnerEnv {
  return {
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    runnerTemp: env.RUNNER_TEMP ?? tmpdir(),
    repository: env.GITHUB_REPOSITORY || undefined,
    sha: env.GITHUB_SHA || undefined,
    serverUrl: env.GITHUB_SERVER_URL || undefined,
    apiUrl: env.GITHUB_API_URL || undefined,
    runId: env.GITHUB_RUN_ID || undefined,
    runAttempt: env.GITHUB_RUN_ATTEMPT || undefined
  }
}
