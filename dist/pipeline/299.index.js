export const id = 299;
export const ids = [299];
export const modules = {

/***/ 41299:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./packages/pipeline/src/run-pipeline-stage.ts + 28 modules
var run_pipeline_stage = __webpack_require__(52956);
// EXTERNAL MODULE: ./packages/github/src/client.ts
var src_client = __webpack_require__(32994);
;// CONCATENATED MODULE: ./packages/github/src/graphql.ts
/**
 * GitHub.com serves GraphQL at api.github.com/graphql, GitHub Enterprise Server at
 * <host>/api/graphql while its REST API is <host>/api/v3; octokit.graphql appends /graphql.
 */
function graphqlBaseUrl(restBaseUrl) {
    const base = restBaseUrl.replace(/\/+$/, '');
    return base.endsWith('/api/v3') ? base.slice(0, -'/v3'.length) : base;
}
/**
 * GraphQL is not there (404, 501: an old GitHub Enterprise Server, a REST-only proxy) or does
 * not let this token read what the query asks (403, or 200 with FORBIDDEN errors), while REST
 * can still answer the same questions, at more calls. A rate limit is shared with REST: it is
 * not a reason to fall back, and fails the call instead.
 */
function graphqlUnavailable(error) {
    const failure = error;
    const errors = Array.isArray(failure.errors) ? failure.errors : [];
    if (errors.some(e => e?.type === 'RATE_LIMITED'))
        return false;
    if (/\brate limit\b/i.test(failure.message ?? ''))
        return false;
    if (errors.some(e => e?.type === 'FORBIDDEN' || e?.type === 'NOT_FOUND'))
        return true;
    const headers = failure.response?.headers ?? {};
    if (failure.status === 403)
        return headers['x-ratelimit-remaining'] !== '0' && headers['retry-after'] === undefined;
    return failure.status === 404 || failure.status === 501;
}

// EXTERNAL MODULE: ./packages/kit/src/errors.ts
var errors = __webpack_require__(77817);
;// CONCATENATED MODULE: ./packages/kit/src/github-refusal.ts

/**
 * GitHub's refusal of a request, which the user fixes with a token or a permission. It keeps the
 * HTTP status, so code that converges on a status (a 404 meaning "not there yet") reads it as
 * it read Octokit's error, and the Octokit error as its cause.
 */
class GitHubRefusal extends errors/* UserError */.yo {
    status;
    endpoint;
    permission;
    constructor(message, hint, details) {
        super(message, hint);
        this.name = 'GitHubRefusal';
        this.status = details.status;
        this.endpoint = details.endpoint;
        this.permission = details.permission;
        this.cause = details.cause;
    }
}
/**
 * The user-fixable form of an Octokit error: a 401 (the token is not accepted), a 403 that is
 * not a rate limit (the token lacks the permission), or a 404 where `call` says it means the
 * repository is out of the token's sight. Anything else is returned as it was.
 */
function refusalOf(error, call) {
    const status = statusOf(error);
    if (status === undefined)
        return error;
    const refused = status === 401 ||
        (status === 403 && !isRateLimit(error)) ||
        (status === 404 && call.notFoundIsRefusal === true);
    if (!refused)
        return error;
    const endpoint = endpointOf(error);
    const answer = `${status}${endpoint ? ` on ${endpoint}` : ''}: ${error.message}`;
    const details = { status, endpoint, permission: call.permission, cause: error };
    if (status === 401)
        return new GitHubRefusal(`GitHub did not accept the token when asked to ${call.what} (${answer})`, 'pass a valid token (`token: ${{ github.token }}`, or a personal access token that has not expired or been revoked)', details);
    if (status === 404)
        return new GitHubRefusal(`GitHub found no repository to ${call.what} in (${answer})`, `check the repository (the repository input or GITHUB_REPOSITORY) and that the token can see it, with \`permissions: ${call.permission}\` for this job`, details);
    // The permission is in the message too: a probe reports a failure by its message alone.
    return new GitHubRefusal(`GitHub refused to ${call.what}: the token lacks \`${call.permission}\` (${answer})`, `grant the job \`permissions: ${call.permission}\` (or use a token that has it)`, details);
}
/** Runs one GitHub request (or a paginated series), turning GitHub's refusal into a GitHubRefusal. */
async function requestAs(call, request) {
    try {
        return await request();
    }
    catch (error) {
        throw refusalOf(error, call);
    }
}
function statusOf(error) {
    const status = error?.status;
    return typeof status === 'number' ? status : undefined;
}
// A rate limit is a 403 (or 429) too; the throttling plugin has already waited and retried it,
// and no permission would have helped.
function isRateLimit(error) {
    const headers = error
        .response?.headers;
    if (headers?.['x-ratelimit-remaining'] === '0')
        return true;
    return /rate limit/i.test(error.message ?? '');
}
/** `POST /repos/o/r/deployments`: the method and path, without the API's host or the query. */
function endpointOf(error) {
    const request = error.request;
    if (!request?.url)
        return '';
    return `${request.method ?? 'GET'} ${pathOf(request.url)}`;
}
function pathOf(url) {
    try {
        return new URL(url).pathname;
    }
    catch {
        return url.split('?')[0];
    }
}

;// CONCATENATED MODULE: ./packages/deployments/src/api-objects.ts
/** A deployment with its statuses, oldest status first, as the ledger and the report read it. */
function deploymentRecordOf(deployment, statuses) {
    const ordered = statuses
        .map(api_objects_statusOf)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
    return {
        id: deployment.id,
        ref: deployment.ref,
        sha: deployment.sha,
        environment: deployment.environment,
        createdAt: deployment.created_at,
        payload: payloadOf(deployment.payload),
        statuses: ordered,
        state: ordered[ordered.length - 1]?.state
    };
}
function api_objects_statusOf(data) {
    return {
        id: data.id,
        state: data.state,
        description: data.description ?? '',
        environmentUrl: data.environment_url || undefined,
        logUrl: data.log_url || undefined,
        createdAt: data.created_at
    };
}
/** The payload arrives as an object, or as a JSON string when it was sent as one. */
function payloadOf(payload) {
    if (typeof payload === 'string') {
        try {
            const parsed = JSON.parse(payload);
            return parsed && typeof parsed === 'object' ? parsed : {};
        }
        catch {
            return {};
        }
    }
    return payload && typeof payload === 'object' ? payload : {};
}

;// CONCATENATED MODULE: ./packages/deployments/src/start-lookup.ts


/**
 * What creating a deployment needs to know first, in one GraphQL request: whether this run
 * already created it (a re-run of the job converges on it) and whether the version names a
 * commit GitHub has (a tag the release stage has not pushed yet does not: the deployment is
 * then made against the commit, without a 422 from GitHub first). REST needs a list of the
 * environment's deployments per ref and a failed create for the same answers. Field names are
 * GitHub's GraphQL schema's (the emulator checks them).
 */
const START_QUERY = `query($owner: String!, $name: String!, $env: String!, $version: String!) {
  repository(owner: $owner, name: $name) {
    deployments(environments: [$env], first: 30, orderBy: {field: CREATED_AT, direction: DESC}) {
      nodes { databaseId ref { name } commitOid payload }
    }
    object(expression: $version) { oid }
  }
}`;
const READ = {
    what: 'read the deployments (GraphQL)',
    permission: 'deployments: read',
    notFoundIsRefusal: false
};
async function lookUpStart(octokit, repo, query) {
    const data = await requestAs(READ, () => octokit.graphql(START_QUERY, {
        owner: repo.owner,
        name: repo.repo,
        env: query.environment,
        version: query.version,
        baseUrl: graphqlBaseUrl(String(octokit.request.endpoint.DEFAULTS.baseUrl))
    }));
    if (!data.repository)
        throw new Error(`repository ${repo.owner}/${repo.repo} not found (GraphQL)`);
    const mine = query.runId
        ? data.repository.deployments.nodes.find(node => node !== null &&
            node.databaseId !== null &&
            query.refs.includes(node.ref?.name ?? node.commitOid) &&
            payloadOf(node.payload).run_id === query.runId)
        : undefined;
    return {
        existingId: mine?.databaseId ?? undefined,
        versionIsRef: data.repository.object !== null
    };
}

;// CONCATENATED MODULE: ./packages/deployments/src/description.ts
/** GitHub limits status descriptions to 140 characters. */
const DESCRIPTION_LIMIT = 140;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/**
 * One line of at most 140 UTF-16 units (GitHub counts characters; units are never fewer), cut
 * between graphemes: half a surrogate pair is not text, and half an emoji sequence (skin tone,
 * ZWJ family, flag) or a letter without its accent shows as something else.
 */
function clipDescription(text) {
    const single = text.replace(/\s+/g, ' ').trim();
    if (single.length <= DESCRIPTION_LIMIT)
        return single;
    let kept = '';
    for (const { segment } of graphemes.segment(single)) {
        if (kept.length + segment.length > DESCRIPTION_LIMIT - 1)
            break;
        kept += segment;
    }
    return `${kept.trimEnd()}…`;
}

;// CONCATENATED MODULE: ./packages/deployments/src/last-good.ts
/**
 * The last good deployment of a history (newest first): the first one older than `before` whose
 * statuses contain `success` (not only its latest one: `auto_inactive` turns old successes
 * inactive) and that was not rolled back — no `rolled_back` in its payload, no later
 * deployment's `rollback_of` naming it, no status saying "rolled back".
 */
function lastGoodOf(history, options = {}) {
    const rolledBack = new Set(history.map(d => d.payload.rollback_of).filter((id) => typeof id === 'number'));
    return history.find(d => (options.before === undefined || d.id < options.before) &&
        d.statuses.some(s => s.state === 'success') &&
        !d.payload.rolled_back &&
        !rolledBack.has(d.id) &&
        !d.statuses.some(s => /rolled back/i.test(s.description)));
}

;// CONCATENATED MODULE: ./packages/deployments/src/records.ts
/**
 * The deployment-records port: what a stage needs from "the Deployment history of the
 * environment", the one source of truth for what is live. `DeploymentLedger` implements it
 * over GitHub's API, `FileDeploymentRecords` over the CLI's local ledger file; both follow the
 * contract in test/ports/deployment-records.contract.ts.
 */
/** How many of the repository's newest deployments `environments` looks through when not told. */
const DEFAULT_ENVIRONMENTS_SCAN = 100;
/** Distinct environments of deployments listed newest first, in that order. */
function environmentsOf(newestFirst) {
    const seen = new Set();
    for (const d of newestFirst)
        if (typeof d.environment === 'string')
            seen.add(d.environment);
    return [...seen];
}
/** How many deployments `history` reads when not told. */
const DEFAULT_HISTORY_LIMIT = 30;
/** The status description `markRolledBack` writes (and `lastGoodOf` recognises). */
function rolledBackDescription(byDeploymentId) {
    return `rolled back${byDeploymentId ? ` by deployment ${byDeploymentId}` : ''}`;
}

;// CONCATENATED MODULE: ./packages/deployments/src/ledger.ts







// What each request needs from the job's token, named when GitHub refuses it. Listing an
// environment's deployments or creating one meets nothing that can be missing, so a 404 there is
// a repository the token cannot see.
const ledger_READ = { what: 'read a deployment', permission: 'deployments: read' };
const LIST = { what: 'list deployments', permission: 'deployments: read', notFoundIsRefusal: true };
const CREATE = {
    what: 'create a deployment',
    permission: 'deployments: write',
    notFoundIsRefusal: true
};
const WRITE_STATUS = { what: 'add a deployment status', permission: 'deployments: write' };
/**
 * The deployment records on GitHub (its Deployments API): the one source of truth for what is
 * live in an environment. deploy-strategy writes it; rollback reads it (`history`, `lastGood`)
 * and writes its own record.
 */
class DeploymentLedger {
    octokit;
    repo;
    run;
    constructor(octokit, repo, run = {}) {
        this.octokit = octokit;
        this.repo = repo;
        this.run = run;
    }
    /** `${server}/${repo}/actions/runs/${run}`: where the statuses link to. */
    get logUrl() {
        const { serverUrl, repository, runId } = this.run;
        return serverUrl && repository && runId
            ? `${serverUrl}/${repository}/actions/runs/${runId}`
            : undefined;
    }
    /**
     * Creates the environment's deployment, or finds the one this workflow run already created
     * (same ref + environment + payload.run_id: a re-run of the job converges instead of
     * duplicating), or adopts `deploymentId`. Returns the deployment and whether it is new.
     */
    async start(options) {
        const { owner, repo } = this.repo;
        if (options.deploymentId !== undefined) {
            const data = await this.adopted(options.deploymentId);
            return { deployment: await this.withStatuses(data), created: false };
        }
        const payload = {
            slipway: 1,
            ...options.payload,
            run_id: this.run.runId,
            run_attempt: this.run.runAttempt
        };
        const refs = [options.version, options.fallbackRef].filter((ref) => !!ref);
        let lookup;
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
                });
            }
            catch (error) {
                if (!graphqlUnavailable(error))
                    throw error;
            }
        }
        if (lookup?.existingId !== undefined) {
            const data = await this.adopted(lookup.existingId);
            return { deployment: await this.withStatuses(data), created: false };
        }
        if (!lookup) {
            // Without GraphQL's answer REST finds this run's deployment, one list per ref (none
            // without a run id).
            for (const ref of refs) {
                const existing = await this.findByRun(options.environment, ref);
                if (existing)
                    return { deployment: existing, created: false };
            }
        }
        const create = async (ref) => requestAs(CREATE, () => this.octokit.rest.repos.createDeployment({
            owner,
            repo,
            ref,
            environment: options.environment,
            auto_merge: false,
            required_contexts: [],
            payload: payload,
            description: clipDescription(options.description ?? `${payload.strategy} deploy of ${options.version}`),
            production_environment: options.productionEnvironment,
            transient_environment: options.transientEnvironment
        }));
        // A version GitHub does not know (a build number, a tag not pushed yet) is recorded against
        // the commit; the payload and the description keep the version.
        const fallback = options.fallbackRef;
        const ref = lookup && !lookup.versionIsRef && fallback ? fallback : options.version;
        let response;
        try {
            response = await create(ref);
        }
        catch (error) {
            // Without GraphQL's answer the version is tried first; GitHub's 422 says it is no ref.
            const status = error.status;
            if (status !== 422 || lookup || !fallback || fallback === ref)
                throw unprocessable(error, ref);
            response = await create(fallback).catch((again) => {
                throw unprocessable(again, fallback);
            });
        }
        if (response.status !== 201 || !('id' in response.data)) {
            throw new Error(`GitHub did not create the deployment: ${JSON.stringify(response.data).slice(0, 200)}`);
        }
        // Just created: it has no status yet, so there is nothing to read.
        return { deployment: deploymentRecordOf(response.data, []), created: true };
    }
    async adopted(deploymentId) {
        const { owner, repo } = this.repo;
        try {
            const { data } = await requestAs(ledger_READ, () => this.octokit.rest.repos.getDeployment({ owner, repo, deployment_id: deploymentId }));
            return data;
        }
        catch (error) {
            if (error.status !== 404)
                throw error;
            throw new errors/* UserError */.yo(`Deployment ${deploymentId} does not exist in ${owner}/${repo}`, 'pass the id of a deployment of this repository (the deployment-id input), or none to create one');
        }
    }
    async findByRun(environment, ref) {
        if (!this.run.runId)
            return undefined;
        const { owner, repo } = this.repo;
        const { data } = await requestAs(LIST, () => this.octokit.rest.repos.listDeployments({ owner, repo, environment, ref, per_page: 30 }));
        const match = data.find(d => payloadOf(d.payload).run_id === this.run.runId);
        return match ? this.withStatuses(match) : undefined;
    }
    /** Adds a status. `environment_url` and `log_url` are kept on every status (GitHub shows the latest). */
    async setStatus(deploymentId, state, description, options = {}) {
        const { owner, repo } = this.repo;
        const { data } = await requestAs(WRITE_STATUS, () => this.octokit.rest.repos.createDeploymentStatus({
            owner,
            repo,
            deployment_id: deploymentId,
            state,
            description: clipDescription(description),
            environment_url: options.environmentUrl,
            log_url: this.logUrl,
            auto_inactive: options.autoInactive
        }));
        return api_objects_statusOf(data);
    }
    /**
     * Marks a deployment as rolled back (an `inactive` status saying so): `lastGood` skips it
     * from then on. The rollback action calls this after recording its own deployment.
     */
    async markRolledBack(deploymentId, byDeploymentId) {
        return this.setStatus(deploymentId, 'inactive', rolledBackDescription(byDeploymentId), {
            autoInactive: false
        });
    }
    /** The environment's deployments, newest first, each with its full status history (oldest first). */
    async history(environment, options = {}) {
        const { owner, repo } = this.repo;
        const limit = options.limit ?? DEFAULT_HISTORY_LIMIT;
        const deployments = await requestAs(LIST, () => this.octokit.paginate(this.octokit.rest.repos.listDeployments, { owner, repo, environment, per_page: Math.min(100, limit) }, (response, done) => {
            if (response.data.length >= limit)
                done();
            return response.data;
        }));
        const records = [];
        for (const deployment of deployments.slice(0, limit))
            records.push(await this.withStatuses(deployment));
        return records;
    }
    /** See `lastGoodOf`: the rule both implementations share. */
    async lastGood(environment, options = {}) {
        return lastGoodOf(await this.history(environment, { limit: options.limit }), options);
    }
    /** One page of the repository's deployments (GitHub lists them newest first), any environment. */
    async environments(options = {}) {
        const { owner, repo } = this.repo;
        const { data } = await requestAs(LIST, () => this.octokit.rest.repos.listDeployments({
            owner,
            repo,
            per_page: Math.min(100, options.limit ?? DEFAULT_ENVIRONMENTS_SCAN)
        }));
        return environmentsOf(data);
    }
    async withStatuses(deployment) {
        const { owner, repo } = this.repo;
        const statuses = await requestAs(ledger_READ, () => this.octokit.paginate(this.octokit.rest.repos.listDeploymentStatuses, {
            owner,
            repo,
            deployment_id: deployment.id,
            per_page: 100
        }));
        return deploymentRecordOf(deployment, statuses);
    }
}
/** The same class, named for what it is next to `FileDeploymentRecords`. */

