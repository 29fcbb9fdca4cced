import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createGitHubClient } from '@slipway/github'
import { FileReleaseStore, GitHubReleaseStore, type ReleaseStore } from '@slipway/release'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { mirrorCommits } from '../release/emulator-mirror.js'
import { GitFixture } from '../release/git-fixture.js'

/** One backend of the release port, prepared for a contract test: a repository with two commits. */
export interface ReleasesFixture {
  store: ReleaseStore
  /** The repository's commits, oldest first. */
  commits: [string, string]
  /** Stops the backend; throws when it saw something wrong (the emulator's OpenAPI check). */
  close(): Promise<void>
}

async function twoCommits(): Promise<{ repo: GitFixture; commits: [string, string] }> {
  const repo = await GitFixture.create('slipway-release-port-')
  const first = await repo.commit('feat: first\n', { files: { 'a.txt': '1' } })
  const second = await repo.commit('fix: second\n', { files: { 'a.txt': '2' } })
  return { repo, commits: [first, second] }
}

/** The GitHub store against the emulator, which checks every request and response. */
export async function githubFixture(): Promise<ReleasesFixture & { gh: Emulator }> {
  const gh = await startEmulator()
  const { repo, commits } = await twoCommits()
  await mirrorCommits(repo.dir, gh)
  const client = createGitHubClient({
    token: gh.token,
    baseUrl: gh.url,
    retries: 0,
    writeIntervalMs: 0
  })
  return {
    gh,
    store: new GitHubReleaseStore({ client, repository: { owner: gh.owner, repo: gh.repo } }),
    commits,
    close: async () => {
      repo.remove()
      await gh.close()
    }
  }
}

/** The file store: tags in a real git repository, releases in a ledger file beside it. */
export async function fileFixture(): Promise<
  ReleasesFixture & { repo: GitFixture; ledgerPath: string }
> {
  const { repo, commits } = await twoCommits()
  const ledgerDir = mkdtempSync(join(tmpdir(), 'slipway-release-ledger-'))
  const ledgerPath = join(ledgerDir, '.slipway', 'ledger.json')
  return {
    repo,
    ledgerPath,
    store: new FileReleaseStore({
      ledger: ledgerPath,
      cwd: repo.dir,
      repository: { owner: 'local', repo: 'app' }
    }),
    commits,
    close: async () => {
      repo.remove()
      rmSync(ledgerDir, { recursive: true, force: true })
    }
  }
}
