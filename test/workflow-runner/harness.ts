/**
 * What a workflow test starts: the GitHub emulator and the fixture repository, and the runner
 * bound to them. `close()` stops the emulator and fails the test when GitHub's OpenAPI
 * description rejected a request or a response.
 */
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { createFixtureRepository, type FixtureRepository } from './fixture-repo.js'
import { runWorkflow } from './runner.js'
import type { RunRecord, RunRequest, RunnerSetup } from './types.js'

export interface Harness {
  github: Emulator
  repository: FixtureRepository
  setup: RunnerSetup
  run(request: RunRequest): Promise<RunRecord>
  close(): Promise<void>
}

export async function startHarness(
  settings: Omit<RunnerSetup, 'github' | 'repository'> = {}
): Promise<Harness> {
  const github = await startEmulator()
  const repository = createFixtureRepository(github)
  const setup: RunnerSetup = { ...settings, github, repository }
  return {
    github,
    repository,
    setup,
    run: request => runWorkflow(setup, request),
    async close() {
      repository.remove()
      await github.close()
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
