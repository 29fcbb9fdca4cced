import { basename } from 'node:path'
import {
  LedgerFile,
  UserError,
  systemClock,
  type Clock,
  type Json,
  type LedgerData
} from '@slipway/kit'
import {
  deploymentRecordOf,
  payloadOf,
  statusOf,
  type ApiDeployment,
  type ApiStatus
} from './api-objects.js'
import { deploymentCommitOf } from './commit-of.js'
import { clipDescription } from './description.js'
import { lastGoodOf } from './last-good.js'
import {
  DEFAULT_ENVIRONMENTS_SCAN,
  DEFAULT_HISTORY_LIMIT,
  environmentsOf,
  rolledBackDescription,
  type DeploymentPayload,
  type DeploymentRecord,
  type DeploymentRecords,
  type DeploymentState,
  type StartOptions,
  type StatusOptions,
  type StatusRecord
} from './records.js'

export interface FileDeploymentRecordsOptions {
  /** The project's git checkout: its tags and HEAD give a deployment its commit. */
  cwd: string
  /** `owner/name` in the stored URLs; by default `local/<checkout directory>`, as the CLI names it. */
  repository?: string
  /** This run: a re-run with the same id finds its deployment instead of adding one. */
  runId?: string
  runAttempt?: string
  /** Where statuses link to. Local runs have no run page, so none unless given. */
  logUrl?: string
  /** `creator.login` of new deployments (default `slipway`). */
  creator?: string
  /** Timestamps of new deployments and statuses. */
  clock?: Pick<Clock, 'now'>
}

/**
 * Stored URLs start with this placeholder, which the CLI's ledger server replaces by its own
 * address: files written here stay readable by it, and the other way round.
 */
const SERVED_API = '{{slipway-ledger}}'

/**
 * The deployment records in the CLI's local ledger file, laid out as GitHub's API answers them
 * (`deployments` oldest first, `statuses[id]` newest first), so a ledger written by the CLI's
 * earlier local GitHub server reads the same. Every call reads the file as it is now and every
 * change is one read-modify-write of it, so other writers of the file (releases, another run)
 * keep their data.
 */
export class FileDeploymentRecords implements DeploymentRecords {
  readonly logUrl?: string
  private readonly repository: string
  private readonly clock: Pick<Clock, 'now'>

  constructor(
    private readonly file: LedgerFile,
    private readonly options: FileDeploymentRecordsOptions
  ) {
    this.logUrl = options.logUrl
    this.repository =
      options.repository ??
      `local/${basename(options.cwd).replace(/[^A-Za-z0-9._-]/g, '-') || 'project'}`
    this.clock = options.clock ?? systemClock
  }

  async start(options: StartOptions): Promise<{ deployment: DeploymentRecord; created: boolean }> {
    if (options.deploymentId !== undefined) {
      const data = this.file.read()
      return {
        deployment: recordOf(data, this.deployment(data, options.deploymentId)),
        created: false
      }
    }
    const existing = this.findByRun(this.file.read(), options)
    if (existing) return { deployment: existing, created: false }
    // git runs before the update: a change of the file is one synchronous read-modify-write.
    const sha = await deploymentCommitOf(this.options.cwd, options.version, options.fallbackRef)
    return this.file.update(data => {
      const again = this.findByRun(data, options)
      if (again) return { deployment: again, created: false }
      const payload: DeploymentPayload = {
        slipway: 1,
        ...options.payload,
        run_id: this.options.runId,
        run_attempt: this.options.runAttempt
      }
      const id = LedgerFile.nextId(data)
      const at = this.timestamp()
      const deployment: Json = {
        id,
        url: `${SERVED_API}/repos/${this.repository}/deployments/${id}`,
        sha,
        ref: options.version,
        task: 'deploy',
        // As JSON, as GitHub keeps it: unset fields are absent, not undefined.
        payload: JSON.parse(JSON.stringify(payload)) as Json,
        environment: options.environment,
        original_environment: options.environment,
        description: clipDescription(
          options.description ?? `${payload.strategy} deploy of ${options.version}`
        ),
        creator: { login: this.options.creator ?? 'slipway' },
        created_at: at,
        updated_at: at,
        production_environment:
          options.productionEnvironment ?? options.environment === 'production',
        transient_environment: options.transientEnvironment ?? false
      }
      data.deployments.push(deployment)
      data.statuses[String(id)] = []
      return { deployment: recordOf(data, deployment), created: true }
    })
  }

