/**
 * The checks behind test/workflows: the contract between workflows and the actions and
 * reusable workflows they call, and the house rules for permissions, pinning, concurrency and
 * script injection. Each returns human-readable findings (`file: job … step …: problem`); an
 * empty list means the file passes.
 */
import {
  expressionsIn,
  jobsOf,
  NOT_OURS,
  ourActionsIn,
  OWNER_REPO,
  readActionYaml,
  readReusableWorkflow,
  resolveUses,
  stringsIn,
  triggers,
  workflowCall,
  type Job,
  type Mapping,
  type Step,
  type WorkflowFile
} from './workflows.js'

const SHA = /^[0-9a-f]{40}$/

/**
 * The third-party actions we use, each pinned to the commit its release tag points at (checked
 * against the actions' own repositories: `git tag --points-at <sha>`), with the inputs that
 * commit's action.yml declares. A new pin is added here only after the same check.
 */
export const VERIFIED_PINS: Record<string, { tag: string; inputs: string[] }> = {
  'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683': {
    tag: 'v4.2.2',
    inputs: [
      'repository',
      'ref',
      'token',
      'ssh-key',
      'ssh-known-hosts',
      'ssh-strict',
      'ssh-user',
      'persist-credentials',
      'path',
      'clean',
      'filter',
      'sparse-checkout',
      'sparse-checkout-cone-mode',
      'fetch-depth',
      'fetch-tags',
      'show-progress',
      'lfs',
      'submodules',
      'set-safe-directory',
      'github-server-url'
    ]
  },
  'actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020': {
    tag: 'v4.4.0',
    inputs: [
      'always-auth',
      'node-version',
      'node-version-file',
      'architecture',
      'check-latest',
      'registry-url',
      'scope',
      'token',
      'cache',
      'cache-dependency-path',
      'mirror',
      'mirror-token'
    ]
  },
  'actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02': {
    tag: 'v4.6.2',
    inputs: [
      'name',
      'path',
      'if-no-files-found',
      'retention-days',
      'compression-level',
      'overwrite',
      'include-hidden-files'
    ]
  },
  'actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093': {
    tag: 'v4.3.0',
    inputs: [
      'name',
      'artifact-ids',
      'path',
      'pattern',
      'merge-multiple',
      'github-token',
      'repository',
      'run-id'
    ]
  }
}
/** The one concurrency group every deploy and rollback of an environment shares. */
export const DEPLOY_GROUP_PREFIX = 'slipway-deploy-'
/** Our actions that change what runs in an environment, so they must hold its lock. */
const DEPLOYING_ACTIONS = new Set(['deploy-strategy', 'rollback', '(root)'])
const DEPLOYING_WORKFLOWS = new Set([
  '.github/workflows/deploy.yml',
  '.github/workflows/rollback.yml'
])
const RELEASING_ACTIONS = new Set(['tag-and-release', '(root)'])

function stepLabel(step: Step, index: number): string {
  return `step ${step.id ?? step.name ?? index + 1}`
}

function isRequired(spec: { required?: boolean; default?: unknown } | null | undefined): boolean {
  return spec?.required === true && (spec.default === undefined || spec.default === null)
}

/** Unknown keys and missing required keys of a `with:` (or `secrets:`) against declarations. */
function keyFindings(
  where: string,
  given: Mapping | undefined,
  declared: Record<string, { required?: boolean; default?: unknown } | null> | undefined,
  what: string,
  target: string
): string[] {
  const findings: string[] = []
  const declaredKeys = Object.keys(declared ?? {})
  for (const key of Object.keys(given ?? {})) {
    if (!declaredKeys.includes(key)) {
      findings.push(`${where}: ${what} '${key}' is not declared by ${target}`)
    }
  }
  for (const [key, spec] of Object.entries(declared ?? {})) {
    if (isRequired(spec) && !(key in (given ?? {}))) {
      findings.push(`${where}: required ${what} '${key}' of ${target} is missing`)
    }
  }
  return findings
}

/** Every `steps.<id>.outputs.<name>` in a job names an output the step's action declares. */
function stepOutputFindings(file: WorkflowFile, jobId: string, job: Job): string[] {
  const findings: string[] = []
  const stepsById = new Map((job.steps ?? []).filter(s => s.id).map(s => [s.id!, s]))
  for (const text of stringsIn(job)) {
    for (const expression of expressionsIn(text)) {
      for (const [, id, output] of expression.matchAll(
        /\bsteps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g
      )) {
        const step = stepsById.get(id)
        if (!step) {
          findings.push(`${file.path}: job ${jobId}: steps.${id} does not exist in this job`)
          continue
        }
        if (!step.uses) continue
        const resolved = resolveUses(step.uses)
        if (resolved.kind !== 'action') continue
        let action
        try {
          action = readActionYaml(resolved.file)
        } catch {
          continue // reported once, where the step uses it
        }
        if (action && !Object.keys(action.outputs ?? {}).includes(output)) {
          findings.push(
            `${file.path}: job ${jobId}: steps.${id}.outputs.${output} is not an output of ${resolved.file}`
          )
        }
      }
    }
  }
  return findings
}

