import { UserError, type Redactor } from '@slipway/kit'
import type { ExecResult, Transport } from '../transport.js'
import { dockerFailureHint } from './failure-hints.js'

/**
 * The one fixed program that runs `docker` on a host: the arguments arrive as DATA, one per
 * line, in `SLIPWAY_DOCKER_ARGS` and become an array with `readarray`; no value is ever parsed
 * as shell syntax (a version `1; rm -rf /` is one argument). `docker` finds its Engine from the
 * host's own environment (`DOCKER_HOST`, the default socket).
 */
export const DOCKER_COMMAND =
  'readarray -t args <<<"$SLIPWAY_DOCKER_ARGS"; exec docker "${args[@]}"'

/**
 * Pulls with a registry login that lives only for this command: a throw-away `--config`
 * directory (never the user's ~/.docker), the password on docker's standard input through
 * `printf` (a bash builtin: it never reaches a process argument list), removed on exit.
 */
export const LOGIN_PULL_COMMAND = [
  'set -e',
  'dir=$(mktemp -d)',
  `trap 'rm -rf -- "$dir"' EXIT`,
  // docker's own "credentials are stored unencrypted" warning is noise here (the directory is
  // gone when the pull ends): the login's output is shown only when the login fails.
  `out=$(printf '%s' "$SLIPWAY_REGISTRY_PASSWORD" | docker --config "$dir" login --username "$SLIPWAY_REGISTRY_USERNAME" --password-stdin "$SLIPWAY_REGISTRY" 2>&1) || { printf '%s\\n' "$out" >&2; exit 1; }`,
  'docker --config "$dir" pull -q "$SLIPWAY_IMAGE"'
].join('\n')

// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const CONTROL = /[\x00-\x1F\x7F]/

/** The argument list as `SLIPWAY_DOCKER_ARGS`; refuses what could not travel as one line each. */
export function encodeArgs(args: string[]): string {
  if (args.length === 0) throw new Error('docker: no arguments')
  for (const arg of args) {
    if (CONTROL.test(arg))
      throw new Error(
        `docker ${args[0]}: refusing an argument with a newline or control character: ${JSON.stringify(arg.slice(0, 80))}`
      )
  }
  return args.join('\n')
}

/** A docker command that failed for a reason we cannot name: reported as a bug, with its output. */
export class DockerCommandError extends Error {
  constructor(
    message: string,
    readonly result: ExecResult
  ) {
    super(message)
    this.name = 'DockerCommandError'
  }
}

/** A docker command that failed for a reason the user can fix (see dockerFailureHint). */
export class DockerRefusal extends UserError {
  constructor(
    message: string,
    hint: string,
    readonly result: ExecResult
  ) {
    super(message, hint)
    this.name = 'DockerRefusal'
  }
}

export interface DockerCliOptions {
  /** Per command (a pull or a load of a large image takes minutes). */
  timeoutMs: number
  redactor?: Redactor
}

/** `docker` on one host, through its transport (this machine or SSH). */
export class DockerCli {
  constructor(
    readonly transport: Transport,
    private readonly options: DockerCliOptions
  ) {}

  get label(): string {
    return this.transport.label
  }

  redact(text: string): string {
    return this.options.redactor ? this.options.redactor.redact(text) : text
  }

  /** Runs `docker …args`; resolves with the result whatever the exit code. */
  run(args: string[], timeoutMs = this.options.timeoutMs): Promise<ExecResult> {
    return this.transport.exec(DOCKER_COMMAND, { SLIPWAY_DOCKER_ARGS: encodeArgs(args) }, timeoutMs)
  }

  /** Runs `docker …args` and returns its standard output; throws a redacted error unless it exits 0. */
  async ok(args: string[], timeoutMs = this.options.timeoutMs): Promise<string> {
    const result = await this.run(args, timeoutMs)
    if (result.exitCode !== 0) throw this.failure(`docker ${args[0]}`, result, timeoutMs)
    return result.stdout
  }

  /** A command's failure as an error naming the host, how it ended and its last lines (redacted). */
  failure(what: string, result: ExecResult, timeoutMs: number): DockerCommandError | DockerRefusal {
    const how = result.timedOut
      ? `timed out after ${Math.round(timeoutMs / 1000)}s`
      : `exited with code ${result.exitCode}`
    const tail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n')
    const message = this.redact(`${what} on ${this.label} ${how}${tail ? `: ${tail}` : ''}`)
    const hint = dockerFailureHint(what, result, this.label)
    return hint ? new DockerRefusal(message, hint, result) : new DockerCommandError(message, result)
  }

  /** Pulls a reference, logging in first (throw-away config) when a registry login is given. */
  async pull(
    reference: string,
    registry?: { server: string; username: string; password: string }
  ): Promise<void> {
    if (!registry) {
      await this.ok(['pull', '-q', reference])
      return
    }
    const result = await this.transport.exec(
      LOGIN_PULL_COMMAND,
      {
        SLIPWAY_REGISTRY: registry.server,
        SLIPWAY_REGISTRY_USERNAME: registry.username,
        SLIPWAY_REGISTRY_PASSWORD: registry.password,
        SLIPWAY_IMAGE: reference
      },
      this.options.timeoutMs
    )
    if (result.exitCode !== 0)
      throw this.failure(
        `docker login ${registry.server} + pull ${reference}`,
        result,
        this.options.timeoutMs
      )
  }

  /** `docker inspect` of containers or images; [] when none of them exists. */
  async inspect<T>(kind: 'container' | 'image', ids: string[]): Promise<T[]> {
    if (ids.length === 0) return []
    const result = await this.run([kind, 'inspect', ...ids])
    if (result.exitCode !== 0) {
      // Some ids vanished between listing and inspecting: inspect them one by one.
      if (ids.length > 1) {
        const each = await Promise.all(ids.map(id => this.inspect<T>(kind, [id])))
        return each.flat()
      }
      if (/no such|not found/i.test(result.stderr)) return []
      throw this.failure(`docker ${kind} inspect`, result, this.options.timeoutMs)
    }
    return JSON.parse(result.stdout) as T[]
  }
}