/**
 * GitHub's 422 on creating a deployment: a ref it does not have (a version that is no pushed
 * commit, branch or tag) or an environment name it refuses. Both are the user's settings; any
 * other failure is returned as it was.
 */
function unprocessable(error, ref) {
    if (error.status !== 422)
        return error;
    return new errors/* UserError */.yo(`GitHub refused to create a deployment of ${ref} (422): ${error.message}`, 'give a `version` that is a commit, branch or tag pushed to GitHub (or run on that commit), and an `environment` name GitHub accepts.');
}

// EXTERNAL MODULE: ./packages/release/src/port.ts
var port = __webpack_require__(30498);
;// CONCATENATED MODULE: ./packages/release/src/github.ts



/** The HTTP status of an Octokit error, or undefined. */
function github_statusOf(error) {
    return typeof error === 'object' && error !== null && 'status' in error
        ? Number(error.status)
        : undefined;
}
const WRITE_HINT = 'grant the job `permissions: contents: write` (or use a token that has it)';
/**
 * Tags, releases and assets through GitHub's REST API. Each method makes the requests the
 * action always made; a 422 becomes a `ReleaseConflict` where the caller converges on it, and
 * a 403 on a write (a token without `contents: write`) a `UserError` saying so.
 */
class GitHubReleaseStore {
    options;
    client;
    constructor(options) {
        this.options = options;
    }
    get location() {
        const repo = this.options.repository;
        return repo ? `${repo.owner}/${repo.repo}` : 'GitHub';
    }
    api() {
        const repo = this.options.repository;
        if (!repo)
            throw new errors/* UserError */.yo('No repository: set the repository input or GITHUB_REPOSITORY', 'run in a GitHub workflow, or set the repository input to owner/name');
        if (!this.options.client && !this.options.token)
            throw new errors/* UserError */.yo('No GitHub token to write tags and releases', 'pass `token: ${{ github.token }}` with `contents: write`, or set `dry-run: true`');
        this.client ??=
            this.options.client ??
                (0,src_client/* createGitHubClient */.L)({
                    token: this.options.token ?? '',
                    baseUrl: this.options.apiUrl,
                    log: this.options.log
                });
        return { client: this.client, repo };
    }
    /** A write: a 403 is a missing permission, and `conflict` lists what a 422 means here. */
    async write(what, work, conflict = false) {
        try {
            return await work();
        }
        catch (error) {
            const status = github_statusOf(error);
            if (conflict && status === 422)
                throw new port/* ReleaseConflict */.g(`${what}: ${error.message}`, { cause: error });
            // Rate limits are 403s too; the throttling plugin already waited for them.
            if (status === 403 && !/rate limit/i.test(error.message)) {
                const refused = new errors/* UserError */.yo(`GitHub refused to ${what} in ${this.location} (403: ${error.message})`, WRITE_HINT);
                throw Object.assign(refused, { cause: error });
            }
            throw error;
        }
    }
    async tagCommit(tag) {
        const { client, repo } = this.api();
        let object;
        try {
            const { data } = await client.rest.git.getRef({ ...repo, ref: `tags/${tag}` });
            object = data.object;
        }
        catch (error) {
            if (github_statusOf(error) === 404)
                return undefined;
            throw error;
        }
        // Bounded peel: a tag of a tag of … a commit.
        for (let depth = 0; object.type === 'tag' && depth < 5; depth++) {
            const { data } = await client.rest.git.getTag({ ...repo, tag_sha: object.sha });
            object = data.object;
        }
        return object.sha;
    }
    made = new Map();
    get created() {
        return this.made;
    }
    /** POST git/tags, then POST git/refs: GitHub makes an annotated tag in two steps. */
    async createAnnotatedTag(tag, sha, message) {
        const { client, repo } = this.api();
        const { data: tagObject } = await this.write(`create the tag ${tag}`, () => client.rest.git.createTag({ ...repo, tag, message, object: sha, type: 'commit' }));
        await this.write(`create the ref of tag ${tag}`, () => client.rest.git.createRef({ ...repo, ref: `refs/tags/${tag}`, sha: tagObject.sha }), true);
        this.made.set(tag, sha);
    }
    async createTagRef(tag, sha) {
        const { client, repo } = this.api();
        await this.write(`create the tag ${tag}`, () => client.rest.git.createRef({ ...repo, ref: `refs/tags/${tag}`, sha }), true);
        this.made.set(tag, sha);
    }
    async moveTagRef(tag, sha) {
        const { client, repo } = this.api();
        await this.write(`move the tag ${tag}`, () => client.rest.git.updateRef({ ...repo, ref: `tags/${tag}`, sha, force: true }));
    }
    /** PATCH the ref; GitHub answers 422 "Reference does not exist" for a missing one: create it. */
    async setTagRef(tag, sha) {
        try {
            await this.moveTagRef(tag, sha);
            return 'moved';
        }
        catch (error) {
            if (github_statusOf(error) !== 422 || !/does not exist/i.test(error.message))
                throw error;
        }
        try {
            await this.createTagRef(tag, sha);
            return 'created';
        }
        catch (error) {
            // Created meanwhile by another run: point it here after all.
            if (!(error instanceof port/* ReleaseConflict */.g))
                throw error;
            await this.moveTagRef(tag, sha);
            return 'moved';
        }
    }
    /**
     * The first tag's release by tag, one call when it is published. GET releases/tags/{tag}
     * does not return drafts (nor would it find a later tag's release before the first's draft),
     * so when that misses, the releases are listed, reading each page once.
     */
    async findRelease(tags) {
        const { client, repo } = this.api();
        if (tags.length === 0)
            return undefined;
        try {
            const { data } = await client.rest.repos.getReleaseByTag({ ...repo, tag: tags[0] });
            return data;
        }
        catch (error) {
            if (github_statusOf(error) !== 404)
                throw error;
        }
        const found = new Map();
        for await (const page of client.paginate.iterator(client.rest.repos.listReleases, {
            ...repo,
            per_page: 100
        })) {
            for (const release of page.data)
                if (tags.includes(release.tag_name) && !found.has(release.tag_name))
                    found.set(release.tag_name, release);
            // The most likely tag ends the search; a later one may still turn up on a later page.
            if (found.has(tags[0]))
                break;
        }
        return tags.map(tag => found.get(tag)).find(release => release !== undefined);
    }
    async createRelease(release) {
        const { client, repo } = this.api();
        const { data } = await this.write(`create the release ${release.tag}`, () => client.rest.repos.createRelease({
            ...repo,
            tag_name: release.tag,
            target_commitish: release.target,
            name: release.name,
            body: release.body,
            draft: release.draft,
            prerelease: release.prerelease
        }), true);
        return data;
    }
    async updateRelease(id, changes) {
        const { client, repo } = this.api();
        const fields = {
            draft: changes.draft,
            name: changes.name,
            body: changes.body,
            prerelease: changes.prerelease,
            make_latest: changes.makeLatest
        };
        const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
        const { data } = await this.write(`update the release ${id}`, () => client.rest.repos.updateRelease({ ...repo, release_id: id, ...defined }));
        return data;
    }
    async listAssets(releaseId) {
        const { client, repo } = this.api();
        const assets = await client.paginate(client.rest.repos.listReleaseAssets, {
            ...repo,
            release_id: releaseId,
            per_page: 100
        });
        return assets;
    }
    async uploadAsset(release, name, data) {
        const { client } = this.api();
        await this.write(`upload ${name} to ${release.tag_name}`, () => client.request({
            method: 'POST',
            url: release.upload_url,
            name,
            data,
            headers: { 'content-type': 'application/octet-stream', 'content-length': data.length }
        }), true);
    }
    async deleteAsset(assetId) {
        const { client, repo } = this.api();
        await this.write(`delete the asset ${assetId}`, () => client.rest.repos.deleteReleaseAsset({ ...repo, asset_id: assetId }), true);
    }
    async downloadAsset(assetId) {
        const { client, repo } = this.api();
        const response = await client.request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
            ...repo,
            asset_id: assetId,
            headers: { accept: 'application/octet-stream' }
        });
        const data = response.data;
        if (data instanceof ArrayBuffer)
            return Buffer.from(data);
        return Buffer.isBuffer(data) ? data : Buffer.from(String(data));
    }
}