/** Every `needs.<job>.outputs.<name>` names an output that job (or its reusable workflow) has. */
function needsOutputFindings(file: WorkflowFile): string[] {
  const findings: string[] = []
  const jobs = file.doc.jobs ?? {}
  for (const [jobId, job] of jobsOf(file.doc)) {
    for (const text of stringsIn(job)) {
      for (const expression of expressionsIn(text)) {
        for (const [, needed, output] of expression.matchAll(
          /\bneeds\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g
        )) {
          const other = jobs[needed]
          if (!other) {
            findings.push(`${file.path}: job ${jobId}: needs.${needed} is not a job`)
            continue
          }
          let declared: string[] | undefined = Object.keys(other.outputs ?? {})
          if (other.uses) {
            const resolved = resolveUses(other.uses)
            declared =
              resolved.kind === 'workflow'
                ? Object.keys(readReusableWorkflow(resolved.file)?.outputs ?? {})
                : undefined
          }
          if (declared && !declared.includes(output)) {
            findings.push(
              `${file.path}: job ${jobId}: needs.${needed}.outputs.${output} is not an output of job ${needed}`
            )
          }
        }
      }
    }
  }
  // A reusable workflow's outputs read `jobs.<id>.outputs.<name>`: that job must declare it.
  for (const [name, spec] of Object.entries(workflowCall(file.doc)?.outputs ?? {})) {
    for (const expression of expressionsIn(String(spec?.value ?? ''))) {
      for (const [, jobId, output] of expression.matchAll(
        /\bjobs\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g
      )) {
        if (!Object.keys(jobs[jobId]?.outputs ?? {}).includes(output)) {
          findings.push(
            `${file.path}: workflow_call output ${name} reads jobs.${jobId}.outputs.${output}, which job ${jobId} does not declare`
          )
        }
      }
    }
  }
  return findings
}

/**
 * The contract: every `with:` of a step that uses one of our actions matches that action's
 * inputs, every call of one of our reusable workflows matches its `workflow_call` inputs and
 * secrets, and every output read from them is declared. A reference to an action or workflow
 * that does not exist is a finding too.
 */
export function contractFindings(file: WorkflowFile): string[] {
  const findings: string[] = []
  for (const [jobId, job] of jobsOf(file.doc)) {
    if (job.uses) {
      const resolved = resolveUses(job.uses)
      if (resolved.kind === 'workflow') {
        const where = `${file.path}: job ${jobId}`
        const called = readReusableWorkflow(resolved.file)
        if (!called) {
          findings.push(`${where}: ${resolved.file} does not exist or has no workflow_call trigger`)
          continue
        }
        findings.push(...keyFindings(where, job.with, called.inputs, 'input', resolved.file))
        if (job.secrets !== 'inherit') {
          findings.push(...keyFindings(where, job.secrets, called.secrets, 'secret', resolved.file))
        }
      }
      continue
    }
    for (const [index, step] of (job.steps ?? []).entries()) {
      if (!step.uses) continue
      const resolved = resolveUses(step.uses)
      if (resolved.kind === 'third-party') {
        const pin = VERIFIED_PINS[step.uses]
        for (const key of Object.keys(step.with ?? {})) {
          if (pin && !pin.inputs.includes(key)) {
            findings.push(
              `${file.path}: job ${jobId} ${stepLabel(step, index)}: input '${key}' is not declared by ${resolved.repo} ${pin.tag}`
            )
          }
        }
        continue
      }
      if (resolved.kind === 'local-other') {
        findings.push(
          `${file.path}: job ${jobId} ${stepLabel(step, index)}: ${step.uses} is not one of our actions`
        )
        continue
      }
      if (resolved.kind !== 'action') continue
      const where = `${file.path}: job ${jobId} ${stepLabel(step, index)}`
      let action
      try {
        action = readActionYaml(resolved.file)
      } catch (error) {
        findings.push(`${where}: ${(error as Error).message}`)
        continue
      }
      if (!action) {
        findings.push(`${where}: ${resolved.file} does not exist`)
        continue
      }
      findings.push(...keyFindings(where, step.with, action.inputs ?? {}, 'input', resolved.file))
    }
    findings.push(...stepOutputFindings(file, jobId, job))
  }
  findings.push(...needsOutputFindings(file))
  findings.push(...unusedDeclarationFindings(file))
  return findings
}

