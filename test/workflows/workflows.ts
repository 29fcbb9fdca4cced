/**
 * Reads the workflow files we ship and resolves what their `uses:` point at, so the tests in
 * this folder can check them against the actions and reusable workflows in this repository.
 *
 * Kept free of jest so the checks are plain functions: each test runs them once over the real
 * files (expecting no finding) and once over a small bad example (expecting the finding), which
 * proves the check can fail.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  convertWorkflowTemplate,
  NoOperationTraceWriter,
  parseWorkflow
} from '@actions/workflow-parser'
import { parse } from 'yaml'
import { repoRoot } from '../helpers/run-bundle.js'

/** The owner users write in `uses: slipway-dev/slipway/actions/<name>@v1`; forks replace it. */
export const OWNER_REPO = 'slipway-dev/slipway'

/** Workflow files exempt from the house rules (none: ci.yml keeps them too). */
export const NOT_OURS = new Set<string>()

export interface WorkflowFile {
  /** Path relative to the repository root, with forward slashes. */
  path: string
  text: string
  doc: Workflow
  /** A reusable workflow (`on: workflow_call`) or a template users copy into their repository:
   * either way `uses: ./…` would resolve against the user's checkout, not ours. */
  runsInUsersRepo: boolean
}

export type Mapping = Record<string, unknown>

export interface Workflow {
  on?: unknown
  permissions?: unknown
  concurrency?: unknown
  jobs?: Record<string, Job>
}

export interface Job {
  name?: string
  uses?: string
  with?: Mapping
  secrets?: Mapping | 'inherit'
  permissions?: unknown
  concurrency?: unknown
  environment?: unknown
  outputs?: Mapping
  needs?: string | string[]
  if?: unknown
  steps?: Step[]
}

export interface Step {
  id?: string
  name?: string
  uses?: string
  run?: string
  with?: Mapping
  env?: Mapping
  if?: unknown
}

export interface ActionYaml {
  inputs?: Record<string, { required?: boolean; default?: unknown; description?: string } | null>
  outputs?: Record<string, unknown>
}

export interface WorkflowCall {
  inputs?: Record<string, { required?: boolean; default?: unknown; type?: string } | null>
  secrets?: Record<string, { required?: boolean } | null>
  outputs?: Record<string, { value?: string } | null>
}

function yamlFilesIn(dir: string): string[] {
  const abs = join(repoRoot, dir)
  if (!existsSync(abs)) return []
  return readdirSync(abs)
    .filter(name => /\.ya?ml$/.test(name))
    .sort()
    .map(name => `${dir}/${name}`)
}

export function loadWorkflow(path: string, text: string): WorkflowFile {
  const doc = (parse(text) ?? {}) as Workflow
  return {
    path,
    text,
    doc,
    runsInUsersRepo: path.startsWith('workflows-templates/') || workflowCall(doc) !== undefined
  }
}

/** Every workflow file in the repository: ours in .github/workflows and the starter templates. */
export function allWorkflowFiles(): WorkflowFile[] {
  return [...yamlFilesIn('.github/workflows'), ...yamlFilesIn('workflows-templates')].map(path =>
    loadWorkflow(path, readFileSync(join(repoRoot, path), 'utf8'))
  )
}

export function triggers(doc: Workflow): Mapping {
  const on = doc.on
  if (typeof on === 'string') return { [on]: null }
  if (Array.isArray(on)) return Object.fromEntries(on.map(name => [String(name), null]))
  return (on ?? {}) as Mapping
}

export function workflowCall(doc: Workflow): WorkflowCall | undefined {
  const on = triggers(doc)
  if (!('workflow_call' in on)) return undefined
  return (on.workflow_call ?? {}) as WorkflowCall
}

export type Resolved =
  | { kind: 'action'; name: string; file: string }
  | { kind: 'workflow'; file: string }
  | { kind: 'local-other'; file: string }
  | { kind: 'third-party'; repo: string; ref: string }
  | { kind: 'docker' }

