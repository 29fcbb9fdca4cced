import { createHash } from 'node:crypto'
import {
  createDeployment,
  createDeploymentStatus,
  type DeploymentInput,
  type DeploymentStatusInput
} from './model/deployments.js'
import { PullStore } from './model/pulls.js'
import { addAsset, createRelease, type AssetInput, type ReleaseInput } from './model/releases.js'
import { ACTOR, minimalRepository, nodeId, simpleUser, timestamp, type RepoInfo } from './shapes.js'

/** API-shaped JSON object (exactly what the emulator returns for the resource). */
export type ApiObject = Record<string, unknown>

export interface CommitRecord {
  sha: string
  message: string
  parents: string[]
  files: string[]
  author: { name: string; email: string; date: string }
  tree: string
}

export interface AddCommitInput {
  sha?: string
  message: string
  /** Default: the head of `branch`. */
  parents?: string[]
  files?: string[]
  /** Branch to advance to the new commit (default: the default branch); null: none. */
  branch?: string | null
  author?: { name: string; email: string }
  date?: Date
}

export interface CheckRunInput {
  name: string
  status?: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending'
  conclusion?:
    | 'success'
    | 'failure'
    | 'neutral'
    | 'cancelled'
    | 'skipped'
    | 'timed_out'
    | 'action_required'
    | 'stale'
    | null
}

export interface CommitStatusInput {
  context: string
  state: 'error' | 'failure' | 'pending' | 'success'
  description?: string | null
  target_url?: string | null
}

export interface WorkflowRunInput {
  status?: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending'
  conclusion?: string | null
  head_sha?: string
  head_branch?: string
  name?: string
  event?: string
  path?: string
}

export interface RepoSettings extends RepoInfo {
  /** Published releases cannot gain/lose assets or change tag (GitHub "immutable releases"). */
  immutableReleases: boolean
}

/** Internal release record; assets are attached when serialized. */
export interface ReleaseRecord extends ApiObject {
  id: number
  tag_name: string
  draft: boolean
  prerelease: boolean
  created_at: string
  published_at: string | null
}

/**
 * The emulated repository's state. Tests seed it directly (addCommit, addCheckRun, …) and
 * read it back (deployments, releases, refs, …) to assert on what the code under test did.
 * Collections hold API-shaped objects so a test compares against what GitHub would return.
 */
export class EmulatorState {
  readonly repo: RepoSettings
  private idCounter = 100
  private clock = Date.parse('2026-01-01T00:00:00Z')
  private readonly commitMap = new Map<string, CommitRecord>()
  private readonly commitOrder: string[] = []
  readonly refMap = new Map<string, string>()
  readonly tagObjects = new Map<string, ApiObject>()
  readonly deploymentList: ApiObject[] = []
  readonly statusMap = new Map<number, ApiObject[]>()
  readonly releaseList: ReleaseRecord[] = []
  readonly assetMap = new Map<number, ApiObject[]>()
  readonly assetData = new Map<number, Buffer>()
  /** Release id explicitly made latest (`make_latest: 'true'`); undefined → by date. */
  latestReleaseId: number | undefined
  private readonly checkRunMap = new Map<string, ApiObject[]>()
  private readonly statusesBySha = new Map<string, ApiObject[]>()
  readonly workflowRunList: ApiObject[] = []
  readonly environmentMap = new Map<string, ApiObject>()
  /** Pull requests, their comments and labels (`pulls.merge(number, sha)` seeds a merge). */
  readonly pulls: PullStore = new PullStore(this)

  constructor(
    /** Base URL of the emulator (what API URLs in responses point at). */
    readonly baseUrl: string,
    owner: string,
    name: string,
    defaultBranch: string
  ) {
    this.repo = {
      id: 424242,
      owner,
      name,
      defaultBranch,
      private: false,
      createdAt: '2025-01-01T00:00:00Z',
      immutableReleases: false
    }
    this.addCommit({ message: 'chore: initial commit', files: ['README.md'] })
  }

