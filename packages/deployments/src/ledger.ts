import type { GitHubClient, RepoRef } from '@slipway/github'

export type DeploymentState =
  'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success'

/** What Slipway keeps in a Deployment's payload: enough for rollback to act without guessing. */
export interface DeploymentPayload {
  slipway: 1
  version: string
  artifact?: string
  strategy: string
  /** blue-green / canary: the slot now serving `version`; the previous slot kept warm. */
  slot?: string
  previous_slot?: string
  hosts?: string[]
  previous_version?: string
  backup_id?: string
  /** docker/compose: the image that ran (`repo@sha256:…`, else the reference) and its id. */
  image?: string
  image_id?: string
  /** How long the previous slot stays warm after the success status (ms): rollback can route back until then. */
  keep_previous_ms?: number
  run_id?: string
  run_attempt?: string
  /** Set on the deployment a rollback replaced, and on the rollback's own deployment. */
  rolled_back?: boolean
  rollback_of?: number
  [key: string]: unknown
}

export interface StatusRecord {
  id: number
  state: DeploymentState
  description: string
  environmentUrl?: string
  logUrl?: string
  createdAt: string
}

export interface DeploymentRecord {
  id: number
  ref: string
  sha: string
  environment: string
  createdAt: string
  payload: Partial<DeploymentPayload>
  /** Oldest first. */
  statuses: StatusRecord[]
  /** The newest status's state, or undefined when none yet. */
  state?: DeploymentState
}

export interface StartOptions {
  environment: string
  version: string
  payload: { version: string; strategy: string } & Partial<DeploymentPayload>
  /** Adopt this deployment (GitHub created it for an environment with protection rules). */
  deploymentId?: number
  productionEnvironment?: boolean
  transientEnvironment?: boolean
  description?: string
  /** Used as ref when `version` is not a ref in the repository (e.g. a build number). */
  fallbackRef?: string
}

/** GitHub limits status descriptions to 140 characters. */
const DESCRIPTION_LIMIT = 140
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/**
 * One line of at most 140 UTF-16 units (GitHub counts characters; units are never fewer), cut
 * between graphemes: half a surrogate pair is not text, and half an emoji sequence (skin tone,
 * ZWJ family, flag) or a letter without its accent shows as something else.
 */
export function clipDescription(text: string): string {
  const single = text.replace(/\s+/g, ' ').trim()
  if (single.length <= DESCRIPTION_LIMIT) return single
  let kept = ''
  for (const { segment } of graphemes.segment(single)) {
    if (kept.length + segment.length > DESCRIPTION_LIMIT - 1) break
    kept += segment
  }
  return `${kept.trimEnd()}…`
}

/**
 * The GitHub Deployment ledger: the one source of truth for what is live in an environment.
 * deploy-strategy writes it; rollback reads it (`history`, `lastGood`) and writes its own record.
 */
export class DeploymentLedger {
  constructor(
    private readonly octokit: GitHubClient,
    private readonly repo: RepoRef,
    private readonly run: {
      runId?: string
      runAttempt?: string
      serverUrl?: string
      repository?: string
    } = {}
  ) {}

  /** `${server}/${repo}/actions/runs/${run}`: where the statuses link to. */
  get logUrl(): string | undefined {
    const { serverUrl, repository, runId } = this.run
    return serverUrl && repository && runId
      ? `${serverUrl}/${repository}/actions/runs/${runId}`
      : undefined
  }

  /**
   * Creates the environment's deployment, or finds the one this workflow run already created
   * (same ref + environment + payload.run_id: a re-run of the job converges instead of
   * duplicating), or adopts `deploymentId`. Returns the deployment and whether it is new.
   */
  async start(options: StartOptions): Promise<{ deployment: DeploymentRecord; created: boolean }> {
    const { owner, repo } = this.repo
    if (options.deploymentId !== undefined) {
      const { data } = await this.octokit.rest.repos.getDeployment({
        owner,
        repo,
        deployment_id: options.deploymentId
      })
      return { deployment: await this.withStatuses(data), created: false }
    }
    const payload: DeploymentPayload = {
      slipway: 1,
      ...options.payload,
      run_id: this.run.runId,
      run_attempt: this.run.runAttempt
    }
    for (const ref of [options.version, options.fallbackRef]) {
      if (!ref) continue
      const existing = await this.findByRun(options.environment, ref)
      if (existing) return { deployment: existing, created: false }
    }
    const create = async (ref: string) =>
      this.octokit.rest.repos.createDeployment({
        owner,
        repo,
        ref,
        environment: options.environment,
        auto_merge: false,
        required_contexts: [],
        payload: payload as unknown as Record<string, unknown>,
        description: clipDescription(
          options.description ?? `${payload.strategy} deploy of ${options.version}`
        ),
        production_environment: options.productionEnvironment,
        transient_environment: options.transientEnvironment
      })
    let response
    try {
      response = await create(options.version)
    } catch (error) {
      // `version` may be a build number rather than a tag or SHA: record it against the commit instead.
      const status = (error as { status?: number }).status
      if (status !== 422 || !options.fallbackRef || options.fallbackRef === options.version)
        throw error
      response = await create(options.fallbackRef)
    }
    if (response.status !== 201 || !('id' in response.data)) {
      throw new Error(
        `GitHub did not create the deployment: ${JSON.stringify(response.data).slice(0, 200)}`
      )
    }
    return { deployment: await this.withStatuses(response.data), created: true }
  }

