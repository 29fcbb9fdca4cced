/**
 * What a workflow test starts: the GitHub emulator, the artifact emulator and the fixture
 * repository, and the runner bound to them. `close()` stops both servers and fails the test
 * when GitHub's OpenAPI description rejected a request or a response, or the artifact service
 * saw a malformed request.
 */
import { startArtifactEmulator, type ArtifactEmulator } from '../artifact-emulator/server.js'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { createFixtureRepository, type FixtureRepository } from './fixture-repo.js'
import { runWorkflow } from './runner.js'
import type { RunRecord, RunRequest, RunnerSetup } from './types.js'

export interface Harness {
  github: Emulator
  artifacts: ArtifactEmulator
  repository: FixtureRepository
  setup: RunnerSetup
  run(request: RunRequest): Promise<RunRecord>
  close(): Promise<void>
}

export async function startHarness(
  settings: Omit<RunnerSetup, 'github' | 'artifacts' | 'repository'> = {}
): Promise<Harness> {
  const github = await startEmulator()
  const artifacts = await startArtifactEmulator()
  const repository = createFixtureRepository(github)
  const setup: RunnerSetup = { ...settings, github, artifacts, repository }
  return {
    github,
    artifacts,
    repository,
    setup,
    run: request => runWorkflow(setup, request),
    async close() {
      repository.remove()
      await artifacts.close()
      await github.close()
      if (artifacts.validationErrors.length > 0) {
        throw new Error(`artifact service: ${artifacts.validationErrors.join('; ')}`)
      }
    }
  }
}

/** A run's failed steps, as `job: step: first error`, for a readable assertion message. */
export function failedSteps(run: RunRecord): string[] {
  return Object.values(run.jobs).flatMap(job =>
    job.steps
      .filter(step => step.outcome === 'failure')
      .map(step => `${step.job}: ${step.name}: ${step.errors[0] ?? step.log.slice(-500)}`)
  )
}

/** Each job's result, by path. */
export function results(run: RunRecord): Record<string, string> {
  return Object.fromEntries(Object.entries(run.jobs).map(([path, job]) => [path, job.result]))
}
