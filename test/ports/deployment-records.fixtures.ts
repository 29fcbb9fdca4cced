import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  DeploymentLedger,
  FileDeploymentRecords,
  type DeploymentRecords
} from '@slipway/deployments'
import { createGitHubClient } from '@slipway/github'
import { LedgerFile } from '@slipway/kit'
import { startEmulator } from '../github-emulator/index.js'

/**
 * One backend of the deployment-records port, prepared for a contract test: a repository with
 * three commits tagged v1.0.0, v1.1.0 and v1.2.0 (HEAD is the last).
 */
export interface RecordsFixture {
  /** The records as seen by one workflow run: another `runId` is another run. */
  records(runId?: string): DeploymentRecords
  /** Tag name → the commit it names. */
  commits: Record<'v1.0.0' | 'v1.1.0' | 'v1.2.0', string>
  /** How many deployments the backend holds, read from the backend itself. */
  deploymentCount(): number
  /** Stops the backend; throws when it saw something wrong (the emulator's OpenAPI check). */
  close(): Promise<void>
}

export const TAGS = ['v1.0.0', 'v1.1.0', 'v1.2.0'] as const

/** DeploymentLedger talking to the GitHub emulator, which checks every request and response. */
export async function githubFixture(): Promise<RecordsFixture> {
  const gh = await startEmulator()
  const commits = {} as RecordsFixture['commits']
  for (const tag of TAGS) {
    commits[tag] = gh.state.addCommit({ message: `fix: ${tag}` })
    gh.state.setRef(`refs/tags/${tag}`, commits[tag])
  }
  const octokit = createGitHubClient({
    token: gh.token,
    baseUrl: gh.url,
    retries: 0,
    writeIntervalMs: 0
  })
  return {
    records: (runId = '77') =>
      new DeploymentLedger(
        octokit,
        { owner: gh.owner, repo: gh.repo },
        {
          runId,
          runAttempt: '1',
          serverUrl: 'https://github.com',
          repository: `${gh.owner}/${gh.repo}`
        }
      ),
    commits,
    deploymentCount: () => gh.state.deployments.length,
    close: () => gh.close()
  }
}

/** FileDeploymentRecords on a ledger file in a fresh git checkout. */
export async function fileFixture(): Promise<RecordsFixture & { cwd: string; file: LedgerFile }> {
  const cwd = gitRepo()
  const commits = {} as RecordsFixture['commits']
  for (const tag of TAGS) {
    git(cwd, 'commit', '-q', '--allow-empty', '-m', `fix: ${tag}`)
    git(cwd, 'tag', tag)
    commits[tag] = git(cwd, 'rev-parse', 'HEAD').trim()
  }
  const file = new LedgerFile(join(cwd, '.slipway', 'ledger.json'))
  return {
    cwd,
    file,
    records: (runId = '77') => new FileDeploymentRecords(file, { cwd, runId, runAttempt: '1' }),
    commits,
    deploymentCount: () => file.read().deployments.length,
    close: async () => rmSync(cwd, { recursive: true, force: true })
  }
}

/** A fresh, empty git repository. */
export function gitRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-records-'))
  git(dir, 'init', '-q', '-b', 'main')
  git(dir, 'config', 'user.email', 'dev@example.com')
  git(dir, 'config', 'user.name', 'Dev')
  return dir
}

export function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`)
  return result.stdout
}