;// CONCATENATED MODULE: ./packages/report/src/graphql-fallback.ts
/**
 * Whether a failed GraphQL history read may be repeated with REST, and why. GraphQL can be
 * missing (404, 501: an old GitHub Enterprise Server, a proxy that passes only REST), refuse
 * the token (403: a fine-grained token or an app without GraphQL access to deployments), or
 * answer 200 with `errors` (FORBIDDEN, timeouts of a costly query): REST may still read the
 * same history. A rate limit is different: REST shares it, so the error surfaces instead of
 * adding calls (the throttling plugin has already waited and retried by then).
 */
function graphqlFallbackReason(error) {
    if (graphql_fallback_isRateLimit(error))
        return undefined;
    const failure = error;
    const messages = graphqlErrorMessages(failure.errors);
    if (messages)
        return `GraphQL answered errors (${clip(messages)})`;
    switch (failure.status) {
        case 403:
            return `GraphQL refused the token (403: ${clip(firstLine(failure.message))})`;
        case 404:
            return 'GraphQL is not available here (404)';
        case 501:
            return 'GraphQL is not implemented here (501)';
        default:
            return undefined;
    }
}
/** A primary or secondary rate limit, from REST's headers or GraphQL's RATE_LIMITED error. */
function graphql_fallback_isRateLimit(error) {
    const failure = error;
    if (failure.status === 429)
        return true;
    const data = failure.response?.data;
    const errors = [...(Array.isArray(failure.errors) ? failure.errors : []), ...(data?.errors ?? [])];
    if (errors.some(e => e?.type === 'RATE_LIMITED'))
        return true;
    if (/\brate limit\b/i.test(failure.message ?? ''))
        return true;
    const headers = failure.response?.headers ?? {};
    return (failure.status === 403 &&
        (headers['x-ratelimit-remaining'] === '0' || headers['retry-after'] !== undefined));
}
/** The messages of a GraphqlResponseError (a 200 whose body carries `errors`). */
function graphqlErrorMessages(errors) {
    if (!Array.isArray(errors) || errors.length === 0)
        return undefined;
    return errors
        .map(e => {
        const { type, message } = (e ?? {});
        return [type, message].filter(Boolean).join(': ') || 'unknown error';
    })
        .join('; ');
}
const firstLine = (text) => (text ?? '').split('\n')[0].trim();
/** A reason stays one short line in the log and the summary. */
function clip(text) {
    const line = text.replace(/\s+/g, ' ').trim();
    const points = [...line];
    return points.length <= 160 ? line : `${points.slice(0, 159).join('')}…`;
}