  async setStatus(
    deploymentId: number,
    state: DeploymentState,
    description: string,
    options: StatusOptions = {}
  ): Promise<StatusRecord> {
    return this.file.update(data => {
      const target = this.deployment(data, deploymentId)
      const status = this.addStatus(data, target, {
        state,
        description: clipDescription(description),
        environment_url: options.environmentUrl ?? '',
        log_url: this.logUrl ?? ''
      })
      // GitHub's auto_inactive: earlier successful, non-production, non-transient deployments
      // of the environment become inactive when a new one succeeds.
      if (state === 'success' && options.autoInactive !== false)
        for (const other of data.deployments) {
          if (other === target || other.environment !== target.environment) continue
          if (other.production_environment || other.transient_environment) continue
          if (data.statuses[String(other.id)]?.[0]?.state !== 'success') continue
          this.addStatus(data, other, {
            state: 'inactive',
            description: '',
            environment_url: '',
            log_url: ''
          })
        }
      return statusOf(status as unknown as ApiStatus)
    })
  }

  async markRolledBack(deploymentId: number, byDeploymentId?: number): Promise<StatusRecord> {
    return this.setStatus(deploymentId, 'inactive', rolledBackDescription(byDeploymentId), {
      autoInactive: false
    })
  }

  async history(
    environment: string,
    options: { limit?: number } = {}
  ): Promise<DeploymentRecord[]> {
    const data = this.file.read()
    return newestFirst(data, environment)
      .slice(0, options.limit ?? DEFAULT_HISTORY_LIMIT)
      .map(d => recordOf(data, d))
  }

  async lastGood(
    environment: string,
    options: { before?: number; limit?: number } = {}
  ): Promise<DeploymentRecord | undefined> {
    return lastGoodOf(await this.history(environment, { limit: options.limit }), options)
  }

  async environments(options: { limit?: number } = {}): Promise<string[]> {
    const all = [...this.file.read().deployments].reverse()
    return environmentsOf(all.slice(0, options.limit ?? DEFAULT_ENVIRONMENTS_SCAN))
  }

  private deployment(data: LedgerData, id: number): Json {
    const found = data.deployments.find(d => d.id === id)
    if (!found)
      throw new UserError(
        `Deployment ${id} does not exist in the ledger ${this.file.path}`,
        'pass the id of a deployment this ledger holds (the deployment-id input), or none to create one'
      )
    return found
  }

  /** The deployment this run already made for the version (or its fallback), newest first. */
  private findByRun(data: LedgerData, options: StartOptions): DeploymentRecord | undefined {
    const runId = this.options.runId
    if (!runId) return undefined
    const refs = [options.version, options.fallbackRef].filter(Boolean)
    const match = newestFirst(data, options.environment).find(
      d => refs.includes(d.ref as string) && payloadOf(d.payload).run_id === runId
    )
    return match ? recordOf(data, match) : undefined
  }

  private addStatus(
    data: LedgerData,
    deployment: Json,
    fields: {
      state: DeploymentState
      description: string
      environment_url: string
      log_url: string
    }
  ): Json {
    const at = this.timestamp()
    const status: Json = {
      id: LedgerFile.nextId(data),
      state: fields.state,
      description: fields.description,
      environment: deployment.environment,
      environment_url: fields.environment_url,
      log_url: fields.log_url,
      target_url: fields.log_url,
      created_at: at,
      updated_at: at,
      deployment_url: deployment.url
    }
    ;(data.statuses[String(deployment.id)] ??= []).unshift(status)
    deployment.updated_at = at
    return status
  }

  /** GitHub's form: whole seconds, UTC. */
  private timestamp(): string {
    return new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z')
  }
}

function newestFirst(data: LedgerData, environment: string): Json[] {
  return data.deployments.filter(d => d.environment === environment).reverse()
}

function recordOf(data: LedgerData, deployment: Json): DeploymentRecord {
  return deploymentRecordOf(
    deployment as unknown as ApiDeployment,
    (data.statuses[String(deployment.id)] ?? []) as unknown as ApiStatus[]
  )
}