/** A reusable workflow's inputs and secrets are all used: a dead input misleads every caller. */
function unusedDeclarationFindings(file: WorkflowFile): string[] {
  const call = workflowCall(file.doc)
  if (!call) return []
  const jobs = Object.values(file.doc.jobs ?? {})
  // `if:` is an expression without the `${{ }}`.
  const conditions = [...jobs, ...jobs.flatMap(job => job.steps ?? [])]
    .map(item => item.if)
    .filter(condition => typeof condition === 'string')
  const used = [...expressionsIn(stringsIn(jobs).join('\n')), ...conditions].join('\n')
  const findings: string[] = []
  for (const [what, names] of [
    ['inputs', Object.keys(call.inputs ?? {})],
    ['secrets', Object.keys(call.secrets ?? {})]
  ] as const) {
    for (const name of names) {
      const escaped = name.replace(/[-]/g, '\\-')
      if (!new RegExp(`\\b${what}\\.${escaped}(?![A-Za-z0-9_-])`).test(used)) {
        findings.push(`${file.path}: workflow_call ${what}.${name} is declared but never used`)
      }
    }
  }
  return findings
}

/** `${{ inputs.environment }}` and `${{inputs.environment}}` are the same expression. */
function normalize(text: string): string {
  return text.replace(
    /\$\{\{\s*([\s\S]*?)\s*\}\}/g,
    (_, body: string) => `\${{ ${body.replace(/\s+/g, ' ')} }}`
  )
}

function environmentName(job: Job): string | undefined {
  const env = job.environment
  if (typeof env === 'string') return env
  if (env && typeof env === 'object' && typeof (env as Mapping).name === 'string') {
    return (env as Mapping).name as string
  }
  return undefined
}

/** The group a job that deploys to its environment must use. */
export function expectedDeployGroup(job: Job): string | undefined {
  const name = environmentName(job)
  return name === undefined ? undefined : normalize(`${DEPLOY_GROUP_PREFIX}${name}`)
}

function concurrencyOf(job: Job): { group?: string; cancel?: unknown } | undefined {
  const c = job.concurrency
  if (typeof c === 'string') return { group: normalize(c), cancel: false }
  if (c && typeof c === 'object') {
    const group = (c as Mapping).group
    return {
      group: typeof group === 'string' ? normalize(group) : undefined,
      cancel: (c as Mapping)['cancel-in-progress']
    }
  }
  return undefined
}

function permissionFindings(file: WorkflowFile, jobId: string, job: Job, ours: boolean): string[] {
  const where = `${file.path}: job ${jobId}`
  const findings: string[] = []
  const permissions = job.permissions
  if (permissions === 'write-all' || permissions === 'read-all') {
    findings.push(`${where}: permissions: ${permissions} (grant each scope the job needs instead)`)
  }
  if (!ours) return findings
  if (permissions === undefined) {
    findings.push(`${where}: has no permissions (every job states the scopes it needs)`)
    return findings
  }
  if (typeof permissions !== 'object' || permissions === null) return findings
  const scopes = permissions as Mapping
  const actions = new Set(ourActionsIn(job))
  // A rollback that marks the bad version's GitHub Release writes a release too.
  const marksRelease = (job.steps ?? []).some(step => {
    const resolved = step.uses ? resolveUses(step.uses) : undefined
    return (
      resolved?.kind === 'action' &&
      resolved.name === 'rollback' &&
      step.with?.['mark-release'] !== false
    )
  })
  const callsRollback =
    job.uses !== undefined &&
    (() => {
      const resolved = resolveUses(job.uses!)
      return resolved.kind === 'workflow' && resolved.file === '.github/workflows/rollback.yml'
    })()
  if (
    scopes.contents === 'write' &&
    !marksRelease &&
    !callsRollback &&
    ![...actions].some(a => RELEASING_ACTIONS.has(a))
  ) {
    findings.push(`${where}: contents: write in a job that does not tag or release`)
  }
  const callsDeploying =
    job.uses !== undefined &&
    (() => {
      const resolved = resolveUses(job.uses!)
      return resolved.kind === 'workflow' && DEPLOYING_WORKFLOWS.has(resolved.file)
    })()
  if (
    scopes.deployments === 'write' &&
    !callsDeploying &&
    ![...actions].some(a => DEPLOYING_ACTIONS.has(a) || a === 'preflight-check' || a === 'backup')
  ) {
    findings.push(`${where}: deployments: write in a job that neither deploys nor rolls back`)
  }
  return findings
}