;// CONCATENATED MODULE: ./packages/report/src/graphql-history.ts

/**
 * One query per 100 deployments, each with its first 100 statuses: the whole history in
 * ceil(n/100) calls instead of REST's n + ceil(n/100). Field names are GitHub's GraphQL
 * schema's (checked by the emulator against @octokit/graphql-schema). DeploymentStatus has
 * no databaseId in GraphQL, so status ids are their position (see statusesOf).
 */
const HISTORY_QUERY = `query($owner: String!, $name: String!, $env: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    deployments(environments: [$env], first: 100, after: $after, orderBy: {field: CREATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        databaseId
        ref { name }
        commitOid
        environment
        createdAt
        payload
        statuses(first: 100) {
          pageInfo { hasNextPage }
          nodes { state description environmentUrl logUrl createdAt }
        }
      }
    }
  }
}`;
async function queryHistoryPage(octokit, repo, environment, after) {
    const restBase = String(octokit.request.endpoint.DEFAULTS.baseUrl);
    const data = await octokit.graphql(HISTORY_QUERY, {
        owner: repo.owner,
        name: repo.repo,
        env: environment,
        after,
        baseUrl: graphqlBaseUrl(restBase)
    });
    if (!data.repository)
        throw new Error(`repository ${repo.owner}/${repo.repo} not found`);
    const { pageInfo, nodes } = data.repository.deployments;
    return {
        hasNextPage: pageInfo.hasNextPage,
        endCursor: pageInfo.endCursor,
        deployments: nodes
            .filter((node) => node !== null)
            .map(node => ({
            deployment: {
                id: node.databaseId ?? 0,
                ref: node.ref?.name ?? node.commitOid,
                sha: node.commitOid,
                environment: node.environment ?? environment,
                created_at: node.createdAt,
                payload: node.payload ?? {}
            },
            statuses: node.statuses.pageInfo.hasNextPage ? undefined : statusesOf(node.statuses.nodes)
        }))
    };
}
/**
 * GraphQL statuses in REST's field names. They come newest first, like REST's; the id (only a
 * tie-break for statuses created in the same second) keeps that order: older = smaller.
 */
