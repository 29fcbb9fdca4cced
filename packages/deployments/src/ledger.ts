import { graphqlUnavailable, requestAs, type GitHubClient, type RepoRef } from '@slipway/github'
import { UserError } from '@slipway/kit'
import { deploymentRecordOf, payloadOf, statusOf, type ApiDeployment } from './api-objects.js'
import { lookUpStart, type StartLookup } from './start-lookup.js'
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

// What each request needs from the job's token, named when GitHub refuses it. Listing an
// environment's deployments or creating one meets nothing that can be missing, so a 404 there is
// a repository the token cannot see.
const READ = { what: 'read a deployment', permission: 'deployments: read' }
const LIST = { what: 'list deployments', permission: 'deployments: read', notFoundIsRefusal: true }
const CREATE = {
  what: 'create a deployment',
  permission: 'deployments: write',
  notFoundIsRefusal: true
}
const WRITE_STATUS = { what: 'add a deployment status', permission: 'deployments: write' }

/**
 * The deployment records on GitHub (its Deployments API): the one source of truth for what is
 * live in an environment. deploy-strategy writes it; rollback reads it (`history`, `lastGood`)
 * and writes its own record.
 */
export class DeploymentLedger implements DeploymentRecords {
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
      const data = await this.adopted(options.deploymentId)
      return { deployment: await this.withStatuses(data), created: false }
    }
    const payload: DeploymentPayload = {
      slipway: 1,
      ...options.payload,
      run_id: this.run.runId,
      run_attempt: this.run.runAttempt
    }
    const refs = [options.version, options.fallbackRef].filter((ref): ref is string => !!ref)
    let lookup: StartLookup | undefined
    // Without a run id (the rollback's own record) nothing can be this run's: the version is
    // tried as the ref at once, which costs one call when it is one (a rollback's target was
    // released by then) and GitHub's 422 before the commit when not.
    if (this.run.runId) {
      try {
        lookup = await lookUpStart(this.octokit, this.repo, {
          environment: options.environment,
          version: options.version,
          refs,
          runId: this.run.runId
        })
      } catch (error) {
        if (!graphqlUnavailable(error)) throw error
      }
    }
    if (lookup?.existingId !== undefined) {
      const data = await this.adopted(lookup.existingId)
      return { deployment: await this.withStatuses(data), created: false }
    }
    if (!lookup) {
      // Without GraphQL's answer REST finds this run's deployment, one list per ref (none
      // without a run id).
      for (const ref of refs) {
        const existing = await this.findByRun(options.environment, ref)
        if (existing) return { deployment: existing, created: false }
      }
    }
    const create = async (ref: string) =>
      requestAs(CREATE, () =>
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
      )
    // A version GitHub does not know (a build number, a tag not pushed yet) is recorded against
    // the commit; the payload and the description keep the version.
    const fallback = options.fallbackRef
    const ref = lookup && !lookup.versionIsRef && fallback ? fallback : options.version
    let response
    try {
      response = await create(ref)
    } catch (error) {
      // Without GraphQL's answer the version is tried first; GitHub's 422 says it is no ref.
      const status = (error as { status?: number }).status
      if (status !== 422 || lookup || !fallback || fallback === ref) throw unprocessable(error, ref)
      response = await create(fallback).catch((again: unknown) => {
        throw unprocessable(again, fallback)
      })
    }
    if (response.status !== 201 || !('id' in response.data)) {
      throw new Error(
        `GitHub did not create the deployment: ${JSON.stringify(response.data).slice(0, 200)}`
      )
    }
    // Just created: it has no status yet, so there is nothing to read.
    return { deployment: deploymentRecordOf(response.data, []), created: true }
  }

  private async adopted(deploymentId: number): Promise<ApiDeployment> {
    const { owner, repo } = this.repo
    try {
      const { data } = await requestAs(READ, () =>
        this.octokit.rest.repos.getDeployment({ owner, repo, deployment_id: deploymentId })
      )
      return data
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error
      throw new UserError(
        `Deployment ${deploymentId} does not exist in ${owner}/${repo}`,
        'pass the id of a deployment of this repository (the deployment-id input), or none to create one'
      )
    }
  }

  private async findByRun(environment: string, ref: string): Promise<DeploymentRecord | undefined> {
    if (!this.run.runId) return undefined
    const { owner, repo } = this.repo
    const { data } = await requestAs(LIST, () =>
      this.octokit.rest.repos.listDeployments({ owner, repo, environment, ref, per_page: 30 })
    )
    const match = data.find(d => payloadOf(d.payload).run_id === this.run.runId)
    return match ? this.withStatuses(match) : undefined
  }

  /** Adds a status. `environment_url` and `log_url` are kept on every status (GitHub shows the latest). */
  async setStatus(
    deploymentId: number,
    state: DeploymentState,
    description: string,
    options: StatusOptions = {}
  ): Promise<StatusRecord> {
    const { owner, repo } = this.repo
    const { data } = await requestAs(WRITE_STATUS, () =>
      this.octokit.rest.repos.createDeploymentStatus({
        owner,
        repo,
        deployment_id: deploymentId,
        state,
        description: clipDescription(description),
        environment_url: options.environmentUrl,
        log_url: this.logUrl,
        auto_inactive: options.autoInactive
      })
    )
    return statusOf(data)
  }

  /**
   * Marks a deployment as rolled back (an `inactive` status saying so): `lastGood` skips it
   * from then on. The rollback action calls this after recording its own deployment.
   */
  async markRolledBack(deploymentId: number, byDeploymentId?: number): Promise<StatusRecord> {
    return this.setStatus(deploymentId, 'inactive', rolledBackDescription(byDeploymentId), {
      autoInactive: false
    })
  }

  /** The environment's deployments, newest first, each with its full status history (oldest first). */
  async history(
    environment: string,
    options: { limit?: number } = {}
  ): Promise<DeploymentRecord[]> {
    const { owner, repo } = this.repo
    const limit = options.limit ?? DEFAULT_HISTORY_LIMIT
    const deployments = await requestAs(LIST, () =>
      this.octokit.paginate(
        this.octokit.rest.repos.listDeployments,
        { owner, repo, environment, per_page: Math.min(100, limit) },
        (response, done) => {
          if (response.data.length >= limit) done()
          return response.data
        }
      )
    )
    const records: DeploymentRecord[] = []
    for (const deployment of deployments.slice(0, limit))
      records.push(await this.withStatuses(deployment))
    return records
  }

  /** See `lastGoodOf`: the rule both implementations share. */
  async lastGood(
    environment: string,
    options: { before?: number; limit?: number } = {}
  ): Promise<DeploymentRecord | undefined> {
    return lastGoodOf(await this.history(environment, { limit: options.limit }), options)
  }

  /** One page of the repository's deployments (GitHub lists them newest first), any environment. */
  async environments(options: { limit?: number } = {}): Promise<string[]> {
    const { owner, repo } = this.repo
    const { data } = await requestAs(LIST, () =>
      this.octokit.rest.repos.listDeployments({
        owner,
        repo,
        per_page: Math.min(100, options.limit ?? DEFAULT_ENVIRONMENTS_SCAN)
      })
    )
    return environmentsOf(data)
  }

  private async withStatuses(deployment: ApiDeployment): Promise<DeploymentRecord> {
    const { owner, repo } = this.repo
    const statuses = await requestAs(READ, () =>
      this.octokit.paginate(this.octokit.rest.repos.listDeploymentStatuses, {
        owner,
        repo,
        deployment_id: deployment.id,
        per_page: 100
      })
    )
    return deploymentRecordOf(deployment, statuses)
  }
}

/** The same class, named for what it is next to `FileDeploymentRecords`. */
export { DeploymentLedger as GitHubDeploymentRecords }

/**
 * GitHub's 422 on creating a deployment: a ref it does not have (a version that is no pushed
 * commit, branch or tag) or an environment name it refuses. Both are the user's settings; any
 * other failure is returned as it was.
 */
function unprocessable(error: unknown, ref: string): unknown {
  if ((error as { status?: number }).status !== 422) return error
  return new UserError(
    `GitHub refused to create a deployment of ${ref} (422): ${(error as Error).message}`,
    'give a `version` that is a commit, branch or tag pushed to GitHub (or run on that commit), and an `environment` name GitHub accepts.'
  )
}
