import type { Emulator } from '../github-emulator/index.js'
import type { FixtureRepository } from './fixture-repo.js'

export type Values = Record<string, string>

/** What the runner needs around it: GitHub, the repository, the settings (each run gets its own
 * artifact service, as each workflow run has its own artifacts). */
export interface RunnerSetup {
  github: Emulator
  repository: FixtureRepository
  /** Repository variables (`vars`) and secrets. */
  vars?: Values
  secrets?: Values
  /** Each Environment's variables and secrets (they win over the repository's). */
  environments?: Record<string, { vars?: Values; secrets?: Values }>
  /** The runner machine's own environment, beside PATH/HOME/LANG/TMPDIR. */
  machineEnv?: Values
  /** Safety net per step; a step normally ends long before. */
  stepDeadlineMs?: number
}

export interface RunRequest {
  /** Path of the workflow file relative to the repository root. */
  workflow: string
  /** The workflow's text instead of the file (the unit tests' small fixtures). */
  text?: string
  event: 'push' | 'pull_request' | 'workflow_dispatch' | 'workflow_run' | 'workflow_call'
  /** `workflow_dispatch` / `workflow_call` inputs. */
  inputs?: Record<string, unknown>
  /** `workflow_call`: the secrets passed. */
  secrets?: Values
  /** The event payload (`github.event`). */
  payload?: Record<string, unknown>
  /** The commit; the head of the repository's main branch by default. */
  sha?: string
  ref?: string
  actor?: string
}

export type Result = 'success' | 'failure' | 'skipped'

export interface StepRecord {
  job: string
  name: string
  id?: string
  outcome: Result
  conclusion: Result
  outputs: Values
  /** What the step printed (secrets masked). */
  log: string
  summary: string
  errors: string[]
}

export interface JobRecord {
  result: Result
  outputs: Values
  steps: StepRecord[]
  /** The Environment the job referenced, after its approval was recorded. */
  environment?: string
}

export interface Approval {
  job: string
  environment: string
}

export interface RunRecord {
  conclusion: 'success' | 'failure'
  /** By job path: `staging` for a call, `staging/deploy` for the called workflow's job. */
  jobs: Record<string, JobRecord>
  /** Every job that referenced an Environment, in the order they were approved. */
  approvals: Approval[]
  /** `workflow_call`: the workflow's outputs. */
  outputs: Values
  runId: number
  /** The artifacts the run uploaded. */
  artifacts: { name: string; size: number }[]
}