  private async findByRun(environment: string, ref: string): Promise<DeploymentRecord | undefined> {
    if (!this.run.runId) return undefined
    const { owner, repo } = this.repo
    const { data } = await this.octokit.rest.repos.listDeployments({
      owner,
      repo,
      environment,
      ref,
      per_page: 30
    })
    const match = data.find(d => payloadOf(d.payload).run_id === this.run.runId)
    return match ? this.withStatuses(match) : undefined
  }

  /** Adds a status. `environment_url` and `log_url` are kept on every status (GitHub shows the latest). */
  async setStatus(
    deploymentId: number,
    state: DeploymentState,
    description: string,
    options: { environmentUrl?: string; autoInactive?: boolean } = {}
  ): Promise<StatusRecord> {
    const { owner, repo } = this.repo
    const { data } = await this.octokit.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: deploymentId,
      state,
      description: clipDescription(description),
      environment_url: options.environmentUrl,
      log_url: this.logUrl,
      auto_inactive: options.autoInactive
    })
    return statusOf(data)
  }

  /**
   * Marks a deployment as rolled back (an `inactive` status saying so): `lastGood` skips it
   * from then on. The rollback action calls this after recording its own deployment.
   */
  async markRolledBack(deploymentId: number, byDeploymentId?: number): Promise<StatusRecord> {
    return this.setStatus(
      deploymentId,
      'inactive',
      `rolled back${byDeploymentId ? ` by deployment ${byDeploymentId}` : ''}`,
      {
        autoInactive: false
      }
    )
  }

  /** The environment's deployments, newest first, each with its full status history (oldest first). */
  async history(
    environment: string,
    options: { limit?: number } = {}
  ): Promise<DeploymentRecord[]> {
    const { owner, repo } = this.repo
    const limit = options.limit ?? 30
    const deployments = await this.octokit.paginate(
      this.octokit.rest.repos.listDeployments,
      { owner, repo, environment, per_page: Math.min(100, limit) },
      (response, done) => {
        if (response.data.length >= limit) done()
        return response.data
      }
    )
    const records: DeploymentRecord[] = []
    for (const deployment of deployments.slice(0, limit))
      records.push(await this.withStatuses(deployment))
    return records
  }

  /**
   * The last good deployment: newest first, one whose history contains `success` (not only its
   * latest status: `auto_inactive` turns old successes inactive) and that was not rolled back.
   */
  async lastGood(
    environment: string,
    options: { before?: number; limit?: number } = {}
  ): Promise<DeploymentRecord | undefined> {
    const history = await this.history(environment, { limit: options.limit })
    const rolledBack = new Set(
      history.map(d => d.payload.rollback_of).filter((id): id is number => typeof id === 'number')
    )
    return history.find(
      d =>
        (options.before === undefined || d.id < options.before) &&
        d.statuses.some(s => s.state === 'success') &&
        !d.payload.rolled_back &&
        !rolledBack.has(d.id) &&
        !d.statuses.some(s => /rolled back/i.test(s.description))
    )
  }

  private async withStatuses(deployment: ApiDeployment): Promise<DeploymentRecord> {
    const { owner, repo } = this.repo
    const statuses = await this.octokit.paginate(this.octokit.rest.repos.listDeploymentStatuses, {
      owner,
      repo,
      deployment_id: deployment.id,
      per_page: 100
    })
    return deploymentRecordOf(deployment, statuses)
  }
}

/** A deployment with its statuses, oldest status first, as the ledger and the report read it. */
export function deploymentRecordOf(
  deployment: ApiDeployment,
  statuses: ApiStatus[]
): DeploymentRecord {
  const ordered = statuses
    .map(statusOf)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id)
  return {
    id: deployment.id,
    ref: deployment.ref,
    sha: deployment.sha,
    environment: deployment.environment,
    createdAt: deployment.created_at,
    payload: payloadOf(deployment.payload),
    statuses: ordered,
    state: ordered[ordered.length - 1]?.state
  }
}

/** The fields of GitHub's deployment object that the ledger reads. */
export interface ApiDeployment {
  id: number
  ref: string
  sha: string
  environment: string
  created_at: string
  payload: unknown
}

/** The fields of GitHub's deployment status object that the ledger reads. */
export interface ApiStatus {
  id: number
  state: string
  description?: string | null
  environment_url?: string
  log_url?: string
  created_at: string
}

function statusOf(data: ApiStatus): StatusRecord {
  return {
    id: data.id,
    state: data.state as DeploymentState,
    description: data.description ?? '',
    environmentUrl: data.environment_url || undefined,
    logUrl: data.log_url || undefined,
    createdAt: data.created_at
  }
}

/** The payload arrives as an object, or as a JSON string when it was sent as one. */
export function payloadOf(payload: unknown): Partial<DeploymentPayload> {
  if (typeof payload === 'string') {
    try {
      const parsed = JSON.parse(payload) as unknown
      return parsed && typeof parsed === 'object' ? (parsed as Partial<DeploymentPayload>) : {}
    } catch {
      return {}
    }
  }
  return payload && typeof payload === 'object' ? (payload as Partial<DeploymentPayload>) : {}
}