  /** Base of repository-scoped API URLs. */
  get repoUrl(): string {
    return `${this.baseUrl}/repos/${this.repo.owner}/${this.repo.name}`
  }

  get htmlUrl(): string {
    return `https://github.com/${this.repo.owner}/${this.repo.name}`
  }

  nextId(): number {
    return ++this.idCounter
  }

  /** Monotonic, second-resolution clock so created_at ordering is deterministic. */
  now(): string {
    this.clock = Math.max(this.clock + 1000, Math.floor(Date.now() / 1000) * 1000)
    return timestamp(new Date(this.clock))
  }

  minimalRepository(): ApiObject {
    return minimalRepository(this.baseUrl, this.repo)
  }

  // ---- seeding -------------------------------------------------------------------------

  setRepo(
    settings: Partial<Pick<RepoSettings, 'immutableReleases' | 'defaultBranch' | 'private'>>
  ): void {
    Object.assign(this.repo, settings)
  }

  addCommit(input: AddCommitInput): string {
    const branch = input.branch === undefined ? this.repo.defaultBranch : input.branch
    const head = branch ? this.refMap.get(`refs/heads/${branch}`) : undefined
    const parents = input.parents ?? (head ? [head] : [])
    for (const p of parents)
      if (!this.commitMap.has(p)) throw new Error(`addCommit: unknown parent ${p}`)
    const date = input.date ? timestamp(input.date) : this.now()
    const sha =
      input.sha ??
      createHash('sha1')
        .update(`${input.message}\0${parents.join(',')}\0${date}\0${this.nextId()}`)
        .digest('hex')
    if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`addCommit: sha must be 40 hex digits: ${sha}`)
    const author = input.author ?? { name: 'Mona Lisa', email: 'mona@example.com' }
    this.commitMap.set(sha, {
      sha,
      message: input.message,
      parents,
      files: input.files ?? [],
      author: { ...author, date },
      tree: createHash('sha1').update(`tree:${sha}`).digest('hex')
    })
    this.commitOrder.push(sha)
    if (branch) this.refMap.set(`refs/heads/${branch}`, sha)
    return sha
  }

  /**
   * Links a bare git repository standing in for the remote: branches pushed there are this
   * repository's branches when a pull request route runs.
   */
  linkGitRemote(bareDir: string): void {
    this.pulls.gitRemote = bareDir
  }

  /** Creates or moves any ref (`refs/heads/x`, `refs/tags/v1.0.0`). */
  setRef(ref: string, sha: string): void {
    if (!ref.startsWith('refs/')) throw new Error(`setRef: full ref name expected: ${ref}`)
    this.refMap.set(ref, sha)
  }

  addCheckRun(sha: string, input: CheckRunInput): number {
    const id = this.nextId()
    const status = input.status ?? 'completed'
    const conclusion = status === 'completed' ? (input.conclusion ?? 'success') : null
    const started = this.now()
    const run: ApiObject = {
      id,
      head_sha: sha,
      node_id: nodeId('CheckRun', id),
      external_id: String(id),
      url: `${this.repoUrl}/check-runs/${id}`,
      html_url: `${this.htmlUrl}/runs/${id}`,
      details_url: `${this.htmlUrl}/actions/runs/${id}/job/${id}`,
      status,
      conclusion,
      started_at: started,
      completed_at: status === 'completed' ? started : null,
      output: {
        title: input.name,
        summary: '',
        text: null,
        annotations_count: 0,
        annotations_url: `${this.repoUrl}/check-runs/${id}/annotations`
      },
      name: input.name,
      check_suite: { id: id + 1 },
      app: githubActionsApp(),
      pull_requests: []
    }
    this.list(this.checkRunMap, sha).push(run)
    return id
  }

  addCommitStatus(sha: string, input: CommitStatusInput): number {
    const id = this.nextId()
    const at = this.now()
    const status: ApiObject = {
      url: `${this.repoUrl}/statuses/${sha}`,
      avatar_url: ACTOR.avatar_url,
      id,
      node_id: nodeId('StatusContext', id),
      state: input.state,
      description: input.description ?? null,
      target_url: input.target_url ?? null,
      context: input.context,
      created_at: at,
      updated_at: at,
      creator: ACTOR
    }
    this.list(this.statusesBySha, sha).unshift(status)
    return id
  }

  addWorkflowRun(input: WorkflowRunInput = {}): number {
    const id = this.nextId()
    const sha = input.head_sha ?? this.headOf()
    const commit = this.commitMap.get(sha)
    const at = this.now()
    const status = input.status ?? 'completed'
    const runUrl = `${this.repoUrl}/actions/runs/${id}`
    const repo = this.minimalRepository()
    const path = input.path ?? '.github/workflows/deploy.yml'
    this.workflowRunList.unshift({
      id,
      name: input.name ?? 'deploy',
      node_id: nodeId('WorkflowRun', id),
      check_suite_id: id + 1,
      check_suite_node_id: nodeId('CheckSuite', id + 1),
      head_branch: input.head_branch ?? this.repo.defaultBranch,
      head_sha: sha,
      path,
      display_title: commit?.message.split('\n')[0] ?? 'deploy',
      run_number: this.workflowRunList.length + 1,
      run_attempt: 1,
      event: input.event ?? 'push',
      status,
      conclusion:
        status === 'completed' ? (input.conclusion ?? 'success') : (input.conclusion ?? null),
      workflow_id: 161335,
      url: runUrl,
      html_url: `${this.htmlUrl}/actions/runs/${id}`,
      pull_requests: [],
      created_at: at,
      updated_at: at,
      run_started_at: at,
      actor: ACTOR,
      triggering_actor: ACTOR,
      jobs_url: `${runUrl}/jobs`,
      logs_url: `${runUrl}/logs`,
      check_suite_url: `${this.repoUrl}/check-suites/${id + 1}`,
      artifacts_url: `${runUrl}/artifacts`,
      cancel_url: `${runUrl}/cancel`,
      rerun_url: `${runUrl}/rerun`,
      previous_attempt_url: null,
      workflow_url: `${this.repoUrl}/actions/workflows/161335`,
      head_commit: commit
        ? {
            id: commit.sha,
            tree_id: commit.tree,
            message: commit.message,
            timestamp: commit.author.date,
            author: { name: commit.author.name, email: commit.author.email },
            committer: { name: commit.author.name, email: commit.author.email }
          }
        : null,
      repository: repo,
      head_repository: repo
    })
    return id
  }

  addEnvironment(name: string, options: { wait_timer?: number } = {}): ApiObject {
    const existing = this.environmentMap.get(name)
    const at = this.now()
    const id = (existing?.id as number | undefined) ?? this.nextId()
    const rules: ApiObject[] = []
    if (options.wait_timer)
      rules.push({
        id: id + 1,
        node_id: nodeId('Gate', id + 1),
        type: 'wait_timer',
        wait_timer: options.wait_timer
      })
    const env: ApiObject = {
      id,
      node_id: nodeId('Environment', id),
      name,
      url: `${this.repoUrl}/environments/${encodeURIComponent(name)}`,
      html_url: `${this.htmlUrl}/deployments/activity_log?environments_filter=${encodeURIComponent(name)}`,
      created_at: (existing?.created_at as string | undefined) ?? at,
      updated_at: at,
      protection_rules: rules,
      deployment_branch_policy: null
    }
    this.environmentMap.set(name, env)
    return env
  }

  /**
   * Seeds a deployment as if created through the API with `auto_merge: false` and
   * `required_contexts: []` (no merge or status checks), then adds the given statuses in
   * order (oldest first), with auto_inactive applied as on GitHub. Returns the deployment.
   */
  addDeployment(
    input: DeploymentInput & {
      statuses?: (DeploymentStatusInput | DeploymentStatusInput['state'])[]
    }
  ): ApiObject {
    const { statuses = [], ...rest } = input
    const deployment = createDeployment(this, rest)
    for (const status of statuses)
      this.addDeploymentStatus(
        deployment.id as number,
        typeof status === 'string' ? { state: status } : status
      )
    return deployment
  }

  addDeploymentStatus(deploymentId: number, input: DeploymentStatusInput): ApiObject {
    return createDeploymentStatus(this, deploymentId, input)
  }

  /**
   * Seeds a release (publishing creates the tag at target_commitish, as GitHub) with
   * optional assets. Throws on a duplicate tag, which the API would answer with 422.
   */
  addRelease(input: ReleaseInput & { assets?: AssetInput[] }): ApiObject {
    const { assets = [], ...rest } = input
    if (this.releaseList.some(r => r.tag_name === rest.tag_name))
      throw new Error(`addRelease: a release for ${rest.tag_name} exists`)
    const release = createRelease(this, rest)
    for (const asset of assets) addAsset(this, release, asset)
    return this.serializeRelease(release)
  }

  addReleaseAsset(releaseId: number, input: AssetInput): ApiObject {
    const release = this.releaseList.find(r => r.id === releaseId)
    if (!release) throw new Error(`addReleaseAsset: no release ${releaseId}`)
    return addAsset(this, release, input)
  }

  /**
   * Creates `refs/tags/<name>` at `sha` (default: the default branch head); with a message,
   * through an annotated tag object as `git tag -a` would. Returns the ref's target sha.
   */
  addTag(name: string, sha: string = this.headOf(), options: { message?: string } = {}): string {
    let target = sha
    if (options.message !== undefined)
      target = this.createTagObject({ tag: name, message: options.message, object: sha })
        .sha as string
    this.refMap.set(`refs/tags/${name}`, target)
    return target
  }

  /** An annotated tag object (POST /git/tags); the ref is separate, as in git. */
  createTagObject(input: {
    tag: string
    message: string
    object: string
    type?: 'commit' | 'tree' | 'blob'
    tagger?: { name: string; email: string; date?: string }
  }): ApiObject {
    const tagger = input.tagger ?? { name: 'Mona Lisa', email: 'mona@example.com' }
    const sha = createHash('sha1')
      .update(`tag ${input.tag}\0${input.object}\0${input.message}\0${this.nextId()}`)
      .digest('hex')
    const tag: ApiObject = {
      node_id: nodeId('Tag', sha),
      tag: input.tag,
      sha,
      url: `${this.repoUrl}/git/tags/${sha}`,
      message: input.message,
      tagger: { name: tagger.name, email: tagger.email, date: tagger.date ?? this.now() },
      object: {
        type: input.type ?? 'commit',
        sha: input.object,
        url: `${this.repoUrl}/git/commits/${input.object}`
      },
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null
      }
    }
    this.tagObjects.set(sha, tag)
    return tag
  }

  // ---- inspection ----------------------------------------------------------------------

  get commits(): CommitRecord[] {
    return this.commitOrder.map(sha => this.commitMap.get(sha)!)
  }

  commit(sha: string): CommitRecord | undefined {
    return this.commitMap.get(sha)
  }

  get refs(): Record<string, string> {
    return Object.fromEntries([...this.refMap].sort(([a], [b]) => a.localeCompare(b)))
  }

  get tags(): ApiObject[] {
    return [...this.tagObjects.values()]
  }

  get deployments(): ApiObject[] {
    return [...this.deploymentList]
  }

  deploymentStatuses(deploymentId: number): ApiObject[] {
    return [...(this.statusMap.get(deploymentId) ?? [])]
  }

  get releases(): ApiObject[] {
    return this.releaseList.map(r => this.serializeRelease(r))
  }

  assets(releaseId: number): ApiObject[] {
    return [...(this.assetMap.get(releaseId) ?? [])]
  }

  assetBytes(assetId: number): Buffer | undefined {
    return this.assetData.get(assetId)
  }

  checkRuns(sha: string): ApiObject[] {
    return [...(this.checkRunMap.get(sha) ?? [])]
  }

  commitStatuses(sha: string): ApiObject[] {
    return [...(this.statusesBySha.get(sha) ?? [])]
  }

  get workflowRuns(): ApiObject[] {
    return [...this.workflowRunList]
  }

  get environments(): ApiObject[] {
    return [...this.environmentMap.values()]
  }

  headOf(branch: string = this.repo.defaultBranch): string {
    const sha = this.refMap.get(`refs/heads/${branch}`)
    if (!sha) throw new Error(`no branch ${branch}`)
    return sha
  }

  // ---- git helpers used by routes ------------------------------------------------------

  /** Resolves a sha (full or ≥7 prefix), a branch, a tag (peeled) or a `refs/…` name. */
  resolveCommit(ref: string): string | undefined {
    const candidates = ref.startsWith('refs/')
      ? [ref]
      : [`refs/heads/${ref}`, `refs/tags/${ref}`, `refs/${ref}`]
    for (const name of candidates) {
      const target = this.refMap.get(name)
      if (target) return this.peel(target)
    }
    if (/^[0-9a-f]{7,40}$/.test(ref)) {
      if (this.commitMap.has(ref)) return ref
      const matches = this.commitOrder.filter(sha => sha.startsWith(ref))
      if (matches.length === 1) return matches[0]
    }
    return undefined
  }

  /** Annotated tag object → the commit it points at. */
  peel(sha: string): string | undefined {
    for (let i = 0; i < 10; i++) {
      if (this.commitMap.has(sha)) return sha
      const tag = this.tagObjects.get(sha) as { object?: { sha: string } } | undefined
      if (!tag?.object) return undefined
      sha = tag.object.sha
    }
    return undefined
  }

  /** All commits reachable from `sha`, newest first by date then discovery order. */
  ancestry(sha: string): string[] {
    const seen = new Set<string>()
    const stack = [sha]
    while (stack.length) {
      const s = stack.pop()!
      if (seen.has(s) || !this.commitMap.has(s)) continue
      seen.add(s)
      stack.push(...this.commitMap.get(s)!.parents)
    }
    return this.commitOrder.filter(s => seen.has(s)).reverse()
  }

  isAncestor(ancestor: string, descendant: string): boolean {
    return this.ancestry(descendant).includes(ancestor)
  }

  // ---- serializers shared by several routes --------------------------------------------

  serializeRelease(release: ReleaseRecord): ApiObject {
    return {
      ...release,
      immutable: this.repo.immutableReleases && !release.draft,
      assets: this.assets(release.id)
    }
  }

  private list<T>(map: Map<string, T[]>, key: string): T[] {
    let list = map.get(key)
    if (!list) map.set(key, (list = []))
    return list
  }
}

/** The GitHub Actions app, as it appears on check runs. */
export function githubActionsApp(): ApiObject {
  return {
    id: 15368,
    slug: 'github-actions',
    node_id: nodeId('App', 15368),
    client_id: 'Iv1.0000000000000000',
    owner: simpleUser('github', 9919, 'Organization'),
    name: 'GitHub Actions',
    description: 'Automate your workflow from idea to production',
    external_url: 'https://help.github.com/en/actions',
    html_url: 'https://github.com/apps/github-actions',
    created_at: '2018-07-30T09:30:17Z',
    updated_at: '2019-12-10T19:04:12Z',
    permissions: { actions: 'write', checks: 'write', contents: 'write', deployments: 'write' },
    events: ['check_run', 'check_suite', 'push', 'workflow_dispatch']
  }
}