function statusesOf(nodes) {
    const present = nodes.filter((node) => node !== null);
    return present.map((node, index) => ({
        id: present.length - index,
        state: node.state.toLowerCase(),
        description: node.description,
        environment_url: node.environmentUrl ?? undefined,
        log_url: node.logUrl ?? undefined,
        created_at: node.createdAt
    }));
}

;// CONCATENATED MODULE: ./packages/report/src/history.ts



const PAGE = 100;
/** Where a deployment falls: newer than the window, inside, older (paging can stop), or over max. */
function windowCheck(options, max, taken) {
    return (createdAt) => {
        const created = Date.parse(createdAt);
        if (options.untilMs !== undefined && created > options.untilMs)
            return 'skip';
        if (options.sinceMs !== undefined && created < options.sinceMs)
            return 'past';
        return taken >= max ? 'full' : 'take';
    };
}
/**
 * Reads an environment's Deployment history with few API calls. By default (`api: 'auto'`)
 * with GraphQL: one query per 100 deployments with their statuses, so ceil(n/100) calls;
 * when GraphQL cannot read it (see graphqlFallbackReason: missing, refused, errors; never a
 * rate limit), with REST: ceil(n/100) deployment pages + one status page per deployment.
 * Either way newest first, and paging stops at the first page that reaches back past the window.
 */
async function readHistory(octokit, repo, options) {
    const calls = {
        api: 'rest',
        graphql: 0,
        listDeployments: 0,
        listStatuses: 0,
        total: 0
    };
    const api = options.api ?? 'auto';
    let history;
    if (api !== 'rest') {
        try {
            history = await readWithGraphql(octokit, repo, options, calls);
            calls.api = 'graphql';
        }
        catch (error) {
            // Any page may fail (a costly query times out late): REST then reads the window anew.
            const reason = api === 'graphql' ? undefined : graphqlFallbackReason(error);
            if (!reason)
                throw error;
            calls.fallback = reason;
            options.log?.(`${reason}; reading the history with REST`);
        }
    }
    history ??= await readWithRest(octokit, repo, options, calls);
    calls.total = calls.graphql + calls.listDeployments + calls.listStatuses;
    return { ...history, calls };
}
async function readWithGraphql(octokit, repo, options, calls) {
    const max = options.maxDeployments ?? 5000;
    const { taken, scanned, truncated } = await takeWindow(graphqlPages(octokit, repo, options.environment, max, calls), item => item.deployment.created_at, options, max);
    const records = [];
    for (const { deployment, statuses } of taken) {
        // More than 100 statuses (rare): the rest of them from REST.
        records.push(deploymentRecordOf(deployment, statuses ?? (await listStatuses(octokit, repo, deployment.id, calls))));
    }
    return { deployments: records, scanned, truncated };
}
/** One GraphQL query per page of 100 deployments with their statuses. */
async function* graphqlPages(octokit, repo, environment, max, calls) {
    let after = null;
    // Bounded: every page but the last holds 100 deployments, and we stop past max anyway.
    for (let page = 0; page <= Math.ceil(max / PAGE) + 1000; page++) {
        calls.graphql++;
        const result = await queryHistoryPage(octokit, repo, environment, after);
        const more = result.hasNextPage && result.endCursor !== null;
        yield { items: result.deployments, more };
        if (!more)
            return;
        after = result.endCursor;
    }
}
/**
 * Takes the deployments inside the window from pages listed newest first, and stops reading
 * at the first page that reaches back past the window (later pages are all older) or at max.
 */
