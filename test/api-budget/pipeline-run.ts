import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { Inputs, Redactor, runnerEnvOf, type Progress } from '@slipway/kit'
import {
  githubBackends,
  parsePipelineSettings,
  runPipelineStage,
  type PipelineStageResult
} from '@slipway/pipeline'
import type { Emulator } from '../github-emulator/index.js'
import { repoRoot } from '../helpers/run-bundle.js'

/** The requests one stage made: its span of the emulator's request log. */
export interface StageCalls {
  stage: string
  requests: string[]
}

export interface CountedRun {
  outcome: PipelineStageResult
  stages: StageCalls[]
  /** Every request of the run, stages or not. */
  total: number
}

/** The defaults the root action.yml declares, as the runner passes them (expressions left out). */
function declaredDefaults(): Record<string, string> {
  const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: unknown }>
  }
  return Object.fromEntries(
    Object.entries(action.inputs)
      .filter(([, spec]) => spec.default !== undefined && !String(spec.default).includes('${{'))
      .map(([name, spec]) => [name, String(spec.default)])
  )
}

const describeRequest = (q: Emulator['requests'][number]): string =>
  `${q.method} ${q.path.split('?')[0]}${q.fault ? ' (fault)' : ''} → ${q.status}`

/**
 * Runs the all-in-one pipeline in this process, from source, the way its action's main does
 * (parse every stage, GitHub backends, run), and splits the emulator's request log by stage:
 * each stage runs inside a log group, so the requests between a group's start and end are the
 * stage's own. `env` is the job's environment (GITHUB_*, and what the hooks read).
 */
export async function runCountedPipeline(
  gh: Emulator,
  inputs: Record<string, string>,
  env: Record<string, string>
): Promise<CountedRun> {
  Object.assign(process.env, env)
  const runnerEnv = runnerEnvOf({ ...process.env, ...env })
  const given: Record<string, string> = { ...declaredDefaults(), ...inputs }
  const settings = parsePipelineSettings(new Inputs(name => given[name]), runnerEnv, {
    token: env.GITHUB_TOKEN
  })
  const stages: StageCalls[] = []
  const before = gh.requests.length
  const progress: Progress = {
    info: () => undefined,
    warning: () => undefined,
    group: async (name, fn) => {
      const start = gh.requests.length
      try {
        return await fn()
      } finally {
        stages.push({
          stage: name,
          requests: gh.requests.slice(start).map(describeRequest)
        })
      }
    }
  }
  const outcome = await runPipelineStage(settings, {
    backends: githubBackends(settings.token, runnerEnv, progress),
    io: { secret: () => undefined, redactor: new Redactor(), variables: env }
  })
  return { outcome, stages, total: gh.requests.length - before }
}

/** A per-stage table of the calls, for the test log. */
export function callTable(run: CountedRun, budget: Record<string, number>): string {
  const rows = run.stages.flatMap(s => [
    `| ${s.stage} | ${s.requests.length} | ${budget[s.stage] ?? '–'} |`,
    ...s.requests.map(r => `| · ${r} | | |`)
  ])
  return [
    '| stage | calls | budget |',
    '| --- | --- | --- |',
    ...rows,
    `| total | ${run.total} | |`
  ].join('\n')
}

/** Writes the pipeline's config file; returns its path. */
export function writeConfig(dir: string, config: unknown): string {
  const file = join(dir, 'slipway.yml')
  writeFileSync(file, stringify(config))
  return file
}