/**
 * What a `uses:` value points at. Our actions are `./actions/<name>` (inside this repository),
 * `slipway-dev/slipway/actions/<name>@ref` (everywhere else) and `./` or `slipway-dev/slipway@ref`
 * for the all-in-one action at the root; our reusable workflows are
 * `slipway-dev/slipway/.github/workflows/<file>@ref` or `./.github/workflows/<file>`.
 */
export function resolveUses(uses: string): Resolved {
  if (uses.startsWith('docker://')) return { kind: 'docker' }
  if (uses === './' || uses === '.') return { kind: 'action', name: '(root)', file: 'action.yml' }
  let local: string | undefined
  if (uses.startsWith('./')) {
    local = uses.slice(2).replace(/\/$/, '')
  } else {
    const at = uses.lastIndexOf('@')
    const path = at === -1 ? uses : uses.slice(0, at)
    const ref = at === -1 ? '' : uses.slice(at + 1)
    if (path.toLowerCase() === OWNER_REPO) {
      return { kind: 'action', name: '(root)', file: 'action.yml' }
    }
    if (!path.toLowerCase().startsWith(`${OWNER_REPO}/`)) {
      return { kind: 'third-party', repo: path, ref }
    }
    local = path.slice(OWNER_REPO.length + 1)
  }
  if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(local)) return { kind: 'workflow', file: local }
  const action = /^actions\/([a-z0-9-]+)$/.exec(local)
  if (action) return { kind: 'action', name: action[1], file: `${local}/action.yml` }
  return { kind: 'local-other', file: local }
}

/** An action's metadata; a file that is not valid YAML (GitHub could not load it either) throws. */
export function readActionYaml(file: string): ActionYaml | undefined {
  const abs = join(repoRoot, file)
  if (!existsSync(abs)) return undefined
  try {
    return (parse(readFileSync(abs, 'utf8')) ?? {}) as ActionYaml
  } catch (error) {
    throw new Error(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, {
      cause: error
    })
  }
}

export function readReusableWorkflow(file: string): WorkflowCall | undefined {
  const abs = join(repoRoot, file)
  if (!existsSync(abs)) return undefined
  return workflowCall((parse(readFileSync(abs, 'utf8')) ?? {}) as Workflow)
}

export function jobsOf(doc: Workflow): [string, Job][] {
  return Object.entries(doc.jobs ?? {})
}

/** The names of our actions that a job's steps use (`deploy-strategy`, `(root)`, …). */
export function ourActionsIn(job: Job): string[] {
  const names: string[] = []
  for (const step of job.steps ?? []) {
    if (!step.uses) continue
    const resolved = resolveUses(step.uses)
    if (resolved.kind === 'action') names.push(resolved.name)
  }
  return names
}

/** Every `${{ … }}` expression body in a string. */
export function expressionsIn(text: string): string[] {
  return [...text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map(match => match[1].trim())
}

/** Every string anywhere inside a YAML value (keys excluded). */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(stringsIn)
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn)
  return []
}

/**
 * What GitHub's own parser (@actions/workflow-parser) finds wrong with a workflow; our reusable
 * workflows are read from this checkout, so a call with an unknown or missing input is an error.
 */
export async function parserErrors(path: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name: path, content }, new NoOperationTraceWriter())
  if (!parsed.value) return parsed.context.errors.getErrors().map(e => e.message)
  const template = await convertWorkflowTemplate(
    parsed.context,
    parsed.value,
    {
      async getFileContent(ref) {
        const file =
          'owner' in ref
            ? resolveUses(`${ref.owner}/${ref.repository}/${ref.path}@${ref.version}`)
            : resolveUses(`./${ref.path}`)
        if (file.kind !== 'workflow' || !existsSync(join(repoRoot, file.file))) {
          throw new Error(`not one of our reusable workflows: ${JSON.stringify(ref)}`)
        }
        return { name: file.file, content: readFileSync(join(repoRoot, file.file), 'utf8') }
      }
    },
    { fetchReusableWorkflowDepth: 1 }
  )
  // One context serves both steps, so the conversion's errors include the parse's.
  return (template.errors ?? []).map(e => e.Message)
}