/** Third-party `uses:` are pinned to a full commit SHA with the version in a comment. */
function pinFindings(file: WorkflowFile, where: string, uses: string): string[] {
  const resolved = resolveUses(uses)
  if (resolved.kind === 'third-party') {
    if (!SHA.test(resolved.ref)) {
      return [`${where}: ${uses} is not pinned to a full 40-character commit SHA`]
    }
    const pin = VERIFIED_PINS[uses]
    if (!pin) {
      return [
        `${where}: ${uses} is not a verified pin (add it to VERIFIED_PINS after checking the tag)`
      ]
    }
    const lines = file.text.split('\n').filter(l => l.includes(uses))
    if (lines.some(line => !new RegExp(`#\\s*${pin.tag.replace(/\./g, '\\.')}\\b`).test(line))) {
      return [`${where}: ${uses} has no '# ${pin.tag}' comment naming the pinned release`]
    }
    return []
  }
  if (resolved.kind === 'action' || resolved.kind === 'workflow') {
    if (uses.startsWith('./')) {
      return file.runsInUsersRepo
        ? [`${where}: ${uses} would resolve against the caller's checkout; use ${OWNER_REPO}/…@v1`]
        : []
    }
    const ref = uses.slice(uses.lastIndexOf('@') + 1)
    if (!uses.includes('@') || !(ref === 'v1' || SHA.test(ref))) {
      return [`${where}: ${uses} should use our major tag @v1 (or a full commit SHA)`]
    }
  }
  return []
}

/**
 * The house rules: least-privilege permissions, pinned third-party actions, one concurrency
 * group per environment shared by deploy and rollback, `deployment: false` where we record
 * our own Deployments, no `secrets: inherit`, and no expression expanded inside a `run:` script.
 */
export function houseRuleFindings(file: WorkflowFile): string[] {
  const findings: string[] = []
  const ours = !NOT_OURS.has(file.path)
  if (file.doc.permissions === 'write-all' || file.doc.permissions === 'read-all') {
    findings.push(`${file.path}: top-level permissions: ${file.doc.permissions as string}`)
  }
  if (ours) {
    const top = file.doc.permissions
    const keys = top && typeof top === 'object' ? Object.entries(top as Mapping) : undefined
    const minimal =
      keys !== undefined &&
      (keys.length === 0 ||
        (keys.length === 1 && keys[0][0] === 'contents' && keys[0][1] === 'read'))
    if (!minimal) {
      findings.push(`${file.path}: top-level permissions must be {} or { contents: read }`)
    }
    if (Object.keys(triggers(file.doc)).length === 0) findings.push(`${file.path}: no trigger`)
  }
  for (const [jobId, job] of jobsOf(file.doc)) {
    const where = `${file.path}: job ${jobId}`
    findings.push(...permissionFindings(file, jobId, job, ours))
    if (job.secrets === 'inherit' && ours) {
      findings.push(`${where}: secrets: inherit (pass each secret explicitly)`)
    }
    if (job.uses) findings.push(...pinFindings(file, where, job.uses))
    for (const [index, step] of (job.steps ?? []).entries()) {
      const stepWhere = `${where} ${stepLabel(step, index)}`
      if (step.uses) findings.push(...pinFindings(file, stepWhere, step.uses))
      if (typeof step.run === 'string' && expressionsIn(step.run).length > 0) {
        findings.push(
          `${stepWhere}: run: expands \${{ ${expressionsIn(step.run)[0]} }} into the script; pass it through env: instead`
        )
      }
    }
    if (!ours) continue

    const deploying = ourActionsIn(job).filter(a => DEPLOYING_ACTIONS.has(a))
    if (deploying.length > 0) {
      const expected = expectedDeployGroup(job)
      const actual = concurrencyOf(job)
      if (!expected) {
        findings.push(`${where}: runs ${deploying.join(', ')} without an environment`)
      } else if (actual?.group !== expected || actual.cancel !== false) {
        findings.push(
          `${where}: runs ${deploying.join(', ')} but its concurrency is not { group: ${expected}, cancel-in-progress: false }`
        )
      }
      const env = job.environment
      if (!(env && typeof env === 'object' && (env as Mapping).deployment === false)) {
        findings.push(
          `${where}: runs ${deploying.join(', ')} without environment.deployment: false (we record our own Deployments)`
        )
      }
    }
    if (job.uses) {
      const resolved = resolveUses(job.uses)
      const group = concurrencyOf(job)?.group
      if (
        resolved.kind === 'workflow' &&
        DEPLOYING_WORKFLOWS.has(resolved.file) &&
        group?.startsWith(DEPLOY_GROUP_PREFIX)
      ) {
        findings.push(
          `${where}: sets concurrency ${group} around ${resolved.file}, which takes the same group inside: the run would wait on itself`
        )
      }
    }
  }
  return findings
}
