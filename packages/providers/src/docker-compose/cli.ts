import type { ExecResult, Transport } from '../transport.js'
import { encodeArgs } from '../docker/docker-cli.js'

/**
 * The Compose command line a host offers: `v2` is the `docker compose` plugin (GitHub's
 * runners), `v1` the standalone `docker-compose` 1.x (Debian 12). Both take the same
 * arguments for what we use (`-p`, `-f`, `config --services`, `up -d`, `start`, `stop`, `logs`).
 */
export type ComposeCli = 'v1' | 'v2'

/** Fixed: tries v2 first (the maintained one), prints which one answered, or `none`. */
export const DETECT_COMPOSE = [
  'if docker compose version >/dev/null 2>&1; then echo v2',
  'elif docker-compose version >/dev/null 2>&1; then echo v1',
  'else echo none; fi'
].join('\n')

/**
 * Fixed: the arguments arrive one per line in SLIPWAY_COMPOSE_ARGS (encoded like the docker
 * provider's) and reach the program as an array, so no value is ever parsed by the shell.
 */
export const RUN_COMPOSE = [
  'readarray -t args <<<"$SLIPWAY_COMPOSE_ARGS"',
  'if [ "$SLIPWAY_COMPOSE_CLI" = v2 ]; then exec docker compose "${args[@]}"; fi',
  'exec docker-compose "${args[@]}"'
].join('\n')

/** The full argument array the fixed command runs, for tests and dry-run plans. */
export function composeArgv(cli: ComposeCli, args: string[]): string[] {
  return cli === 'v2' ? ['docker', 'compose', ...args] : ['docker-compose', ...args]
}

/** Which Compose the host has, or undefined when it has neither. */
export async function detectCompose(
  transport: Transport,
  timeoutMs: number
): Promise<ComposeCli | undefined> {
  const result = await transport.exec(DETECT_COMPOSE, {}, timeoutMs)
  const answer = result.stdout.trim()
  return answer === 'v1' || answer === 'v2' ? answer : undefined
}

export async function runCompose(
  transport: Transport,
  cli: ComposeCli,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number
): Promise<ExecResult> {
  return transport.exec(
    RUN_COMPOSE,
    { ...env, SLIPWAY_COMPOSE_CLI: cli, SLIPWAY_COMPOSE_ARGS: encodeArgs(args) },
    timeoutMs
  )
}

/** `<what> on <host> exited with code N: <last lines>` for a failed command. */
export function failure(what: string, transport: Transport, result: ExecResult): string {
  const how = result.timedOut ? 'timed out' : `exited with code ${result.exitCode}`
  const tail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n')
  return `${what} on ${transport.label} ${how}${tail ? `: ${tail}` : ''}`
}
