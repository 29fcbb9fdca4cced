import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { repoRoot } from '../helpers/run-bundle.js'
import { tempDir } from '../helpers/temp-dir.js'

export const bin = join(repoRoot, 'packages', 'cli', 'bin', 'slipway.mjs')

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `node packages/cli/bin/slipway.mjs …` as a user would, without GitHub's variables. */
export function slipway(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number }
): Promise<CliRun> {
  const env: Record<string, string> = {}
  for (const key of ['PATH', 'HOME', 'LANG', 'TMPDIR'])
    if (process.env[key]) env[key] = process.env[key]!
  for (const [key, value] of Object.entries(options.env ?? {}))
    if (value !== undefined) env[key] = value
  return new Promise(resolve => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd, env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr += chunk))
    child.stdin.end()
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('close', code => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/** A fresh git repository with one commit per message. */
export function gitRepo(messages: string[] = ['feat: first']): string {
  const dir = tempDir('cli')
  const git = (...args: string[]) => {
    const result = spawnSync('git', args, { cwd: dir, encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`)
    return result.stdout
  }
  git('init', '-q', '-b', 'main')
  git('config', 'user.email', 'dev@example.com')
  git('config', 'user.name', 'Dev')
  for (const message of messages) git('commit', '-q', '--allow-empty', '-m', message)
  return dir
}

export function gitIn(dir: string, ...args: string[]): string {
  return spawnSync('git', args, { cwd: dir, encoding: 'utf8' }).stdout
}
