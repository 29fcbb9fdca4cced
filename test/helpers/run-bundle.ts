import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { tempDir } from './temp-dir.js'

export const repoRoot = new URL('../..', import.meta.url).pathname

/**
 * The defaults `action.yml` declares for the bundle's inputs. An expression default (`${{
 * github.token }}`) is left out: tests pass tokens explicitly.
 */
function declaredDefaults(name: string): Record<string, string> {
  // dist/pipeline is the all-in-one action at the repository's root
  const file = name === 'pipeline' ? 'action.yml' : join('actions', name, 'action.yml')
  const path = join(repoRoot, file)
  if (!existsSync(path)) return {}
  const action = parse(readFileSync(path, 'utf8')) as {
    inputs?: Record<string, { default?: unknown }>
  }
  return Object.fromEntries(
    Object.entries(action.inputs ?? {})
      .filter(([, spec]) => spec.default !== undefined && !String(spec.default).includes('${{'))
      .map(([input, spec]) => [input, String(spec.default)])
  )
}

export interface BundleRun {
  exitCode: number | null
  outputs: Record<string, string>
  /** What the action saved with core.saveState, for a post step. */
  state: Record<string, string>
  summary: string
  stdout: string
  stderr: string
  annotations: { errors: string[]; warnings: string[]; notices: string[] }
  /** The working directory, kept until the test file's tests are done. */
  workspace: string
}

export interface BundleOptions {
  inputs?: Record<string, string | number | boolean | undefined>
  env?: Record<string, string | undefined>
  /** Working directory (GITHUB_WORKSPACE); by default a fresh one, removed after the file's tests. */
  workspace?: string
  timeoutMs?: number
  /** Text on the program's standard input. */
  stdin?: string
}

/**
 * Runs `node dist/<name>/index.js` the way the Actions runner runs a node24 action:
 * inputs as INPUT_* variables, and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE files.
 * Asynchronous on purpose: the GitHub emulator serves from this same process.
 */
export async function runBundle(name: string, options: BundleOptions = {}): Promise<BundleRun> {
  const files = mkdtempSync(join(tmpdir(), `slipway-runner-${name}-`))
  const workspace = options.workspace ?? tempDir(`workspace-${name}`)
  const paths = {
    output: join(files, 'output'),
    summary: join(files, 'summary'),
    state: join(files, 'state'),
    env: join(files, 'env'),
    path: join(files, 'path')
  }
  for (const file of Object.values(paths)) writeFileSync(file, '')
  const inputEnv: Record<string, string> = {}
  // As the runner does: every declared default the step did not set is passed too, so a
  // default that an action's own checks would refuse shows here as it would on GitHub.
  const given = { ...declaredDefaults(name), ...options.inputs }
  for (const [key, value] of Object.entries(given)) {
    if (value !== undefined)
      inputEnv[`INPUT_${key.replace(/ /g, '_').toUpperCase()}`] = String(value)
  }
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: process.env.LANG,
    TMPDIR: process.env.TMPDIR,
    NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_TEMP: files,
    RUNNER_OS: 'Linux',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: paths.output,
    GITHUB_STEP_SUMMARY: paths.summary,
    GITHUB_STATE: paths.state,
    GITHUB_ENV: paths.env,
    GITHUB_PATH: paths.path,
    GITHUB_REPOSITORY: 'octo-org/octo-app',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '1001',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'deploy',
    GITHUB_SHA: 'ffac537e6cbbf934b08745a378932722df287a53',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKFLOW: 'deploy',
    SLIPWAY_GITHUB_WRITE_INTERVAL_MS: process.env.SLIPWAY_GITHUB_WRITE_INTERVAL_MS,
    ...inputEnv,
    ...options.env
  }
  const bundle = join(repoRoot, 'dist', name, 'index.js')
  const result = await new Promise<{ exitCode: number | null; stdout: string; stderr: string }>(
    resolve => {
      const child = spawn(process.execPath, [bundle], { cwd: workspace, env: definedOnly(env) })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', chunk => (stdout += chunk))
      child.stderr.on('data', chunk => (stderr += chunk))
      child.stdin.end(options.stdin ?? '')
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
      child.on('close', code => {
        clearTimeout(timer)
        resolve({ exitCode: code, stdout, stderr })
      })
    }
  )
  const run: BundleRun = {
    ...result,
    outputs: parseCommandFile(readFileSync(paths.output, 'utf8')),
    state: parseCommandFile(readFileSync(paths.state, 'utf8')),
    summary: readFileSync(paths.summary, 'utf8'),
    annotations: parseAnnotations(result.stdout),
    workspace
  }
  rmSync(files, { recursive: true, force: true })
  return run
}

function definedOnly(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined))
}

/** Parses the runner's file-command format: `name<<DELIMITER\nvalue\nDELIMITER` or `name=value`. */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const body: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i])
      values[name] = body.join('\n')
    } else if (line.includes('=')) {
      const at = line.indexOf('=')
      values[line.slice(0, at)] = line.slice(at + 1)
    }
  }
  return values
}

function parseAnnotations(stdout: string): BundleRun['annotations'] {
  const found = { errors: [] as string[], warnings: [] as string[], notices: [] as string[] }
  for (const line of stdout.split('\n')) {
    const match = /^::(error|warning|notice)(?: [^:]*)?::(.*)$/.exec(line)
    if (!match) continue
    const text = match[2].replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
    if (match[1] === 'error') found.errors.push(text)
    else if (match[1] === 'warning') found.warnings.push(text)
    else found.notices.push(text)
  }
  return found
}
