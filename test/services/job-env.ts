import type { Emulator } from '../github-emulator/index.js'

// A run id per bundle run: a re-run of one job would continue its own Deployment, so every run
// a test starts must look like a job of its own.
let runCounter = 2000

/**
 * The runner environment of a job against the GitHub emulator at commit `sha`: what every test
 * that runs deploy-strategy or rollback as a bundle gives it, with a fresh GITHUB_RUN_ID each call.
 */
export function emulatorJobEnv(gh: Emulator, sha: string): Record<string, string> {
  return {
    GITHUB_API_URL: gh.url,
    GITHUB_TOKEN: gh.token,
    GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
    GITHUB_SHA: sha,
    GITHUB_RUN_ID: String(runCounter++),
    // the emulator has no secondary rate limit: no pause between writes
    SLIPWAY_GITHUB_WRITE_INTERVAL_MS: '0'
  }
}