async function takeWindow(pages, createdAt, options, max) {
    const taken = [];
    let scanned = 0;
    for await (const page of pages) {
        let pastWindow = false;
        for (const item of page.items) {
            scanned++;
            const verdict = windowCheck(options, max, taken.length)(createdAt(item));
            if (verdict === 'skip')
                continue;
            if (verdict === 'past') {
                pastWindow = true;
                continue;
            }
            if (verdict === 'full') {
                await pages.return(undefined);
                return { taken, scanned, truncated: true };
            }
            taken.push(item);
        }
        if (pastWindow || !page.more) {
            await pages.return(undefined);
            break;
        }
    }
    return { taken, scanned, truncated: false };
}
async function listStatuses(octokit, repo, deploymentId, calls) {
    const statuses = [];
    for await (const page of octokit.paginate.iterator(octokit.rest.repos.listDeploymentStatuses, {
        ...repo,
        deployment_id: deploymentId,
        per_page: PAGE
    })) {
        calls.listStatuses++;
        statuses.push(...page.data);
    }
    return statuses;
}
async function readWithRest(octokit, repo, options, calls) {
    const max = options.maxDeployments ?? 5000;
    const { taken: inWindow, scanned, truncated } = await takeWindow(restPages(octokit, repo, options.environment, calls), deployment => deployment.created_at, options, max);
    const records = new Array(inWindow.length);
    let next = 0;
    const worker = async () => {
        for (let index = next++; index < inWindow.length; index = next++) {
            const deployment = inWindow[index];
            records[index] = deploymentRecordOf(deployment, await listStatuses(octokit, repo, deployment.id, calls));
        }
    };
    const workers = Math.max(1, Math.min(options.concurrency ?? 8, inWindow.length));
    await Promise.all(Array.from({ length: workers }, worker));
    return { deployments: records, scanned, truncated };
}
/** REST deployment pages of 100; a short page is the last. */
async function* restPages(octokit, repo, environment, calls) {
    const pages = octokit.paginate.iterator(octokit.rest.repos.listDeployments, {
        ...repo,
        environment,
        per_page: PAGE
    });
    for await (const page of pages) {
        calls.listDeployments++;
        const items = page.data;
        yield { items, more: items.length >= PAGE };
    }
}

;// CONCATENATED MODULE: ./packages/report/src/github-history-source.ts


/** GitHub's deployment history of a repository, read with readHistory. */
function githubHistorySource(octokit, repo, options = {}) {
    return { read: window => readHistory(octokit, repo, { ...window, ...options }) };
}
/** The history source of the action: a client from the token, its log lines to `log`. */
function githubDeploymentHistory(access, log) {
    if (!access)
        return undefined;
    const octokit = (0,src_client/* createGitHubClient */.L)({ token: access.token, baseUrl: access.apiUrl, log });
    return githubHistorySource(octokit, access.repository, { log });
}

;// CONCATENATED MODULE: ./packages/rollback/src/history.ts


/**
 * The environment's deployments newest first, with statuses fetched only as far as needed.
 * MTTR counts every request before traffic moves: the full history costs one request per
 * deployment, while the target is usually one or two deployments back. `enough` is asked after
 * each batch; a prefix of the history decides the target exactly (see chooseRollback).
 */
async function loadHistory(client, repo, environment, options) {
    const limit = options.limit ?? 50;
    const { data } = await requestAs({ what: 'list deployments', permission: 'deployments: read', notFoundIsRefusal: true }, () => client.rest.repos.listDeployments({ ...repo, environment, per_page: Math.min(100, limit) }));
    const records = [];
    const batch = options.batch ?? 4;
    for (let i = 0; i < Math.min(data.length, limit); i += batch) {
        const slice = data.slice(i, i + batch);
        const statuses = await Promise.all(slice.map(d => requestAs({ what: 'read deployment statuses', permission: 'deployments: read' }, () => client.paginate(client.rest.repos.listDeploymentStatuses, {
            ...repo,
            deployment_id: d.id,
            per_page: 100
        }))));
        slice.forEach((d, index) => records.push(deploymentRecordOf(d, statuses[index])));
        if (options.enough(records))
            break;
    }
    return records;
}

;// CONCATENATED MODULE: ./packages/probes/src/github-runs.ts

/** A workflow run's status and check suite; undefined when GitHub answers 404. Other errors throw. */
async function findWorkflowRun(client, owner, repo, runId, signal) {
    try {
        const { data } = await requestAs({ what: 'read a workflow run', permission: 'actions: read' }, () => client.rest.actions.getWorkflowRun({ owner, repo, run_id: runId, request: { signal } }));
        return { status: data.status ?? 'unknown', checkSuiteId: data.check_suite_id ?? undefined };
    }
    catch (error) {
        if (error.status === 404)
            return undefined;
        throw error;
    }
}

;// CONCATENATED MODULE: ./packages/probes/src/github-checks.ts


const SUCCESSFUL = new Set(['success', 'neutral', 'skipped']);
/**
 * Passes when every check run and commit status of the ref has completed successfully and
 * every required name is among them. Anything still queued or running fails with a message
 * that says so — a deployment must not start on a commit whose CI has not finished.
 */
