import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { run, type RunResult } from '@slipway/kit'
import type { HelmProviderOptions } from './options.js'

// node:fs/promises is loaded when Helm's kubeconfig is written, not with the module: a start that
// stops at an input error runs no Helm.
const fs = () => process.getBuiltinModule('node:fs/promises')

/** A helm command that failed: its message is the end of helm's output, redacted. */
export class HelmError extends Error {
  constructor(
    message: string,
    readonly result: RunResult
  ) {
    super(message)
    this.name = 'HelmError'
  }
}

/**
 * Runs helm without a shell, in an environment of its own: HOME and Helm's config, cache and
 * data directories in a temporary directory, the kubeconfig in a file there (0600), PATH as
 * the runner gave it, nothing else of the runner's (no tokens, no INPUT_*, no KUBECONFIG).
 * Everything it prints goes through the redactor before anyone sees it.
 */
export class HelmCli {
  private dir?: Promise<string>
  private major?: Promise<number>

  constructor(private readonly options: HelmProviderOptions) {}

  private workspace(): Promise<string> {
    this.dir ??= (async () => {
      const dir = await fs().mkdtemp(join(tmpdir(), 'slipway-helm-'))
      await fs().writeFile(join(dir, 'kubeconfig'), this.options.connection.text, { mode: 0o600 })
      return dir
    })()
    return this.dir
  }

  private redact(text: string): string {
    return this.options.redactor ? this.options.redactor.redact(text) : text
  }

  /** helm with the cluster's flags (namespace, context, kubeconfig); always resolves. */
  async run(args: string[], timeoutSeconds = 120): Promise<RunResult> {
    const dir = await this.workspace()
    const result = await run(
      this.options.helm,
      [
        ...args,
        '--namespace',
        this.options.namespace,
        '--kube-context',
        this.options.context,
        '--kubeconfig',
        join(dir, 'kubeconfig')
      ],
      {
        env: {
          PATH: this.options.path,
          HOME: dir,
          HELM_CONFIG_HOME: join(dir, 'config'),
          HELM_CACHE_HOME: join(dir, 'cache'),
          HELM_DATA_HOME: join(dir, 'data'),
          KUBECONFIG: undefined
        },
        // helm's own --timeout bounds the wait; this only stops a helm that hangs past it.
        timeoutMs: (timeoutSeconds + 60) * 1000,
        redactor: this.options.redactor
      }
    )
    return { ...result, stdout: this.redact(result.stdout), stderr: this.redact(result.stderr) }
  }

  /** helm that must succeed: a HelmError with the end of its output otherwise. */
  async checked(args: string[], timeoutSeconds?: number): Promise<RunResult> {
    const result = await this.run(args, timeoutSeconds)
    if (result.exitCode === 0) return result
    const text = (result.stderr || result.stdout).trim().split('\n').slice(-6).join('\n')
    const how = result.timedOut ? 'timed out' : `exited with code ${result.exitCode}`
    throw new HelmError(`helm ${args[0]} ${how}: ${text}`, result)
  }

  /**
   * The major version of helm (`helm version --short`), asked once: Helm 4 renamed `--atomic`
   * to `--rollback-on-failure`.
   */
  majorVersion(): Promise<number> {
    this.major ??= (async () => {
      const dir = await this.workspace()
      const result = await run(this.options.helm, ['version', '--short'], {
        env: { PATH: this.options.path, HOME: dir, KUBECONFIG: undefined },
        timeoutMs: 30_000
      })
      const major = /^v(\d+)\./.exec(result.stdout.trim())?.[1]
      if (result.exitCode !== 0 || !major)
        throw new HelmError(
          `helm version failed: ${this.redact((result.stderr || result.stdout).trim())}`,
          result
        )
      return Number(major)
    })()
    return this.major
  }

  async close(): Promise<void> {
    const dir = this.dir
    this.dir = undefined
    if (dir) await fs().rm(await dir, { recursive: true, force: true })
  }
}