const githubChecksProbe = async (spec, context) => {
    const { client, owner, repo, ref } = spec;
    const ownSuite = spec.currentRunId === undefined
        ? undefined
        : await checkSuiteOf(client, owner, repo, spec.currentRunId, context.signal);
    const [runs, combined] = await Promise.all([
        requestAs({ what: 'list check runs', permission: 'checks: read' }, () => client.paginate(client.rest.checks.listForRef, {
            owner,
            repo,
            ref,
            per_page: 100,
            filter: 'latest',
            request: { signal: context.signal }
        })),
        requestAs({ what: 'read commit statuses', permission: 'statuses: read' }, () => client.rest.repos.getCombinedStatusForRef({
            owner,
            repo,
            ref,
            per_page: 100,
            request: { signal: context.signal }
        }))
    ]);
    const ignored = new Set(spec.ignore ?? []);
    const entries = [];
    for (const run of runs) {
        if (ignored.has(run.name))
            continue;
        if (ownSuite !== undefined && run.check_suite?.id === ownSuite)
            continue;
        const state = run.status === 'completed' ? (run.conclusion ?? 'unknown') : `pending:${run.status}`;
        entries.push({ name: run.name, kind: 'check run', state });
    }
    for (const status of combined.data.statuses) {
        if (ignored.has(status.context))
            continue;
        entries.push({
            name: status.context,
            kind: 'status',
            state: status.state === 'pending' ? 'pending:pending' : status.state
        });
    }
    const pending = entries.filter(entry => entry.state.startsWith('pending:'));
    const failed = entries.filter(entry => !entry.state.startsWith('pending:') && !SUCCESSFUL.has(entry.state));
    const names = new Set(entries.map(entry => entry.name));
    const missing = (spec.required ?? []).filter(name => !names.has(name));
    const details = {
        ref,
        checks: entries.map(entry => ({
            name: entry.name,
            kind: entry.kind,
            state: entry.state.replace(/^pending:/, '')
        })),
        pending: pending.map(entry => entry.name),
        failed: failed.map(entry => entry.name),
        missing
    };
    const problems = [];
    if (failed.length > 0)
        problems.push(`failed: ${failed.map(entry => `${entry.name} (${entry.state})`).join(', ')}`);
    if (pending.length > 0) {
        problems.push(`not finished yet: ${pending.map(entry => `${entry.name} (${entry.state.slice('pending:'.length)})`).join(', ')}`);
    }
    if (missing.length > 0)
        problems.push(`required but not reported: ${missing.join(', ')}`);
    const shortRef = /^[0-9a-f]{40}$/.test(ref) ? ref.slice(0, 7) : ref;
    if (problems.length > 0)
        return { ok: false, message: `${shortRef}: ${problems.join('; ')}`, details };
    if (entries.length === 0)
        return { ok: true, message: `${shortRef}: no check runs or statuses reported`, details };
    return {
        ok: true,
        message: `${shortRef}: all ${entries.length} check runs and statuses succeeded`,
        details
    };
};
/** The check suite of a workflow run; undefined when it cannot be read (local runs, other tokens). */
async function checkSuiteOf(client, owner, repo, runId, signal) {
    try {
        return (await findWorkflowRun(client, owner, repo, runId, signal))?.checkSuiteId;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./packages/probes/src/deployment-lock.ts


// `waiting` (for an environment's approval) is GraphQL's; REST has no such state.
const UNFINISHED = new Set(['in_progress', 'queued', 'pending', 'waiting']);
const LIST_DEPLOYMENTS = {
    what: 'list deployments',
    permission: 'deployments: read',
    notFoundIsRefusal: true
};
const READ_STATUSES = { what: 'read deployment statuses', permission: 'deployments: read' };
/**
 * Passes when no other deployment of the environment is in progress. A deployment counts when
 * its latest status is in_progress, queued or pending (or it has none yet) and the workflow
 * run that created it — read from the status `log_url` or the deployment's `payload.run_id` — is
 * still running. Deployments of finished runs are stale leftovers (a cancelled job never posts
 * its final status) and are reported but do not block.
 */
const deploymentLockProbe = async (spec, context) => {
    const { client, owner, repo, environment } = spec;
    const { data: deployments } = await requestAs(LIST_DEPLOYMENTS, () => client.rest.repos.listDeployments({
        owner,
        repo,
        environment,
        per_page: Math.min(spec.limit ?? 30, 100),
        request: { signal: context.signal }
    }));
    const entries = await Promise.all(deployments.map(async (deployment) => {
        const { data: statuses } = await requestAs(READ_STATUSES, () => client.rest.repos.listDeploymentStatuses({
            owner,
            repo,
            deployment_id: deployment.id,
            per_page: 1,
            request: { signal: context.signal }
        }));
        const latest = statuses[0];
        return {
            deploymentId: deployment.id,
            ref: deployment.ref,
            state: latest?.state,
            runId: runIdFrom(latest?.log_url, latest?.target_url) ?? runIdFromPayload(deployment.payload),
            updatedAt: latest?.updated_at ?? deployment.updated_at
        };
    }));
    return judgeDeploymentLock(spec, entries, runId => findWorkflowRun(client, owner, repo, runId, context.signal).then(run => run?.status));
};
/**
 * The lock's rule, whichever API read the deployments: a deployment holds the environment when
 * its latest status is unfinished (or it has none yet) and the workflow run that created it is
 * still running; one whose run finished or cannot be found is a stale leftover, reported but
 * not blocking; one with no run recorded holds it until `staleAfterMs` without an update.
 */
async function judgeDeploymentLock(spec, entries, runStatusOf) {
    const { environment } = spec;
    const now = (spec.now ?? Date.now)();
    const staleAfterMs = spec.staleAfterMs ?? 3_600_000;
    const holders = [];
    const stale = [];
    const runStatus = new Map();
    await Promise.all(entries.map(async (entry) => {
        // No status yet: the deployment was just created, and counts as pending.
        const state = entry.state?.toLowerCase() ?? 'pending';
        if (!UNFINISHED.has(state))
            return;
        const { runId } = entry;
        if (runId !== undefined && runId === spec.currentRunId)
            return;
        const base = { deploymentId: entry.deploymentId, ref: entry.ref, state, runId };
        if (runId === undefined) {
            const updated = Date.parse(entry.updatedAt);
            const ageMinutes = Math.round((now - updated) / 60_000);
            if (now - updated < staleAfterMs)
                holders.push({
                    ...base,
                    reason: `no workflow run recorded, updated ${ageMinutes} min ago`
                });
            else
                stale.push({
                    ...base,
                    reason: `no workflow run recorded, untouched for ${ageMinutes} min`
                });
            return;
        }
        if (!runStatus.has(runId))
            runStatus.set(runId, runStatusOf(runId));
        const status = await runStatus.get(runId);
        if (status === undefined)
            stale.push({ ...base, reason: `run ${runId} not found` });
        else if (status === 'completed')
            stale.push({ ...base, reason: `run ${runId} has finished` });
        else
            holders.push({ ...base, reason: `run ${runId} is ${status}` });
    }));
    const describe = (holder) => `deployment ${holder.deploymentId} of ${holder.ref} is ${holder.state} (${holder.reason})`;
    const details = {
        environment,
        checked: entries.length,
        holders: holders.map(holder => ({ ...holder })),
        stale: stale.map(holder => ({ ...holder }))
    };
    if (holders.length > 0) {
        return {
            ok: false,
            message: `${environment} is locked: ${holders.map(describe).join('; ')}`,
            details
        };
    }
    const leftovers = stale.length > 0 ? `; ignored ${stale.length} stale: ${stale.map(describe).join('; ')}` : '';
    return {
        ok: true,
        message: `no deployment of ${environment} in progress (${entries.length} checked)${leftovers}`,
        details
    };
}
/** `https://github.com/o/r/actions/runs/123/job/456` → 123. */
function runIdFrom(...urls) {
    for (const url of urls) {
        const match = url ? /\/actions\/runs\/(\d+)/.exec(url) : null;
        if (match)
            return Number(match[1]);
    }
    return undefined;
}
/** The `run_id` our deploy action stores in the deployment payload (object, or JSON text). */
function runIdFromPayload(payload) {
    let value = payload;
    if (typeof value === 'string') {
        try {
            value = JSON.parse(value);
        }
        catch {
            return undefined;
        }
    }
    if (typeof value !== 'object' || value === null)
        return undefined;
    const runId = value.run_id;
    const number = typeof runId === 'string' && /^\d+$/.test(runId) ? Number(runId) : runId;
    return typeof number === 'number' && Number.isSafeInteger(number) && number > 0
        ? number
        : undefined;
}

;// CONCATENATED MODULE: ./packages/preflight/src/deployment-lock.ts



/**
 * The environment's newest deployments with their latest status, in one GraphQL request:
 * REST needs one more request per deployment for its status, so the lock's cost grew with the
 * history. Field names are GitHub's GraphQL schema's (the emulator checks them).
 */
const LOCK_QUERY = `query($owner: String!, $name: String!, $env: String!, $first: Int!) {
  repository(owner: $owner, name: $name) {
    deployments(environments: [$env], first: $first, orderBy: {field: CREATED_AT, direction: DESC}) {
      nodes {
        databaseId
        ref { name }
        commitOid
        payload
        updatedAt
        latestStatus { state logUrl updatedAt }
      }
    }
  }
}`;
const READ_DEPLOYMENTS = {
    what: 'read the deployments (GraphQL)',
    permission: 'deployments: read',
    notFoundIsRefusal: false
};
const READ_RUN = { what: 'read a workflow run', permission: 'actions: read' };
/**
 * Passes when no other deployment of the environment is in progress: the rule of the REST
 * probe (`deploymentLockProbe`), at a cost that does not grow with the history — one GraphQL
 * request, plus one workflow-run read per distinct run of an unfinished deployment. Where
 * GraphQL is missing or refuses the token, the REST probe decides instead; a rate limit fails.
 */
async function deploymentLock(spec, context) {
    let nodes;
    try {
        nodes = await latestDeployments(spec, context.signal);
    }
    catch (error) {
        if (!graphqlUnavailable(error))
            throw error;
        return deploymentLockProbe(spec, context);
    }
    return judgeDeploymentLock(spec, nodes.map(node => ({
        deploymentId: node.databaseId ?? 0,
        ref: node.ref?.name ?? node.commitOid,
        state: node.latestStatus?.state,
        runId: runIdFrom(node.latestStatus?.logUrl) ?? runIdFromPayload(node.payload),
        updatedAt: node.latestStatus?.updatedAt ?? node.updatedAt
    })), runId => workflowRunStatus(spec, runId, context.signal));
}
async function latestDeployments(spec, signal) {
    const { client, owner, repo, environment } = spec;
    const data = await requestAs(READ_DEPLOYMENTS, () => client.graphql(LOCK_QUERY, {
        owner,
        name: repo,
        env: environment,
        first: Math.min(Math.max(spec.limit ?? 30, 1), 100),
        baseUrl: graphqlBaseUrl(String(client.request.endpoint.DEFAULTS.baseUrl)),
        request: { signal }
    }));
    if (!data.repository)
        throw new Error(`repository ${owner}/${repo} not found (GraphQL)`);
    return data.repository.deployments.nodes.filter((node) => node !== null);
}
/** A workflow run's status; undefined when GitHub answers 404. */
async function workflowRunStatus(spec, runId, signal) {
    const { client, owner, repo } = spec;
    try {
        const { data } = await requestAs(READ_RUN, () => client.rest.actions.getWorkflowRun({ owner, repo, run_id: runId, request: { signal } }));
        return data.status ?? 'unknown';
    }
    catch (error) {
        if (error.status === 404)
            return undefined;
        throw error;
    }
}

;// CONCATENATED MODULE: ./packages/preflight/src/github-ports.ts



/**
 * The GitHub implementations of the preflight ports, over one client. Without access (no check
 * needs GitHub) there are none, and no client is built.
 */
function githubPreflightPorts(access) {
    if (!access)
        return {};
    const client = (0,src_client/* createGitHubClient */.L)({ token: access.token, baseUrl: access.apiUrl });
    const where = { client, owner: access.repository.owner, repo: access.repository.repo };
    return {
        deploymentActivity: {
            lock: (query, context) => deploymentLock({ ...where, ...query }, context)
        },
        commitChecks: {
            evaluate: (query, context) => githubChecksProbe({ ...where, ...query }, context)
        }
    };
}

// EXTERNAL MODULE: ./packages/backup/src/run-backup.ts + 3 modules
var run_backup = __webpack_require__(15314);
;// CONCATENATED MODULE: ./packages/pipeline/src/backends/github-backends.ts







/**
 * The backends of a run on GitHub: the API at `runnerEnv.apiUrl`, with the stage's token (the
 * step's `token` when a stage names none), as each stage's action does it.
 */
function githubBackends(token, runnerEnv, progress) {
    const withApi = (access) => ({
        ...access,
        apiUrl: access.apiUrl ?? runnerEnv.apiUrl
    });
    const preflight = (access) => githubPreflightPorts(access && withApi(access));
    const client = (access) => (0,src_client/* createGitHubClient */.L)({ token: access.token, baseUrl: withApi(access).apiUrl, log: progress.info });
    const run = { serverUrl: runnerEnv.serverUrl, repository: runnerEnv.repository };
    return {
        kind: 'github',
        progress,
        runnerEnv,
        records: access => new DeploymentLedger(client(access), access.repository, {
            ...run,
            runId: runnerEnv.runId,
            runAttempt: runnerEnv.runAttempt
        }),
        rollbackRecords: access => new DeploymentLedger(client(access), access.repository, run),
        rollbackHistory: access => {
            const github = client(access);
            return (environment, options) => loadHistory(github, access.repository, environment, options);
        },
        releases: access => new GitHubReleaseStore({
            token: access.token ?? token,
            apiUrl: access.apiUrl ?? runnerEnv.apiUrl,
            repository: access.repository,
            log: progress.info
        }),
        history: access => githubDeploymentHistory(access && withApi(access), progress.info),
        deploymentActivity: access => preflight(access).deploymentActivity,
        commitChecks: access => preflight(access).commitChecks,
        artifacts: run_backup/* runnerArtifactClient */.oQ
    };
}

;// CONCATENATED MODULE: ./actions/pipeline/src/run.ts

async function run(ctx, settings, runnerEnv) {
    const progress = { info: ctx.info, warning: ctx.warning, group: ctx.group };
    const outcome = await (0,run_pipeline_stage/* runPipelineStage */.oC)(settings, {
        backends: githubBackends(settings.token, runnerEnv, progress),
        io: { secret: ctx.secret, redactor: ctx.redactor, variables: process.env }
    });
    for (const [name, value] of Object.entries((0,run_pipeline_stage/* pipelineOutputs */.lh)(outcome)))
        ctx.setOutput(name, value);
    (0,run_pipeline_stage/* renderPipelineStageSummary */.r7)(outcome, ctx.summary);
    if (outcome.failure)
        throw outcome.failure;
}


/***/ })

};
